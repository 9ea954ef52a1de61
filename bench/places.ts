// 地名联想 at scale: places.suggest (the gazetteer, key places, basemap names, grids, and past
// ticket addresses by prefix and by any part) on an n-ticket demo store (default 100,000).
//   npm run bench -- places [--db STORE] [--tickets N]
// Without --db the store is bench/.data/store-N.sqlite (built once, as the store part does). The
// store is migrated on open (a store from before migration 22 learns its addresses then: timed).
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { suggestPlaces } from '../src/main/services/grids/places';
import { argValue, emit, progress, summary, timeRuns } from './stats';
import { ensureBenchStore } from './store';

export async function benchPlaces(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 100_000);
  const file = argValue(args, '--db') ?? (await ensureBenchStore(n));
  const t0 = Date.now();
  const store = await openStore(file);
  const openMs = Date.now() - t0;
  const ctx = createContext(store, { log: silentLogger });
  const db = store.db;
  const tickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const addresses = Number((await db.selectFrom('ticket_addresses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  emit({ name: 'places.open', n: tickets, distinct_addresses: addresses, open_ms: openMs });

  // What operators type: a road's start, the middle of an address (house number, building, unit),
  // a community or landmark word, two characters, and text found nowhere. Middles are taken from
  // the store's own addresses so that they hit.
  const sample = (await sql<{ address: string }>`SELECT address FROM ticket_addresses ORDER BY id LIMIT 40 OFFSET ${Math.floor(addresses / 3)}`.execute(db)).rows.map((r) => r.address);
  const middles = sample.map((a) => Array.from(a)).filter((cs) => cs.length >= 7).map((cs) => cs.slice(2, 6).join('')).slice(0, 10);
  const queries = ['经八路', '经八路3', '纬五路1', '黄河路', '体育', '花园', '家属院', '号楼2单元', '路12号', '路口附近', '省科技厅', '南门', '不存在的地方', '不存', ...middles];
  progress(`places.suggest: ${queries.length} texts on ${tickets} tickets (${addresses} distinct addresses with a point)`);

  const found: Record<string, number> = {};
  for (const q of queries) found[q] = (await suggestPlaces(ctx, q, 8)).length;
  const ms = await timeRuns(queries.length * 10, (i) => suggestPlaces(ctx, queries[i % queries.length]!, 8), queries.length);
  emit({ name: 'places.suggest', n: tickets, texts: queries.length, ...summary(ms), target_p95_ms: 20 });
  // The any-part kinds alone (three or more characters: trigram index; two: the scan of the distinct addresses).
  const mid = queries.filter((q) => Array.from(q).length >= 3);
  emit({ name: 'places.suggest.inner3', n: tickets, ...summary(await timeRuns(mid.length * 5, (i) => suggestPlaces(ctx, mid[i % mid.length]!, 8), mid.length)) });
  const two = queries.filter((q) => Array.from(q).length === 2);
  emit({ name: 'places.suggest.two', n: tickets, ...summary(await timeRuns(two.length * 10, (i) => suggestPlaces(ctx, two[i % two.length]!, 8), two.length)) });
  emit({ name: 'places.suggest.found', n: tickets, found: Object.entries(found).map(([q, k]) => `${q}:${k}`).join(' ') });
  await store.close();
}
