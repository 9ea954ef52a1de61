// The ticket page's 专项治理 note: the items this ticket is linked to, and why
// (“已关联专项治理：…，原因：…”). Leaders and operators open the item.

import { useCallback } from 'react';
import { call } from '../api/client';
import { useLiveQuery } from '../lib/liveQuery';
import { useReadySession } from '../state/session';

export function RecurringLinks({ ticketId }: { ticketId: string }) {
  const { user } = useReadySession();
  const { data, error } = useLiveQuery(useCallback(() => call('recurring.forTicket', { ticketId }), [ticketId]), { on: ['recurring.changed'], debounceMs: 300 });
  if (error) return <div className="callout error rec-link-callout">{error}</div>;
  if (!data?.length) return null;
  const mayOpen = user.role === 'leader' || user.role === 'operator';
  return (
    <>
      {data.map((l) => (
        <div key={l.itemId} className="callout rec-link-callout" data-testid="recurring-link">
          已关联专项治理：
          {mayOpen ? <a href={`#/stats?tab=recurring&item=${l.itemId}`}>{l.code}「{l.title}」</a> : `${l.code}「${l.title}」`}
          {l.status === 'closed' && '（已结项）'}，原因：{l.auto ? '受理时自动关联，' : ''}
          {l.reason}
        </div>
      ))}
    </>
  );
}
