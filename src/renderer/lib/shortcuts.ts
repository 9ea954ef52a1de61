// Keyboard shortcuts: a global set (新建工单, focus search, help, Ctrl+Enter to save) handled in the
// frame, and keys a page lends meaning to while it is shown (the list: next/previous/open/select;
// the ticket: dispatch) registered with useShortcut. Plain keys never fire while the operator is
// typing in a field or a dialog is open; Ctrl+Enter (save) works everywhere.

import { useEffect, useRef } from 'react';

/** Returns true when it handled the key (the key's default is then prevented). */
export type ShortcutHandler = (e: KeyboardEvent) => boolean | void;

export const SHORTCUTS: ReadonlyArray<{ keys: string[]; label: string }> = [
  { keys: ['N'], label: '新建工单' },
  { keys: ['/'], label: '搜索工单（聚焦搜索框）' },
  { keys: ['J'], label: '工单列表：下一条' },
  { keys: ['K'], label: '工单列表：上一条' },
  { keys: ['O', 'Enter'], label: '工单列表：打开当前工单' },
  { keys: ['X'], label: '工单列表：勾选/取消勾选当前工单' },
  { keys: ['D'], label: '派单（工单详情页；列表中有勾选时为批量派单）' },
  { keys: ['Ctrl', 'Enter'], label: '保存/提交当前表单（输入时也可用）' },
  { keys: ['?'], label: '显示/关闭本帮助' },
  { keys: ['Esc'], label: '关闭对话框' },
];

const scoped = new Map<string, Array<{ current: ShortcutHandler }>>();

/** Lends `key` (lower case, e.g. 'j', 'enter') a meaning while the calling component is shown; the latest registration wins. */
export function useShortcut(key: string, handler: ShortcutHandler, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const stack = scoped.get(key) ?? [];
    stack.push(ref);
    scoped.set(key, stack);
    return () => {
      const s = scoped.get(key);
      if (!s) return;
      const i = s.lastIndexOf(ref);
      if (i >= 0) s.splice(i, 1);
    };
  }, [key, enabled]);
}

/** Whether the key went to a field the operator types in. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/** The form Ctrl+Enter saves: the focused field's, else the open dialog's, else the page's only form. */
function formToSave(target: EventTarget | null): HTMLFormElement | null {
  const own = (target as HTMLInputElement | null)?.form;
  if (own) return own;
  const dialogForms = document.querySelectorAll<HTMLFormElement>('.modal form');
  if (dialogForms.length) return dialogForms[dialogForms.length - 1]!;
  const pageForms = document.querySelectorAll<HTMLFormElement>('main.content form');
  return pageForms.length === 1 ? pageForms[0]! : null;
}

export interface GlobalShortcutActions {
  newTicket: (() => void) | null;
  focusSearch: () => void;
  toggleHelp: () => void;
}

/** Handles one keydown for the whole app. */
export function handleShortcut(e: KeyboardEvent, actions: GlobalShortcutActions): void {
  if (e.defaultPrevented || e.isComposing) return;
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    const form = formToSave(e.target);
    if (form) {
      e.preventDefault();
      form.requestSubmit();
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (isTyping(e.target)) return;
  if (e.key === '?') {
    e.preventDefault();
    actions.toggleHelp();
    return;
  }
  // Plain keys do nothing behind an open dialog.
  if (document.querySelector('.modal-backdrop, .shortcut-help')) return;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key.toLowerCase();
  const stack = scoped.get(key);
  const top = stack?.[stack.length - 1];
  if (top && top.current(e)) {
    e.preventDefault();
    return;
  }
  if (key === 'n' && actions.newTicket) {
    e.preventDefault();
    actions.newTicket();
  } else if (key === '/') {
    e.preventDefault();
    actions.focusSearch();
  }
}
