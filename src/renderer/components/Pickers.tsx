// Selects over the street's reference data: catalog (searchable), grids (tree), units (by kind),
// and a status multi-select.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useDismiss } from '../lib/dismiss';
import type { CatalogItem, GridInfo, UnitInfo } from '../../shared/api/types';
import { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from '../../shared/domain/ticket';

// ---------------------------------------------------------------------------------------------
// Catalog: a combobox that searches the leaves by path, code or name.

export function CategoryPicker({
  items,
  value,
  onChange,
  placeholder = '搜索或选择分类…',
  testId,
  invalid,
  id,
}: {
  items: CatalogItem[];
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  placeholder?: string;
  testId?: string;
  invalid?: boolean;
  id?: string;
}) {
  const selected = useMemo(() => items.find((c) => c.id === value), [items, value]);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const matches = useMemo(() => {
    const q = text.trim().toLowerCase();
    const found = q
      ? items.filter((c) => c.path.toLowerCase().includes(q) || c.code.toLowerCase().includes(q))
      : items;
    return found.slice(0, 200);
  }, [items, text]);

  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup);

  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (c: CatalogItem | undefined) => {
    onChange(c?.id);
    setText('');
    setOpen(false);
  };

  return (
    <div className={`combo${invalid ? ' invalid' : ''}`} ref={wrap}>
      <input
        id={id}
        data-testid={testId}
        type="text"
        role="combobox"
        aria-expanded={open}
        autoComplete="off"
        placeholder={selected ? selected.path : placeholder}
        value={open ? text : selected?.path ?? ''}
        title={selected?.path}
        onFocus={() => {
          setOpen(true);
          setActive(0);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            const c = matches[active];
            if (c) choose(c);
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            setOpen(false);
            setText('');
          }
        }}
      />
      {selected && !open && (
        <button type="button" className="combo-clear" aria-label="清除分类" title="清除" onClick={() => choose(undefined)}>
          ×
        </button>
      )}
      {open && (
        <ul className="combo-list" role="listbox" ref={list}>
          {matches.length === 0 && <li className="combo-empty">没有匹配的分类</li>}
          {matches.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={c.id === value}
              data-index={i}
              className={`${i === active ? 'active' : ''}${c.id === value ? ' selected' : ''}`}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
            >
              <span className="combo-path">
                {c.path}
                {!c.isLeaf && <span className="combo-group">（含全部小类）</span>}
              </span>
              <span className="combo-code">{c.code}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Grids: depth-first tree, indented.

export function gridOptions(grids: Map<string, GridInfo>): Array<{ grid: GridInfo; depth: number }> {
  const children = new Map<string | null, GridInfo[]>();
  for (const g of grids.values()) {
    const parent = g.parentId && grids.has(g.parentId) ? g.parentId : null;
    const arr = children.get(parent) ?? [];
    arr.push(g);
    children.set(parent, arr);
  }
  for (const arr of children.values()) arr.sort((a, b) => a.code.localeCompare(b.code));
  const out: Array<{ grid: GridInfo; depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const g of children.get(parent) ?? []) {
      out.push({ grid: g, depth });
      walk(g.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const GRID_LEVEL_LABELS: Record<string, string> = { '1': '街道', '2': '社区', '3': '网格', micro: '微网格', special: '专属网格' };

export function GridSelect({
  grids,
  value,
  onChange,
  emptyLabel,
  testId,
  id,
}: {
  grids: Map<string, GridInfo>;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  emptyLabel: string;
  testId?: string;
  id?: string;
}) {
  const options = useMemo(() => gridOptions(grids), [grids]);
  return (
    <select id={id} data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{emptyLabel}</option>
      {options.map(({ grid, depth }) => (
        <option key={grid.id} value={grid.id}>
          {'\u3000'.repeat(Math.max(0, depth - (options[0]?.grid.level === '1' ? 1 : 0)))}
          {grid.name}
          {grid.level !== '3' ? `（${GRID_LEVEL_LABELS[grid.level] ?? grid.level}）` : ''}
        </option>
      ))}
    </select>
  );
}

/**
 * The grid as a search-as-you-type combobox (hundreds of grids): matches name or code, shows each
 * grid's community; ↑/↓/Enter/Escape. The chosen grid's id is on the input as data-value.
 */
export function GridPicker({
  grids,
  value,
  onChange,
  emptyLabel,
  testId,
  id,
}: {
  grids: Map<string, GridInfo>;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  emptyLabel: string;
  testId?: string;
  id?: string;
}) {
  const options = useMemo(() => gridOptions(grids).map(({ grid }) => grid), [grids]);
  const selected = value ? grids.get(value) : undefined;
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const nameOf = (g: GridInfo) => `${g.name}${g.level !== '3' ? `（${GRID_LEVEL_LABELS[g.level] ?? g.level}）` : ''}`;
  const matches = useMemo(() => {
    const q = text.normalize('NFKC').trim().toLowerCase();
    return (q ? options.filter((g) => g.name.toLowerCase().includes(q) || g.code.toLowerCase().includes(q)) : options).slice(0, 200);
  }, [options, text]);
  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const choose = (g: GridInfo | undefined) => {
    onChange(g?.id);
    setText('');
    setOpen(false);
  };
  return (
    <div className="combo" ref={wrap}>
      <input
        id={id}
        data-testid={testId}
        data-value={value ?? ''}
        type="text"
        role="combobox"
        aria-expanded={open}
        autoComplete="off"
        placeholder={selected ? nameOf(selected) : emptyLabel}
        value={open ? text : selected ? nameOf(selected) : ''}
        title={selected ? `${nameOf(selected)} ${selected.code}` : undefined}
        onFocus={() => {
          setOpen(true);
          setActive(0);
        }}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            const g = matches[active];
            if (g) choose(g);
          } else if (e.key === 'Escape' && open) {
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
            setOpen(false);
            setText('');
          }
        }}
      />
      {selected && !open && (
        <button type="button" className="combo-clear" aria-label="清除网格" title="清除" onClick={() => choose(undefined)}>
          ×
        </button>
      )}
      {open && (
        <ul className="combo-list" role="listbox" ref={list} data-testid={testId ? `${testId}-list` : undefined}>
          {matches.length === 0 && <li className="combo-empty">没有匹配的网格</li>}
          {matches.map((g, i) => {
            const parent = g.parentId ? grids.get(g.parentId) : undefined;
            return (
              <li
                key={g.id}
                role="option"
                aria-selected={g.id === value}
                data-index={i}
                className={`${i === active ? 'active' : ''}${g.id === value ? ' selected' : ''}`}
                onMouseEnter={() => setActive(i)}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(g);
                }}
              >
                <span className="combo-path">
                  {nameOf(g)}
                  {parent && parent.level !== '1' && <span className="combo-group">　{parent.name}</span>}
                </span>
                <span className="combo-code">{g.code}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Units, grouped by kind.

const UNIT_KIND_LABELS: Record<UnitInfo['kind'], string> = {
  street: '街道',
  department: '职能部门',
  community: '社区',
  enterprise: '企业',
};
const UNIT_KIND_ORDER: UnitInfo['kind'][] = ['department', 'enterprise', 'community', 'street'];

export function groupUnits(units: Map<string, UnitInfo>): Array<{ kind: UnitInfo['kind']; label: string; units: UnitInfo[] }> {
  return UNIT_KIND_ORDER.map((kind) => ({
    kind,
    label: UNIT_KIND_LABELS[kind],
    units: [...units.values()].filter((u) => u.kind === kind).sort((a, b) => a.code.localeCompare(b.code)),
  })).filter((g) => g.units.length > 0);
}

export function UnitSelect({
  units,
  value,
  onChange,
  emptyLabel,
  testId,
  id,
}: {
  units: Map<string, UnitInfo>;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  emptyLabel: string;
  testId?: string;
  id?: string;
}) {
  const groups = useMemo(() => groupUnits(units), [units]);
  return (
    <select id={id} data-testid={testId} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{emptyLabel}</option>
      {groups.map((g) => (
        <optgroup key={g.kind} label={g.label}>
          {g.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

// ---------------------------------------------------------------------------------------------
// Status multi-select: a button with a checkbox popover.

export function StatusMultiSelect({
  value,
  onChange,
  testId,
}: {
  value: TicketStatus[];
  onChange: (v: TicketStatus[]) => void;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const closePopup = useCallback(() => setOpen(false), []);
  useDismiss(open, wrap, closePopup, { escape: true });

  const label =
    value.length === 0 ? '全部状态' : value.length <= 2 ? value.map((s) => STATUS_LABELS[s]).join('、') : `已选${value.length}个状态`;
  const toggle = (s: TicketStatus) => onChange(value.includes(s) ? value.filter((x) => x !== s) : [...value, s]);

  return (
    <div className="multi" ref={wrap}>
      <button
        type="button"
        className={`select-like${value.length ? ' has-value' : ''}`}
        data-testid={testId}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <span className="caret" aria-hidden>
          ▾
        </span>
      </button>
      {open && (
        <div className="multi-pop" role="listbox" aria-multiselectable>
          {TICKET_STATUSES.map((s) => (
            <label key={s} className="multi-item">
              <input type="checkbox" checked={value.includes(s)} onChange={() => toggle(s)} data-testid={`status-opt-${s}`} />
              <span className={`dot dot-${s}`} />
              {STATUS_LABELS[s]}
            </label>
          ))}
          <div className="multi-foot">
            <button type="button" className="link-btn" onClick={() => onChange([])}>
              清空
            </button>
            <button type="button" className="link-btn" onClick={() => setOpen(false)}>
              完成
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
