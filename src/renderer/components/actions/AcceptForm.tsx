// 签收: the unit accepts the dispatched ticket.

import { formatDateTime } from '../../lib/format';
import { FormError } from '../Form';
import { Buttons, type FormProps } from './parts';

export function AcceptForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const t = detail.ticket;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit({ action: 'accept', id: t.id }))}>
      <p className="form-note">确认签收工单 <strong>{t.code}</strong>？签收后进入处置，请在办结时限内完成。</p>
      {t.acceptDeadline && <p className="form-note">签收时限：{formatDateTime(t.acceptDeadline)}</p>}
      <FormError state={errors} />
      <Buttons busy={busy} onCancel={onCancel} label="确认签收" />
    </form>
  );
}
