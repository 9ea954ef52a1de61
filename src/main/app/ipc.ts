// IPC channel names shared by the Electron main process and the preload bridge.
export const IPC_INVOKE = 'chengyun:invoke';
export const IPC_EVENT = 'chengyun:event';
export const FILE_SCHEME = 'chengyun-file';
export const IPC_NOTIFY = 'chengyun:notify';
export const IPC_NOTIFY_CLICK = 'chengyun:notify-click';
