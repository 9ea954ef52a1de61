import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { mineRecurring } from '../src/main/services/recurring/mining';
import { DEFAULT_MINING } from '../src/shared/recurring/rules';
async function main() {
  const store = await openStore(process.argv[2]!);
  const last = (await sql<{ t: number }>`SELECT max(created_at) AS t FROM tickets`.execute(store.db)).rows[0]!.t;
  const now = last + 1;
  const ctx = createContext(store, { log: silentLogger, now: () => now });
  await mineRecurring(ctx, DEFAULT_MINING);
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.start');
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    await mineRecurring(ctx, DEFAULT_MINING);
    times.push(Math.round(performance.now() - t));
  }
  const { profile } = await s.post('Profiler.stop');
  fs.writeFileSync('/tmp/prof/mine.cpuprofile', JSON.stringify(profile));
  console.log(JSON.stringify({ warm: times }));
  await store.close();
}
void main();
