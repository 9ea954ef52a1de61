// 设备报警: an alarm ticket's device and its history — the kind, how many alarms were merged into the
// ticket, the first and latest, the recent readings as a sparkline and a table, the newest snapshot.

import type { TicketAlarm } from '../../shared/api/types';
import { ALARM_CHANNEL, ALARM_KIND_LABELS } from '../../shared/intake/alarms';
import { fileUrl } from '../api/client';
import { formatDateTime } from '../lib/format';

const W = 260;
const H = 56;

/** The readings with a value, oldest first, as an SVG polyline (with the threshold as a dashed line). */
export function AlarmSparkline({ alarm }: { alarm: TicketAlarm }) {
  const pts = alarm.readings.filter((r) => r.value != null).reverse() as Array<{ at: number; value: number }>;
  if (pts.length < 2) return null;
  const values = pts.map((p) => p.value);
  const lo = Math.min(...values, alarm.threshold ?? Infinity);
  const hi = Math.max(...values, alarm.threshold ?? -Infinity);
  const t0 = pts[0]!.at;
  const t1 = pts[pts.length - 1]!.at;
  const x = (at: number) => (t1 === t0 ? W / 2 : 4 + ((at - t0) / (t1 - t0)) * (W - 8));
  const y = (v: number) => (hi === lo ? H / 2 : H - 4 - ((v - lo) / (hi - lo)) * (H - 8));
  return (
    <svg className="alarm-spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`最近 ${pts.length} 次监测值`} data-testid="alarm-sparkline">
      {alarm.threshold != null && <line x1={0} x2={W} y1={y(alarm.threshold)} y2={y(alarm.threshold)} className="alarm-spark-threshold" />}
      <polyline points={pts.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')} className="alarm-spark-line" />
      {pts.map((p) => (
        <circle key={p.at} cx={x(p.at)} cy={y(p.value)} r={2.5} className={alarm.threshold != null && p.value >= alarm.threshold ? 'alarm-spark-over' : 'alarm-spark-dot'} />
      ))}
    </svg>
  );
}

export function AlarmPanel({ alarm }: { alarm: TicketAlarm }) {
  const unit = alarm.unit ?? '';
  const source = ALARM_CHANNEL[alarm.kind] === 'videoAi' ? '视频AI预警' : '物联感知';
  return (
    <section className="card alarm-panel" data-testid="alarm-panel">
      <div className="card-head">
        <h3>
          <span className="alarm-icon" aria-hidden="true">
            ⚠
          </span>
          设备报警
        </h3>
        <span className="muted small">{source}</span>
      </div>
      <div className="alarm-body">
        <div className="alarm-facts">
          <dl className="fields">
            <div className="f">
              <dt>报警类型</dt>
              <dd data-testid="alarm-kind">
                <span className="tag tag-alarm">{ALARM_KIND_LABELS[alarm.kind] ?? alarm.kind}</span>
              </dd>
            </div>
            <div className="f">
              <dt>设备编号</dt>
              <dd className="mono" data-testid="alarm-device">
                {alarm.device}
              </dd>
            </div>
            <div className="f">
              <dt>累计报警</dt>
              <dd data-testid="alarm-count">
                <strong>{alarm.count.toLocaleString('zh-CN')}</strong> 次
              </dd>
            </div>
            <div className="f">
              <dt>阈值</dt>
              <dd>{alarm.threshold != null ? `${alarm.threshold}${unit}` : '—'}</dd>
            </div>
            <div className="f">
              <dt>首次报警</dt>
              <dd data-testid="alarm-first">{formatDateTime(alarm.firstAt)}</dd>
            </div>
            <div className="f">
              <dt>最近报警</dt>
              <dd data-testid="alarm-last">{formatDateTime(alarm.lastAt)}</dd>
            </div>
          </dl>
          <AlarmSparkline alarm={alarm} />
        </div>
        {alarm.snapshot ? (
          <figure className="alarm-snapshot" data-testid="alarm-snapshot">
            <a href={fileUrl(alarm.snapshot.sha256)} target="_blank" rel="noreferrer">
              <img src={fileUrl(alarm.snapshot.sha256)} alt={`${alarm.device} 报警抓拍`} />
            </a>
            <figcaption className="muted small">最新抓拍</figcaption>
          </figure>
        ) : null}
      </div>
      {alarm.readings.length > 0 && (
        <table className="mini-table alarm-readings" data-testid="alarm-readings">
          <thead>
            <tr>
              <th>报警时间</th>
              <th>设备</th>
              <th>监测值</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {alarm.readings.map((r) => (
              <tr key={`${r.at}-${r.device}`} data-testid="alarm-reading">
                <td>{formatDateTime(r.at)}</td>
                <td className="mono">{r.device}</td>
                <td className={alarm.threshold != null && r.value != null && r.value >= alarm.threshold ? 'alarm-over' : undefined}>{r.value != null ? `${r.value}${unit}` : '—'}</td>
                <td>{r.text ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {alarm.count > alarm.readings.length && <p className="muted small">仅列出最近 {alarm.readings.length} 次报警</p>}
    </section>
  );
}
