// The reporter's name and phone, masked; 查看 shows them in full to those who need them (operators,
// leaders, a unit for its own ticket in progress). Every press is recorded in the audit log.

import { useState } from 'react';
import { call, errorMessage } from '../api/client';
import { useToast } from '../state/toast';

export function useRevealPersonal(ticketId: string) {
  const toast = useToast();
  const [full, setFull] = useState<{ reporterName: string | null; reporterPhone: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const reveal = async () => {
    setBusy(true);
    try {
      setFull(await call('tickets.revealPersonal', { id: ticketId }));
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { full, busy, reveal };
}

export function RevealButton({ shown, allowed, busy, onReveal }: { shown: boolean; allowed: boolean; busy: boolean; onReveal: () => void }) {
  if (!allowed || shown) return null;
  return (
    <button type="button" className="link-btn reveal-btn" disabled={busy} onClick={onReveal} title="查看完整的报告人姓名和电话（将记入审计日志）" data-testid="reveal-personal">
      查看
    </button>
  );
}
