// Preload bridge: exposes exactly these functions to the renderer; no Node, no ipcRenderer.

import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_NOTIFY, IPC_NOTIFY_CLICK, FILE_SCHEME } from './ipc';

contextBridge.exposeInMainWorld('chengyun', {
  invoke: (method: string, input: unknown, token: string | null) => ipcRenderer.invoke(IPC_INVOKE, method, input, token),
  onEvent: (cb: (e: unknown) => void) => {
    const listener = (_: unknown, e: unknown) => cb(e);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  // No credential in the URL: the main process answers for the window's current session.
  fileUrl: (sha256: string) => `${FILE_SCHEME}://${sha256}`,
  // A desktop notification through Electron's Notification (main process, ./notify.ts).
  notify: (n: { title: string; body: string; href: string }) => ipcRenderer.invoke(IPC_NOTIFY, n),
  onNotificationClick: (cb: (href: string) => void) => {
    const listener = (_: unknown, href: unknown) => typeof href === 'string' && cb(href);
    ipcRenderer.on(IPC_NOTIFY_CLICK, listener);
    return () => ipcRenderer.removeListener(IPC_NOTIFY_CLICK, listener);
  },
});
