// `npm start`: starts Electron where its binary is installed; otherwise says so and serves the
// same app in the browser from the street node's local host, opening a Chromium/Chrome/Edge if
// one is found.
//
//   node dist/main/start.js [--browser] [--no-open] [--db FILE] [--port N] [--lan] [--demo] [--tickets N]
//
// --demo opens (and on a new file seeds) the demo street 经八路街道; without it the file must hold a
// real street made by `npm run street -- init`. --lan is refused on the demo street; with --lan the
// node serves HTTPS on every address of the machine (src/main/host/serve.ts, host/tls.ts) and prints
// its certificate's SHA-256 fingerprint.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStreetNode } from './node';
import { serveNode } from './host/serve';
import { createLogger } from './services/core/log';

const log = createLogger('start');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);

const root = path.resolve(__dirname, '..', '..');

function electronBinary(): string | null {
  try {
    // In Node, require('electron') returns the path of the downloaded binary, or throws.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bin = require('electron') as unknown;
    return typeof bin === 'string' && fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function findBrowser(): string | null {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  for (const n of names) {
    const r = spawnSync('sh', ['-c', `command -v ${n}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

// Whatever slips past the request handlers is logged, and the node goes on serving: one bad
// request must not end everyone's session. (Startup failures still exit, below.)
process.on('unhandledRejection', (reason) => log.error('unhandled rejection (the node goes on)', { error: reason instanceof Error ? reason.stack : String(reason) }));
process.on('uncaughtException', (err) => log.error('uncaught exception (the node goes on)', { error: err.stack ?? String(err) }));

async function main() {
  if (!flag('--browser')) {
    const bin = electronBinary();
    if (bin) {
      log.info('starting Electron', { bin });
      const child = spawn(bin, [path.join(root, 'dist/main/electron.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
      child.on('exit', (code) => process.exit(code ?? 0));
      return;
    }
    process.stderr.write('未找到 Electron 程序（本机未安装 Electron 二进制文件），改为在浏览器中提供城运台。\n' +
      'Electron binary not installed here: serving the same app to the browser instead.\n');
  }
  const db = path.resolve(arg('--db') ?? path.join(root, '.data', 'street.sqlite'));
  const port = Number(arg('--port') ?? 5180);
  const tickets = arg('--tickets') ? Number(arg('--tickets')) : undefined;
  const node = await openStreetNode(db, { demo: flag('--demo'), lan: flag('--lan'), demoTickets: tickets, escalateEveryMs: 60_000, backupEveryMs: 600_000, log: createLogger('node') });
  const host = await serveNode(node, { storeFile: db, port, lan: flag('--lan'), rendererDir: path.join(root, 'dist/renderer') });
  process.stderr.write(`城运台已启动 listening: ${host.url}  (数据库 ${db})\n`);
  if (host.tls) {
    const by = host.tls.source === 'city' ? '市级CA签发' : '自签名';
    process.stderr.write(`局域网 HTTPS：https://<本机局域网地址>:${host.port}  证书（${by}）SHA-256 指纹：${host.tls.fingerprint}\n` +
      `  请局域网内的电脑首次访问时核对浏览器显示的证书指纹与此一致（设置 › 局域网访问 中也可查看）。证书文件：${host.tls.certFile}\n`);
    log.info('serving the LAN over HTTPS', { port: host.port, source: host.tls.source, fingerprint: host.tls.fingerprint, cert: host.tls.certFile });
  }
  if (!flag('--no-open') && (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    const browser = findBrowser();
    if (browser) spawn(browser, [`--app=${host.url}`], { stdio: 'ignore', detached: true }).unref();
    else process.stderr.write(`请在浏览器中打开 ${host.url}\n`);
  }
  const stop = async () => {
    await host.close();
    await node.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  log.error('start failed', { error: err instanceof Error ? err.message : String(err), detail: (err as { detail?: string }).detail });
  process.stderr.write(`启动失败：${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
