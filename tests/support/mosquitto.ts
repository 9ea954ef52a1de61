// A real Eclipse Mosquitto broker for tests: Debian's `mosquitto` on a free loopback port with a
// throwaway config (anonymous clients on 127.0.0.1 only, no persistence). Can be killed and started
// again on the same port, to test that clients resume.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './fixture';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`mosquitto did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startBroker(): Promise<TestBroker> {
  if (!fs.existsSync(MOSQUITTO)) throw new Error(`${MOSQUITTO} not found: install Debian's mosquitto (.ci/run does)`);
  const port = await freePort();
  const dir = tempDir('chengyun-mqtt-');
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nlog_dest file ${path.join(dir, 'mosquitto.log')}\n`);
  let proc: ChildProcess | null = null;
  const broker: TestBroker = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async start() {
      proc = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
      await waitForPort(port);
    },
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode != null) return;
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGKILL');
      });
    },
  };
  await broker.start();
  return broker;
}
