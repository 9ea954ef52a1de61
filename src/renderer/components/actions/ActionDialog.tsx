// The dialog around a ticket-action form: checks the `tickets.act` input with the contract's schema,
// sends it (useSubmit), and hands the returned TicketDetail back; errors stay in the open form.

import type { ReactNode } from 'react';
import { ticketActionInput } from '../../../shared/api/contract';
import type { TicketDetail } from '../../../shared/api/types';
import { ACTION_LABELS, type TicketAction } from '../../../shared/domain/stateMachine';
import { useSubmit } from '../../lib/submit';
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
  const { submit: send, busy, errors, setErrors } = useSubmit(ticketActionInput, 'tickets.act');
  const submit: Submit = async (input) => {
    const next = await send(input);
    if (next) onDone(next, action);
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
