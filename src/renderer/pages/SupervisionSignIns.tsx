// 督办 › 签收时效: per unit, how many tickets it signed for (签收) in the period and how many late
// (超时签收), and the tickets waiting now past their accept deadline (超时未签收), any channel.
// Updates live as tickets are signed for.

import { useCallback, useState } from 'react';
import { formatDuration } from '../../shared/domain/duration';
import { cstMidnight } from '../../shared/domain/calendar';
import { CHANNEL_LABELS } from '../../shared/domain/ticket';
import { call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { DateInput } from '../components/DateInputs';
import { Spinner } from '../components/Form';
import { formatShortDateTime, fromDateInput, serverNow, syncClock, toDateInput } from '../lib/format';
import { useLiveQuery, type LiveEvents } from '../lib/liveQuery';
import { ticketPath } from '../lib/router';
import { useReadySession } from '../state/session';

const EVENTS: LiveEvents = { on: ['ticket.changed', 'supervision.changed'], debounceMs: 500 };
const DAY = 86_400_000;

type Preset = 'today' | 'week' | 'month' | 'days30' | 'custom';
const PRESETS: Array<[Preset, string]> = [
  ['today', '今日'],
  ['week', '近7天'],
  ['month', '本月'],
  ['days30', '近30天'],
  ['custom', '自定义'],
];

function presetRange(p: Exclude<Preset, 'custom'>, now: number): { from: number; to: number } {
  const today = cstMidnight(now);
  const to = today + DAY;
  if (p === 'today') return { from: today, to };
  if (p === 'week') return { from: today - 6 * DAY, to };
  if (p === 'days30') return { from: today - 29 * DAY, to };
  const d = toDateInput(now);
  return { from: fromDateInput(`${d.slice(0, 8)}01`)!, to };
}

export function SignInTimeliness() {
  const { lookups } = useReadySession();
  const [preset, setPreset] = useState<Preset>('month');
  const [custom, setCustom] = useState(() => ({ from: toDateInput(serverNow() - 6 * DAY), to: toDateInput(serverNow()) }));
  const customFrom = fromDateInput(custom.from);
  const customTo = fromDateInput(custom.to);
  const range = preset === 'custom' ? (customFrom != null && customTo != null ? { from: customFrom, to: customTo + DAY } : null) : presetRange(preset, serverNow());
  const rangeBad = preset === 'custom' && (!range || range.from >= range.to);
  const key = range && !rangeBad ? `${range.from}-${range.to}` : '';

  const { data, error } = useLiveQuery(
    useCallback(async () => {
      if (!key) return null;
      const [from, to] = key.split('-').map(Number) as [number, number];
      const b = await call('supervision.signIns', { from, to });
      syncClock(b.now);
      return b;
    }, [key]),
    EVENTS,
  );
  const unitName = (id: string | null) => (id ? (lookups.units.get(id)?.name ?? id) : '街道城运中心（商定中）');
  const now = serverNow();

  return (
    <section className="card sv-signins" data-testid="sv-signins">
      <div className="card-head">
        <h3>签收时效</h3>
        <span className="muted small">各单位在时段内签收工单数与超时签收数，及当前超时未签收的工单（所有渠道）</span>
        <div className="sv-period">
          {PRESETS.map(([p, label]) => (
            <button key={p} type="button" className={`small-btn${preset === p ? ' active' : ''}`} aria-pressed={preset === p} onClick={() => setPreset(p)} data-testid={`sv-period-${p}`}>
              {label}
            </button>
          ))}
          {preset === 'custom' && (
            <>
              <DateInput value={custom.from} onChange={(v) => setCustom((c) => ({ ...c, from: v }))} testId="sv-period-from" ariaLabel="开始日期" />
              <span>至</span>
              <DateInput value={custom.to} onChange={(v) => setCustom((c) => ({ ...c, to: v }))} testId="sv-period-to" ariaLabel="结束日期" />
            </>
          )}
        </div>
      </div>
      {rangeBad && <div className="callout error">开始日期须不晚于结束日期</div>}
      {error && <div className="callout error">{error}</div>}
      {!data ? (
        !rangeBad && <Spinner />
      ) : (
        <div className="sv-signin-cols">
          <div>
            <div className="sv-signin-totals" data-testid="sv-signin-totals">
              签收 <strong>{data.totals.signed}</strong> 件 · 超时签收 <strong className="red" data-testid="sv-late-total">{data.totals.late}</strong> 件 · 超时未签收{' '}
              <strong className="red" data-testid="sv-unsigned-total">{data.totals.unsigned}</strong> 件
            </div>
            <DataTable rows={data.units} headers={['单位', '签收', '超时签收', '超时率', '最长超时', '超时未签收']} empty="时段内没有签收记录" className="mini-table" testId="sv-signin-units">
              {(u) => (
                <tr key={u.unitId ?? '-'} data-testid="sv-signin-unit" data-unit={u.unitId ?? ''}>
                  <td className="cell-wrap">{unitName(u.unitId)}</td>
                  <td className="num">{u.signed}</td>
                  <td className={`num${u.late ? ' red' : ''}`} data-testid="sv-signin-late">
                    {u.late}
                  </td>
                  <td className="num">{u.signed ? `${Math.round((u.late / u.signed) * 1000) / 10}%` : '—'}</td>
                  <td>{u.maxLateMinutes ? formatDuration(u.maxLateMinutes) : '—'}</td>
                  <td className={`num${u.unsigned ? ' red' : ''}`} data-testid="sv-signin-unsigned">
                    {u.unsigned}
                  </td>
                </tr>
              )}
            </DataTable>
          </div>
          <div className="sv-scroll">
            <DataTable
              rows={data.unsigned}
              headers={['编号', '超时未签收', '问题', '责任单位', '签收时限']}
              empty="没有超时未签收的工单"
              className="mini-table sv-table"
              testId="sv-unsigned"
            >
              {(r) => (
                <tr key={r.ticketId} data-testid={`sv-unsigned-${r.code}`}>
                  <td className="mono">
                    <a href={`#${ticketPath(r.ticketId)}`}>{r.code}</a>
                  </td>
                  <td className="red nowrap">超时 {formatDuration((now - r.acceptDeadline) / 60_000)}</td>
                  <td className="sv-desc" title={r.description}>
                    <div className="sv-desc-text">{r.description}</div>
                    <div className="muted small">{CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? r.channel}</div>
                  </td>
                  <td className="cell-wrap">{unitName(r.unitId)}</td>
                  <td className="nowrap">{formatShortDateTime(r.acceptDeadline)}</td>
                </tr>
              )}
            </DataTable>
            {data.truncated && <div className="muted small">仅显示超时最久的 {data.unsigned.length} 件</div>}
          </div>
        </div>
      )}
    </section>
  );
}
