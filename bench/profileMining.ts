// Where the 一批事 mining's time goes (read rows, text profiles, candidate matching, words):
//   npx tsx bench/profileMining.ts STORE
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { clusterTickets, mineRecurring } from '../src/main/services/recurring/mining';
import { DEFAULT_MINING, textProfile } from '../src/shared/recurring/rules';

async function main() {
  const store = await openStore(process.argv[2]!);
  const last = (await sql<{ t: number }>`SELECT max(created_at) AS t FROM tickets`.execute(store.db)).rows[0]!.t;
  const ctx = createContext(store, { log: silentLogger, now: () => last + 1 });
  const from = last + 1 - DEFAULT_MINING.windowDays * 86_400_000;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const rows = await store.db
      .selectFrom('tickets')
      .select(['id', 'created_at', 'category_id', 'address', 'lon', 'lat', 'grid_id', 'description', 'unit_id', 'status'])
      .where('created_at', '>=', from)
      .where('category_id', 'is not', null)
      .where('merged_into', 'is', null)
      .where('status', '!=', 'cancelled')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const read = performance.now() - t;
    t = performance.now();
    for (const r of rows) textProfile(r.description);
    const prof = performance.now() - t;
    t = performance.now();
    const c = await clusterTickets(ctx, DEFAULT_MINING);
    const cluster = performance.now() - t;
    t = performance.now();
    const m = await mineRecurring(ctx, DEFAULT_MINING);
    const all = performance.now() - t;
    console.log(JSON.stringify({ rows: rows.length, read_ms: Math.round(read), profiles_ms: Math.round(prof), cluster_total_ms: Math.round(cluster), mine_total_ms: Math.round(all), groups: c.groups.length, batches: m.groupCount }));
  }
  await store.close();
}
void main();
