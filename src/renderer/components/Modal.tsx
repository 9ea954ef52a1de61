// Modal dialog: Esc or the × closes it, focus moves into it on open and back on close.

import { useEffect, useRef, type ReactNode } from 'react';

export function Modal({
  title,
  onClose,
  children,
  width = 560,
  testId,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  width?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    // Focus the first field (or the dialog) once rendered.
    const t = setTimeout(() => {
      const el = box.current?.querySelector<HTMLElement>(
        'input:not([type=hidden]):not([disabled]), textarea, select, button.primary',
      );
      (el ?? box.current)?.focus();
    }, 0);
    return () => {
      clearTimeout(t);
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" style={{ width }} ref={box} tabIndex={-1} data-testid={testId ?? 'modal'}>
        <div className="modal-head">
          <h3>{title}</h3>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="关闭" title="关闭（Esc）">
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
