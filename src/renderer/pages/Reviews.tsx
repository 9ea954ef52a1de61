// 三跨会商: open and decided joint reviews with their ages; a review's candidate units, their
// positions, and the street's decision (which dispatches the ticket to the owner).

import { useCallback, useMemo, useState } from 'react';
import type { ReviewDetail } from '../../shared/api/coordination';
import type { TicketDetail } from '../../shared/api/types';
import { CROSS_DIMENSIONS, CROSS_DIMENSION_LABELS, REVIEW_POSITION_LABELS, REVIEW_STATUS_LABELS, type CrossDimension, type ReviewPosition } from '../../shared/domain/review';
import { call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { Empty, Field, Spinner } from '../components/Form';
import { StatusPill } from '../components/StatusPill';
import { formatDateTime, formatShortDateTime, serverNow } from '../lib/format';
import { formatAge } from '../lib/coordination';
import { useLiveQuery } from '../lib/liveQuery';
import { useSubmit } from '../lib/submit';
import { useAction } from '../lib/action';
import { navigate, ticketPath, type Route } from '../lib/router';
import { useReadySession } from '../state/session';
import { useToast } from '../state/toast';

export function ReviewListPage() {
  const { user } = useReadySession();
  const [status, setStatus] = useState<'open' | 'decided' | undefined>(undefined);
  const { data: list, error } = useLiveQuery(
    useCallback(() => call('reviews.list', { status }), [status]),
    { on: ['review.changed'], debounceMs: 300 },
  );
  const now = serverNow();
  return (
    <div className="page" data-testid="review-list">
      <div className="page-head">
        <div>
          <h2>三跨会商</h2>
          <p className="muted">跨区域、跨层级、跨部门事项的联合会商与定责{user.role !== 'unit' ? '（在工单详情中点击“三跨会商”发起）' : ''}</p>
        </div>
        <div className="seg">
          {([undefined, 'open', 'decided'] as const).map((s) => (
            <button key={s ?? 'all'} type="button" className={status === s ? 'on' : ''} onClick={() => setStatus(s)}>
              {s ? REVIEW_STATUS_LABELS[s] : '全部'}
            </button>
          ))}
        </div>
      </div>
      {error && <div className="callout error">{error}</div>}
      {!list ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Empty>暂无会商</Empty>
      ) : (
        <section className="card">
          <DataTable rows={list} headers={['工单', '三跨类型', '议题', '状态', '表态', '发起', '历时']} className="mini-table">
            {(r) => (
              <tr key={r.id} className="clickable" onClick={() => navigate(`/reviews/${r.id}`)}>
                <td className="mono">{r.ticketCode}</td>
                <td>{r.dimensions.map((d) => CROSS_DIMENSION_LABELS[d]).join('、')}</td>
                <td className="cell-fill">{r.question}</td>
                <td>
                  <span className={`ws-status ws-${r.status === 'open' ? 'open' : 'closed'}`}>{REVIEW_STATUS_LABELS[r.status]}</span>
                </td>
                <td>
                  {r.positionsIn}/{r.units}
                </td>
                <td>{formatShortDateTime(r.openedAt)}</td>
                <td>{formatAge(r.openedAt, r.decidedAt ?? now)}</td>
              </tr>
            )}
          </DataTable>
        </section>
      )}
    </div>
  );
}

export function ReviewNewPage({ route }: { route: Route }) {
  const { lookups } = useReadySession();
  const toast = useToast();
  const ticketId = route.query.get('ticket') ?? '';
  const { data: ticket, error: loadError } = useLiveQuery(
    useCallback((): Promise<TicketDetail | null> => (ticketId ? call('tickets.get', { id: ticketId }) : Promise.resolve(null)), [ticketId]),
    null,
  );
  const [dims, setDims] = useState<CrossDimension[]>(['department']);
  const [question, setQuestion] = useState('');
  const [units, setUnits] = useState<string[]>([]);
  const { submit: send, errors } = useSubmit(null, 'reviews.open');
  const err = errors.message ?? loadError;
  const options = useMemo(() => [...lookups.units.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.code.localeCompare(b.code)), [lookups]);
  const submit = async () => {
    const r = await send({ ticketId, dimensions: dims, question, unitIds: units });
    if (!r) return;
    toast.success('会商已发起');
    navigate(`/reviews/${r.id}`);
  };
  return (
    <div className="page">
      <a href={ticketId ? `#${ticketPath(ticketId)}` : '#/reviews'} className="back-link">
        ‹ 返回
      </a>
      <div className="page-head">
        <h2>发起三跨会商</h2>
        {ticket && <span className="muted mono">{ticket.ticket.code}</span>}
      </div>
      <section className="card form-card">
        {ticket && <p className="description">{ticket.ticket.description}</p>}
        <div className="sub-title">三跨类型</div>
        <div className="checks">
          {CROSS_DIMENSIONS.map((d) => (
            <label key={d} className="check">
              <input type="checkbox" checked={dims.includes(d)} onChange={() => setDims((x) => (x.includes(d) ? x.filter((y) => y !== d) : [...x, d]))} />
              {CROSS_DIMENSION_LABELS[d]}
            </label>
          ))}
        </div>
        <Field label="会商议题" required wide>
          <textarea rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} placeholder="如：井盖权属不清，城管与住建均称非本单位职责" data-testid="review-question" />
        </Field>
        <div className="sub-title">候选单位（至少两个）</div>
        <div className="ws-units">
          <div className="ws-unit-group">
            {options.map((u) => (
              <label key={u.id} className={`ws-unit${units.includes(u.id) ? ' on' : ''}`}>
                <input type="checkbox" checked={units.includes(u.id)} onChange={() => setUnits((x) => (x.includes(u.id) ? x.filter((y) => y !== u.id) : [...x, u.id]))} data-testid={`review-unit-${u.code}`} />
                {u.name}
              </label>
            ))}
          </div>
        </div>
        {err && <div className="form-error">{err}</div>}
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => void submit()} data-testid="form-submit">
            发起会商
          </button>
        </div>
      </section>
    </div>
  );
}

