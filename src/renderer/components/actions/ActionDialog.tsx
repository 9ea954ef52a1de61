// The dialog around a ticket-action form: checks the `tickets.act` input with the contract's schema,
// sends it, and hands the returned TicketDetail back; errors stay in the open form.

import { useState, type ReactNode } from 'react';
import { ticketActionInput } from '../../../shared/api/contract';
import type { TicketDetail } from '../../../shared/api/types';
import { ACTION_LABELS, type TicketAction } from '../../../shared/domain/stateMachine';
import { call } from '../../api/client';
import { fromError, fromZod, NO_ERRORS, type FormErrorState } from '../../lib/validation';
import { Modal } from '../Modal';
import { ACTION_FORMS } from './index';
import { type FormProps, type Submit } from './parts';

const TITLES: Partial<Record<TicketAction, string>> = {
  dispatch: '派单',
  respondNegotiation: '商定派单答复',
  decideExtension: '审批延期申请',
};

export function ActionDialog({
  action,
  detail,
  onDone,
  onClose,
}: {
  action: TicketAction;
  detail: TicketDetail;
  onDone: (d: TicketDetail, action: TicketAction) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrorState>(NO_ERRORS);

  const submit: Submit = async (input) => {
    const parsed = ticketActionInput.safeParse(input);
    if (!parsed.success) {
      setErrors(fromZod(parsed.error));
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const next = await call('tickets.act', input);
      onDone(next, action);
    } catch (e) {
      setErrors(fromError(e));
    } finally {
      setBusy(false);
    }
  };

  const props: FormProps = { detail, submit, busy, errors, setErrors, onCancel: onClose };
  const Form = ACTION_FORMS[action];
  const body: ReactNode = Form ? <Form {...props} /> : <p>未知操作</p>;

  return (
    <Modal
      title={
        <>
          {TITLES[action] ?? ACTION_LABELS[action]} <span className="muted small">· {detail.ticket.code}</span>
        </>
      }
      onClose={busy ? () => undefined : onClose}
      width={action === 'dispatch' || action === 'resolve' ? 640 : 540}
      testId={`dialog-${action}`}
    >
      {body}
    </Modal>
  );
}
