// The city of `bench sync`, in a process of its own — as in use, where the city center and a street
// node are different machines. Started by bench/sync.ts with `fork`; takes commands over the IPC
// channel and answers each with `{ id, ok, value }` or `{ id, ok: false, error }`.
import { startCityServer, type CityServer } from '../src/city/server';
import { timeCityPush } from './cityPushTimer';

export type CityCommand =
  | { cmd: 'start'; dataDir: string; databaseUrl?: string }
  | { cmd: 'registerStreet'; code: string }
  /** Resets the counters of the city's push: wall time inside `svc.push` and this process's CPU. */
  | { cmd: 'measure' }
  | { cmd: 'measured' }
  | { cmd: 'insertFeed'; rows: Array<{ street_code: string; kind: string; entity_id: string; at: string; payload: string }> }
  | { cmd: 'sendDirective'; title: string; body: string; streets: string[] }
  | { cmd: 'close' };

let city: CityServer | null = null;
let pushTimer: ReturnType<typeof timeCityPush> | null = null;
let cpu0 = process.cpuUsage();

async function run(c: CityCommand): Promise<unknown> {
  if (c.cmd === 'start') {
    city = await startCityServer({ dataDir: c.dataDir, databaseUrl: c.databaseUrl, port: 0, log: () => {} });
    pushTimer = timeCityPush(city);
    return { url: city.url, db: c.databaseUrl ? 'postgres' : 'pglite' };
  }
  if (!city) throw new Error('city not started');
  switch (c.cmd) {
    case 'registerStreet':
      await city.svc.registerStreet(c.code);
      return null;
    case 'measure':
      pushTimer?.reset();
      cpu0 = process.cpuUsage();
      return null;
    case 'measured': {
      const cpu = process.cpuUsage(cpu0);
      return { pushMs: pushTimer?.ms() ?? 0, cpuS: (cpu.user + cpu.system) / 1e6 };
    }
    case 'insertFeed':
      await city.db.db.insertInto('feed').values(c.rows).execute();
      return null;
    case 'sendDirective': {
      const d = await city.svc.sendDirective({ title: c.title, body: c.body, priority: 'urgent', streets: c.streets });
      return { id: d.id };
    }
    case 'close':
      await city.close();
      city = null;
      return null;
  }
}

process.on('message', (m: { id: number; command: CityCommand }) => {
  run(m.command).then(
    (value) => process.send!({ id: m.id, ok: true, value }),
    (err: unknown) => process.send!({ id: m.id, ok: false, error: err instanceof Error ? err.stack : String(err) }),
  );
});
