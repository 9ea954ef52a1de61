// Banner over every page while a city directive (指令) waits for its acknowledgement (签收回执).

import { call } from '../api/client';
import { DIRECTIVE_PRIORITY_LABELS } from '../../shared/sync/protocol';
import { useAction } from '../lib/action';
import { formatShortDateTime } from '../lib/format';
import { useDirectives } from '../lib/syncState';

export function DirectiveBanner() {
  const { directives, setDirectives } = useDirectives();
  const acking = useAction(setDirectives);
  const open = (directives ?? []).filter((d) => d.ackedAt == null);
  if (!open.length) return null;
  const d = open[0]!;
  const ack = () => void acking.run(() => call('sync.ackDirective', { id: d.id }), '已签收，回执将上报市级平台');
  return (
    <div className={`directive-banner prio-${d.priority}`} role="alert" data-testid="directive-banner">
      <span className="directive-prio">{DIRECTIVE_PRIORITY_LABELS[d.priority]}指令</span>
      <strong className="directive-title">{d.title}</strong>
      <span className="directive-body">{d.body}</span>
      <span className="muted small">
        {d.issuedBy} · {formatShortDateTime(d.issuedAt)}
        {d.deadline ? ` · 请于 ${formatShortDateTime(d.deadline)} 前签收` : ''}
      </span>
      <div className="directive-actions">
        {open.length > 1 && (
          <a href="#/directives" className="link-btn">
            另有 {open.length - 1} 条待签收
          </a>
        )}
        <button type="button" className="primary" disabled={acking.busy} onClick={ack} data-testid="directive-banner-ack">
          签收
        </button>
      </div>
    </div>
  );
}
