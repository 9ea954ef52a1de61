// 指令: directives from the city, newest unacknowledged first; each must be acknowledged (签收回执).

import { useState } from 'react';
import { call } from '../api/client';
import { DIRECTIVE_PRIORITY_LABELS } from '../../shared/sync/protocol';
import { Empty, Spinner } from '../components/Form';
import { formatDateTime } from '../lib/format';
import { useDirectives } from '../lib/syncState';
import { useAction } from '../lib/action';

export function DirectivesPage() {
  const { directives, setDirectives } = useDirectives();
  const { run, busy: acking } = useAction(setDirectives);
  const [busy, setBusy] = useState<string | null>(null);
  const ack = async (id: string) => {
    setBusy(id);
    await run(() => call('sync.ackDirective', { id }), '已签收，回执将上报市级平台');
  };
  return (
    <div className="page">
      <div className="page-head">
        <h2>指令</h2>
        <p className="muted">市城运中心下达的指令须及时签收，签收回执自动上报。</p>
      </div>
      {!directives ? (
        <Spinner />
      ) : !directives.length ? (
        <Empty>暂无指令</Empty>
      ) : (
        <div className="directive-list" data-testid="directive-list">
          {directives.map((d) => (
            <section key={d.id} className={`card directive-card prio-${d.priority}${d.ackedAt ? ' acked' : ''}`} data-testid="directive-card">
              <div className="card-head">
                <h3>
                  <span className="directive-prio">{DIRECTIVE_PRIORITY_LABELS[d.priority]}</span> {d.title}
                </h3>
                {d.ackedAt ? (
                  <span className="pill pill-closed" data-testid="directive-acked">
                    已签收 · {d.ackedBy} · {formatDateTime(d.ackedAt)}
                  </span>
                ) : (
                  <button type="button" className="primary" disabled={acking && busy === d.id} onClick={() => void ack(d.id)} data-testid="directive-ack">
                    签收
                  </button>
                )}
              </div>
              <p className="directive-text">{d.body}</p>
              <p className="muted small">
                {d.issuedBy} 下达于 {formatDateTime(d.issuedAt)} · 本站收到 {formatDateTime(d.receivedAt)}
                {d.deadline ? ` · 签收时限 ${formatDateTime(d.deadline)}` : ''}
                {!d.ackedAt && d.deadline && d.deadline < Date.now() ? ' · 已超时' : ''}
              </p>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
