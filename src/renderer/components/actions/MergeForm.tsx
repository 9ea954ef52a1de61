// 合并: merge this ticket, as a duplicate, into another.

import { useCallback, useState } from 'react';
import { call } from '../../api/client';
import { truncate } from '../../lib/format';
import { useLiveQuery } from '../../lib/liveQuery';
import { Field, FormError } from '../Form';
import { StatusPill } from '../StatusPill';
import { NO_ERRORS } from '../../lib/validation';
import { Buttons, type FormProps, Reason } from './parts';

export function MergeForm({ detail, submit, busy, errors, setErrors, onCancel }: FormProps) {
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const q = target.trim();

  // Look the target up by its code (or id) once the typing pauses; while a lookup is pending no
  // earlier answer counts. A refusal reads as not found.
  const lookup = useLiveQuery(
    useCallback(async () => {
      if (q.length < 4) return null;
      const page = await call('tickets.list', { startRow: 0, endRow: 20, sort: [], filter: { q } });
      return page.rows.find((r) => r.code === q || r.id === q) ?? null;
    }, [q]),
    null,
    { delayMs: q.length < 4 ? 0 : 300 },
  );
  const looking = lookup.loading;
  const found = looking || lookup.error ? null : lookup.data;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const targetId = found?.id ?? target.trim();
        if (targetId === detail.ticket.id || target.trim() === detail.ticket.code)
          return setErrors({ ...NO_ERRORS, message: '不能并入工单自身', fields: { targetId: '不能并入工单自身' } });
        void submit({ action: 'merge', id: detail.ticket.id, targetId, reason }, { shown: ['targetId', 'reason'] });
      }}
    >
      <p className="form-note">将本工单作为重复件并入另一工单，本工单将作废。</p>
      <Field label="并入的工单（编号）" required error={errors.fields.targetId} wide>
        <input type="text" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="输入目标工单编号" data-testid="input-target" />
      </Field>
      {target.trim().length >= 4 && (
        <div className="callout small" data-testid="merge-target">
          {looking ? (
            '查找中…'
          ) : found ? (
            <>
              <StatusPill status={found.status} /> <strong>{found.code}</strong> {truncate(found.description, 60)}
            </>
          ) : (
            <span className="warn">未找到编号为“{target.trim()}”的工单</span>
          )}
        </div>
      )}
      <Reason value={reason} onChange={setReason} error={errors.fields.reason} />
      <FormError state={errors} shown={['targetId', 'reason']} />
      <Buttons busy={busy} onCancel={onCancel} label="确认合并" danger />
    </form>
  );
}
