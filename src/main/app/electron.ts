// Electron main process: one window, the renderer loaded from files, the API over typed IPC
// through the preload bridge (contextIsolation, sandbox, no nodeIntegration, strict CSP).
// The only module besides preload.ts that imports 'electron'.

import path from 'node:path';
import fs from 'node:fs';
import { app, BrowserWindow, ipcMain, protocol, net, session, Menu, Notification } from 'electron';
import { openStreetNode, type StreetNode } from '../node';
import { toErrorBody } from '../services/api';
import { attachmentPath } from '../services/tickets/attachments';
import { IPC_EVENT, IPC_INVOKE, IPC_NOTIFY, IPC_NOTIFY_CLICK, FILE_SCHEME } from './ipc';
import { parseNotifyRequest } from './notify';
import type { Host } from '../host/httpHost';
import { serveNode } from '../host/serve';
import { liveCsp } from '../host/csp';


protocol.registerSchemesAsPrivileged([{ scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let node: StreetNode | null = null;
let host: Host | null = null;

async function createWindow() {
  const dbFile = process.env.CHENGYUN_DB ?? path.join(app.getPath('userData'), 'street.sqlite');
  node = await openStreetNode(dbFile, { demo: process.argv.includes('--demo'), lan: process.argv.includes('--lan'), escalateEveryMs: 60_000, backupEveryMs: 600_000 });
  const n = node;

  // Optional LAN host (HTTPS) for meeting-room screens and department laptops.
  if (process.argv.includes('--lan')) {
    const served = await serveNode(n, { storeFile: dbFile, port: 5180, lan: true, rendererDir: path.join(__dirname, '../renderer') });
    host = served;
    n.ctx.log.info('serving the LAN over HTTPS', { port: served.port, source: served.tls?.source, fingerprint: served.tls?.fingerprint });
  }

  // The window's session for attachment images: the token of its last accepted call (no token in
  // any URL, like the HttpOnly cookie the browser mode gets); logging out ends it.
  let fileSessionToken: string | null = null;
  ipcMain.handle(IPC_INVOKE, async (_e, method: unknown, input: unknown, token: unknown) => {
    const m = typeof method === 'string' ? method : '';
    try {
      const data = await n.api.handle(m, input, typeof token === 'string' ? token : null);
      if (m === 'session.logout') fileSessionToken = null;
      else if (typeof token === 'string') fileSessionToken = token;
      return { ok: true, data };
    } catch (err) {
      return { ok: false, error: toErrorBody(n.ctx, err, m).body };
    }
  });

  protocol.handle(FILE_SCHEME, async (req) => {
    const url = new URL(req.url);
    const sha = url.hostname;
    try {
      n.api.sessions.resolve(fileSessionToken);
    } catch {
      return new Response('unauthorized', { status: 401 });
    }
    if (!/^[0-9a-f]{64}$/.test(sha)) return new Response('bad id', { status: 400 });
    const file = attachmentPath(n.ctx, sha);
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    return net.fetch('file://' + file);
  });

  // Images only from the app and exactly the configured tile hosts (follows 设置 › 地图底图).
  const csp = liveCsp(n.ctx, { fileScheme: FILE_SCHEME, electron: true });
  await csp.ready;
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp.get()] } });
  });

  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '城运台',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith('file://')) e.preventDefault();
  });
  const unsubscribe = n.ctx.events.subscribe((ev) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, ev);
  });
  win.on('closed', unsubscribe);

  // Alerts as the system's own notifications (silent: the renderer plays the alert sound); a click
  // brings the window forward and opens what it is about.
  ipcMain.handle(IPC_NOTIFY, (_e, req: unknown) => {
    const n = parseNotifyRequest(req);
    if (!n) {
      node?.ctx.log.warn('notification request refused', { got: typeof req });
      return false;
    }
    if (!Notification.isSupported()) return false;
    const shown = new Notification({ title: n.title, body: n.body, silent: true });
    shown.on('click', () => {
      if (win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.focus();
      win.webContents.send(IPC_NOTIFY_CLICK, n.href);
    });
    shown.show();
    return true;
  });
  Menu.setApplicationMenu(null);
  await win.loadFile(path.join(__dirname, '../renderer/index.html'));
}

app.whenReady().then(createWindow).catch((err) => {
  process.stderr.write(`城运台启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(1);
});

app.on('window-all-closed', async () => {
  await host?.close();
  await node?.close();
  app.quit();
});
