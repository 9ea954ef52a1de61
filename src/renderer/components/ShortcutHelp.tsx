// The keyboard shortcuts: the frame's key handler and the help overlay (?).

import { useEffect, useState } from 'react';
import { handleShortcut, SHORTCUTS } from '../lib/shortcuts';
import { navigate, useRoute } from '../lib/router';

const SEARCH = '[data-testid="filter-q"]';

export function KeyboardShortcuts({ canCreate }: { canCreate: boolean }) {
  const [help, setHelp] = useState(false);
  const route = useRoute();
  const onList = route.segments[0] === 'tickets' && !route.segments[1];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (help && (e.key === 'Escape' || e.key === '?')) {
        e.preventDefault();
        setHelp(false);
        return;
      }
      handleShortcut(e, {
        newTicket: canCreate ? () => navigate('/new') : null,
        toggleHelp: () => setHelp((h) => !h),
        focusSearch: () => {
          const box = document.querySelector<HTMLInputElement>(SEARCH);
          if (box) {
            box.focus();
            box.select();
          } else if (!onList) {
            // Not on the list: open it and focus its search box once rendered.
            navigate('/tickets');
            setTimeout(() => document.querySelector<HTMLInputElement>(SEARCH)?.focus(), 150);
          }
        },
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help, canCreate, onList]);

  if (!help) return null;
  return (
    <div className="shortcut-help" role="dialog" aria-modal="true" aria-label="键盘快捷键" data-testid="shortcut-help" onMouseDown={(e) => e.target === e.currentTarget && setHelp(false)}>
      <div className="shortcut-box">
        <div className="modal-head">
          <h3>键盘快捷键</h3>
          <button type="button" className="icon-btn" onClick={() => setHelp(false)} aria-label="关闭">
            ×
          </button>
        </div>
        <table className="shortcut-table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && (s.keys[0] === 'Ctrl' ? ' + ' : ' 或 ')}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">在输入框中打字时，单键快捷键不生效（Ctrl+Enter 除外）。</p>
      </div>
    </div>
  );
}
