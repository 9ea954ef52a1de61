// Filter bar above the ticket grid. Every change goes to the URL; the list re-queries from there.

import { useEffect, useRef, useState } from 'react';
import { CHANNEL_LABELS, CHANNELS, TICKET_TYPE_LABELS, URGENCY_LABELS, type Channel } from '../../shared/domain/ticket';
import { FIGURE_LABELS } from '../../shared/stats/figures';

const MISSING_LABELS = { unit: '未派单', grid: '无网格', category: '未分类' } as const;
import { isFiltered, VIEW_LABELS, type ListFilter } from '../lib/filters';
import type { Lookups } from '../state/session';
import { CategoryPicker, GridPicker, StatusMultiSelect, UnitSelect } from './Pickers';
import { DateInput } from './DateInputs';

export function FilterBar({ filter, onChange, lookups }: { filter: ListFilter; onChange: (f: ListFilter) => void; lookups: Lookups }) {
  const [q, setQ] = useState(filter.q ?? '');
  const latest = useRef(filter);
  latest.current = filter;

  // Keep the box in step with the URL (back/forward, reset).
  useEffect(() => setQ(filter.q ?? ''), [filter.q]);

  // Debounced search as you type.
  useEffect(() => {
    const v = q.trim() || undefined;
    if (v === (latest.current.q ?? undefined)) return;
    const t = setTimeout(() => onChange({ ...latest.current, q: v }), 400);
    return () => clearTimeout(t);
  }, [q, onChange]);

  const set = (patch: Partial<ListFilter>) => onChange({ ...filter, ...patch });

  return (
    <div className="filterbar" data-testid="filterbar">
      <div className="filter-row">
        <div className="search">
          <span className="search-icon" aria-hidden>
            ⌕
          </span>
          <input
            type="search"
            placeholder="搜索编号、描述、地址、来电人、电话…"
            value={q}
            maxLength={100}
            data-testid="filter-q"
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onChange({ ...filter, q: q.trim() || undefined });
            }}
          />
        </div>
        <StatusMultiSelect value={filter.statuses} onChange={(statuses) => set({ statuses })} testId="filter-status" />
        <div className="filter-cat">
          <CategoryPicker items={lookups.catalogSorted} value={filter.categoryId} onChange={(categoryId) => set({ categoryId })} placeholder="全部分类" testId="filter-category" />
        </div>
        <select value={filter.channel ?? ''} onChange={(e) => set({ channel: (e.target.value || undefined) as Channel | undefined })} data-testid="filter-channel">
          <option value="">全部渠道</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </select>
        <div className="filter-grid">
          <GridPicker grids={lookups.grids} value={filter.gridId} onChange={(gridId) => set({ gridId })} emptyLabel="全部网格（输入名称或编码）" testId="filter-grid" />
        </div>
        <UnitSelect units={lookups.units} value={filter.unitId} onChange={(unitId) => set({ unitId })} emptyLabel="全部处置单位" testId="filter-unit" />
      </div>
      <div className="filter-row">
        <div className="seg" role="radiogroup" aria-label="时限" data-testid="filter-deadline">
          {([undefined, 'overdue', 'dueSoon'] as const).map((d) => (
            <button
              key={d ?? 'all'}
              type="button"
              role="radio"
              aria-checked={filter.deadline === d}
              className={filter.deadline === d ? 'on' : ''}
              data-testid={`filter-deadline-${d ?? 'all'}`}
              onClick={() => set({ deadline: d })}
            >
              {d === 'overdue' ? '已超期' : d === 'dueSoon' ? '即将超期' : '全部时限'}
            </button>
          ))}
        </div>
        <label className="date-range">
          受理日期
          <DateInput value={filter.from ?? ''} max={filter.to} onChange={(v) => set({ from: v || undefined })} testId="filter-from" ariaLabel="受理日期起" />
          <span>至</span>
          <DateInput value={filter.to ?? ''} min={filter.from} onChange={(v) => set({ to: v || undefined })} testId="filter-to" ariaLabel="受理日期止" />
        </label>
        {filter.figure && filter.pfrom && filter.pto && (
          <span className="chip chip-figure" data-testid="filter-figure" title="统计分析页的数字所对应的工单（与统计口径一致）">
            统计口径：{FIGURE_LABELS[filter.figure]}（{filter.pfrom === filter.pto ? filter.pfrom : `${filter.pfrom} 至 ${filter.pto}`}）
            <button type="button" aria-label="取消统计口径" onClick={() => set({ figure: undefined, pfrom: undefined, pto: undefined })}>
              ×
            </button>
          </span>
        )}
        {(filter.type || filter.urgency || filter.missing) && (
          <span className="chip" data-testid="filter-extra">
            {[filter.type && `类型：${TICKET_TYPE_LABELS[filter.type]}`, filter.urgency && `紧急程度：${URGENCY_LABELS[filter.urgency]}`, filter.missing && MISSING_LABELS[filter.missing]].filter(Boolean).join('，')}
            <button type="button" aria-label="取消" onClick={() => set({ type: undefined, urgency: undefined, missing: undefined })}>
              ×
            </button>
          </span>
        )}
        {filter.view && (
          <span className="chip" data-testid="filter-view">
            视图：{VIEW_LABELS[filter.view]}
            <button type="button" aria-label="取消视图" onClick={() => set({ view: undefined })}>
              ×
            </button>
          </span>
        )}
        <div className="spacer" />
        {isFiltered(filter) && (
          <button type="button" className="link-btn" onClick={() => onChange({ statuses: [] })} data-testid="filter-reset">
            清除全部筛选
          </button>
        )}
      </div>
    </div>
  );
}
