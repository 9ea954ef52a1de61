// One shape for popups (menus, pickers, the alerts list): while open, a mouse press outside the
// wrapping element closes it — and, where asked, so does Escape.

import { useEffect, type RefObject } from 'react';

export function useDismiss(open: boolean, wrap: RefObject<HTMLElement | null>, close: () => void, opts: { escape?: boolean } = {}): void {
  const { escape = false } = opts;
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    document.addEventListener('mousedown', onDown);
    if (escape) document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      if (escape) document.removeEventListener('keydown', onKey);
    };
  }, [open, wrap, close, escape]);
}
