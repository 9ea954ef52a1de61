// Which form each ticket action opens: one entry per action of the state machine.

import type { ComponentType } from 'react';
import type { TicketAction } from '../../../shared/domain/stateMachine';
import { AcceptForm } from './AcceptForm';
import { CallbackForm } from './CallbackForm';
import { ClassifyForm } from './ClassifyForm';
import { CloseForm } from './CloseForm';
import { DecideExtensionForm } from './DecideExtensionForm';
import { DispatchForm } from './DispatchForm';
import { MergeForm } from './MergeForm';
import { NoteForm } from './NoteForm';
import { CancelForm, ReopenForm, ReturnForm } from './ReasonOnlyForm';
import { RegisterForm } from './RegisterForm';
import { RelocateForm } from './RelocateForm';
import { RequestExtensionForm } from './RequestExtensionForm';
import { ResolveForm } from './ResolveForm';
import { RespondNegotiationForm } from './RespondNegotiationForm';
import { SuperviseForm } from './SuperviseForm';
import { VerifyForm } from './VerifyForm';
import type { FormProps } from './parts';

export const ACTION_FORMS: Record<TicketAction, ComponentType<FormProps>> = {
  register: RegisterForm,
  classify: ClassifyForm,
  dispatch: DispatchForm,
  respondNegotiation: RespondNegotiationForm,
  accept: AcceptForm,
  return: ReturnForm,
  requestExtension: RequestExtensionForm,
  decideExtension: DecideExtensionForm,
  note: NoteForm,
  resolve: ResolveForm,
  verify: VerifyForm,
  callback: CallbackForm,
  close: CloseForm,
  reopen: ReopenForm,
  cancel: CancelForm,
  merge: MergeForm,
  supervise: SuperviseForm,
  relocate: RelocateForm,
};
