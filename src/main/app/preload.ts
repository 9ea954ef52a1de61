// Preload bridge: exposes exactly three functions to the renderer; no Node, no ipcRenderer.

import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_INVOKE, FILE_SCHEME } from './ipc';

contextBridge.exposeInMainWorld('chengyun', {
  invoke: (method: string, input: unknown, token: string | null) => ipcRenderer.invoke(IPC_INVOKE, method, input, token),
  onEvent: (cb: (e: unknown) => void) => {
    const listener = (_: unknown, e: unknown) => cb(e);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  // No credential in the URL: the main process answers for the window's current session.
  fileUrl: (sha256: string) => `${FILE_SCHEME}://${sha256}`,
});