export function ReviewDetailPage({ id }: { id: string }) {
  const { data: r, error, set: setR } = useLiveQuery(
    useCallback(() => call('reviews.get', { id }), [id]),
    { on: ['review.changed'], debounceMs: 150, filter: (e) => e.type === 'review.changed' && e.id === id },
  );
  const [position, setPosition] = useState<ReviewPosition>('lead');
  const [note, setNote] = useState('');
  const [owner, setOwner] = useState('');
  const [decision, setDecision] = useState('');
  const [dispatch, setDispatch] = useState(true);
  const { run: act } = useAction<ReviewDetail>(setR);
  if (!r) return <div className="page">{error ? <div className="callout error">{error}</div> : <Spinner />}</div>;
  const mine = r.unitList.find((u) => u.unitId === r.myUnitId);
  return (
    <div className="page" data-testid="review-detail">
      <a href="#/reviews" className="back-link">
        ‹ 返回三跨会商
      </a>
      <div className="page-head">
        <div>
          <h2>
            三跨会商 · <a href={`#${ticketPath(r.ticketId)}`} className="mono">{r.ticketCode}</a> <StatusPill status={r.ticketStatus} />
          </h2>
          <p className="muted">
            {r.dimensions.map((d) => CROSS_DIMENSION_LABELS[d]).join('、')} · {r.openedByName} 发起于 {formatDateTime(r.openedAt)} · {REVIEW_STATUS_LABELS[r.status]}
          </p>
        </div>
      </div>
      <section className="card">
        <div className="card-head">
          <h3>议题</h3>
        </div>
        <p className="description">{r.question}</p>
        {r.decision && (
          <div className="callout" data-testid="review-decision">
            结论（{r.decidedByName}，{formatDateTime(r.decidedAt)}）：{r.decision}
          </div>
        )}
      </section>
      <section className="card">
        <div className="card-head">
          <h3>各单位意见</h3>
        </div>
        <DataTable rows={r.unitList} headers={['单位', '意见', '说明', '表态人/时间', '定责']} className="mini-table" testId="review-units">
          {(u) => (
            <tr key={u.unitId}>
              <td>{u.unitName}</td>
              <td>
                <span className={`rv-pos rv-${u.position}`}>{REVIEW_POSITION_LABELS[u.position]}</span>
              </td>
              <td className="cell-wrap">{u.note ?? '—'}</td>
              <td>{u.byName ? `${u.byName} · ${formatShortDateTime(u.at)}` : '—'}</td>
              <td>{r.ownerUnitId === u.unitId ? <strong>牵头</strong> : (r.shares.find((s) => s.unitId === u.unitId)?.duty ?? '')}</td>
            </tr>
          )}
        </DataTable>
        {r.status === 'open' && (mine || r.canManage) && (
          <div className="ws-add">
            {r.canManage && !mine && <span className="muted small">记录单位意见：</span>}
            <select value={position} onChange={(e) => setPosition(e.target.value as ReviewPosition)}>
              {(['lead', 'assist', 'decline'] as const).map((p) => (
                <option key={p} value={p}>
                  {REVIEW_POSITION_LABELS[p]}
                </option>
              ))}
            </select>
            {r.canManage && (
              <select value={owner} onChange={(e) => setOwner(e.target.value)}>
                <option value="">选择单位</option>
                {r.unitList.map((u) => (
                  <option key={u.unitId} value={u.unitId}>
                    {u.unitName}
                  </option>
                ))}
              </select>
            )}
            <input placeholder="说明" value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="button" onClick={() => void act(() => call('reviews.position', { reviewId: r.id, unitId: mine ? undefined : owner || undefined, position, note: note || undefined }), '意见已记录')}>
              提交意见
            </button>
          </div>
        )}
      </section>
      {r.canManage && (
        <section className="card">
          <div className="card-head">
            <h3>会商结论</h3>
          </div>
          <div className="form-grid">
            <Field label="牵头单位" required>
              <select value={owner} onChange={(e) => setOwner(e.target.value)} data-testid="review-owner">
                <option value="">请选择</option>
                {r.unitList.map((u) => (
                  <option key={u.unitId} value={u.unitId}>
                    {u.unitName}（{REVIEW_POSITION_LABELS[u.position]}）
                  </option>
                ))}
              </select>
            </Field>
            <Field label="立即派单">
              <label className="check">
                <input type="checkbox" checked={dispatch} onChange={(e) => setDispatch(e.target.checked)} />
                按结论派给牵头单位
              </label>
            </Field>
            <Field label="结论" required wide>
              <textarea rows={2} value={decision} onChange={(e) => setDecision(e.target.value)} data-testid="review-decision-text" />
            </Field>
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="primary"
              data-testid="review-decide"
              onClick={() =>
                void act(
                  () =>
                    call('reviews.decide', {
                      reviewId: r.id,
                      ownerUnitId: owner,
                      decision,
                      dispatch,
                      shares: r.unitList.filter((u) => u.unitId !== owner && u.position === 'assist').map((u) => ({ unitId: u.unitId, duty: u.note && u.note.length >= 2 ? u.note : '配合办理' })),
                    }),
                  '会商结论已保存',
                )
              }
            >
              确定结论
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
