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
  let t = performance.now();
  const r = await mineRecurring(ctx, DEFAULT_MINING);
  console.log(JSON.stringify({ name: 'cold', ms: performance.now() - t, scanned: r.scanned, groups: r.groupCount, heap_mb: Math.round(process.memoryUsage().heapUsed / 1048576) }));
  const times: number[] = [];
  for (let i = 0; i < 8; i++) {
    t = performance.now();
    await mineRecurring(ctx, DEFAULT_MINING);
    times.push(performance.now() - t);
  }
  console.log(JSON.stringify({ name: 'warm', times: times.map(Math.round) }));
  await store.close();
}
void main();
