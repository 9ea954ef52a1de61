// Street store at scale (default 1,000,000 tickets): open/migrate, the list's first page, a
// filtered page sorted by deadline, and Chinese full-text search against a naive LIKE scan
// over the same data, in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../src/main/db/store';
import { createContext } from '../src/main/services/core/context';
import { silentLogger } from '../src/main/services/core/log';
import { listTickets } from '../src/main/services/tickets/queries';
import { seedDemoStreet } from '../src/main/demo/seed';
import type { User } from '../src/shared/api/types';
import { OPEN_STATUSES } from '../src/shared/domain/ticket';
import { argValue, emit, progress, summary, timeRuns } from './stats';

const OPERATOR: User = { id: 'bench', username: 'bench', displayName: '基准', role: 'operator', unitId: null, unitName: null };

/** The n-ticket demo store of the benchmarks (bench/.data/store-N.sqlite), built once and kept. */
export async function ensureBenchStore(n: number): Promise<string> {
  const dir = path.resolve(__dirname, '.data');
  const file = path.join(dir, `store-${n}.sqlite`);
  if (!fs.existsSync(file)) {
    progress(`building a ${n}-ticket demo store at ${file} (once; kept for later runs)`);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = file + '.building';
    for (const f of fs.readdirSync(dir)) if (f.startsWith(path.basename(tmp))) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    const s = await openStore(tmp);
    const t0 = Date.now();
    const r = await seedDemoStreet(s, { tickets: n, onProgress: (m) => progress(m) });
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(s.db);
    await sql`ANALYZE`.execute(s.db);
    await s.close();
    fs.renameSync(tmp, file);
    if (fs.existsSync(tmp + '.files')) fs.renameSync(tmp + '.files', file + '.files');
    emit({ name: 'store.seed', n, tickets: r.tickets, events: r.events, total_ms: Date.now() - t0 });
  }

  return file;
}

export async function benchStore(args: string[]): Promise<void> {
  const n = Number(argValue(args, '--tickets') ?? 1_000_000);
  const file = await ensureBenchStore(n);

  // Open + migration check: a cold open of the file, repeated.
  const opens = await timeRuns(10, async () => {
    const s = await openStore(file);
    await s.db.selectFrom('tickets').select('id').limit(1).execute();
    await s.close();
  }, 1);
  emit({ name: 'store.open', n, ...summary(opens) });

  const store = await openStore(file);
  const ctx = createContext(store, { log: silentLogger });
  const db = store.db;

  const firstPage = await timeRuns(30, () => listTickets(ctx, OPERATOR, { startRow: 0, endRow: 200, sort: [], filter: {} }));
  emit({ name: 'store.list.first_page', n, rows: 200, ...summary(firstPage) });

  // A filtered page: open statuses + a leaf category + a community, sorted by deadline.
  const combos = await sql<{ category_id: string; grid_id: string }>`
    SELECT t.category_id, g.parent_id AS grid_id FROM tickets t JOIN grids g ON g.id = t.grid_id
    WHERE t.rowid % 997 = 0 AND t.category_id IS NOT NULL LIMIT 20`.execute(db);
  const filtered = await timeRuns(30, (i) => {
    const c = combos.rows[i % combos.rows.length]!;
    return listTickets(ctx, OPERATOR, {
      startRow: 0,
      endRow: 200,
      sort: [{ colId: 'resolveDeadline', sort: 'asc' }],
      filter: { statuses: [...OPEN_STATUSES, 'resolved'], categoryId: c.category_id, gridId: c.grid_id },
    });
  });
  emit({ name: 'store.list.filtered', n, rows: 200, ...summary(filtered) });

  // Deep scroll: a page far down the list (AG Grid asks for blocks by offset).
  const deep = await timeRuns(10, (i) => listTickets(ctx, OPERATOR, { startRow: 100_000 + i * 100, endRow: 100_100 + i * 100, sort: [], filter: {} }));
  emit({ name: 'store.list.deep_page', n, start_row: 100_000, ...summary(deep) });

  // Full-text search: the first page of newest matches, FTS vs LIKE on the same terms.
  const terms = ['暖气不热', '井盖', '油烟', '噪音扰民', '路灯', '漏水', '占道经营', '垃圾'];
  const ftsRuns = await timeRuns(terms.length * 4, (i) =>
    listTickets(ctx, OPERATOR, { startRow: 0, endRow: 200, sort: [], filter: { q: terms[i % terms.length]! } }),
  );
  // Naive baseline: the same page by scanning the text with LIKE '%term%'.
  const likeRuns = await timeRuns(terms.length, (i) => {
    const like = `%${terms[i % terms.length]}%`;
    return sql`SELECT id FROM tickets WHERE description LIKE ${like} OR address LIKE ${like} OR code LIKE ${like}
               ORDER BY rowid DESC LIMIT 200`.execute(db);
  }, 1);
  const fts = summary(ftsRuns);
  const likeS = summary(likeRuns);
  emit({ name: 'store.search.fts', n, terms: terms.length, note: 'common words; LIKE stops early on these', ...fts, like_p50_ms: likeS.p50_ms, ratio_vs_like: likeS.p50_ms / fts.p50_ms });

  // Specific searches (a phrase from one complaint, an address) are what operators type most; a
  // LIKE scan cannot stop early for them. Phrases are sampled from the data, keeping rare ones.
  const sample = await sql<{ description: string }>`SELECT description FROM tickets WHERE rowid % 7919 = 3 LIMIT 200`.execute(db);
  const rare: string[] = [];
  for (const r of sample.rows) {
    const han = (r.description.match(/[\u4e00-\u9fff]{6,}/g) ?? []).sort((a, b) => b.length - a.length)[0];
    if (!han) continue;
    const phrase = han.slice(1, 6);
    const m = await listTickets(ctx, OPERATOR, { startRow: 0, endRow: 200, sort: [], filter: { q: phrase } });
    if (m.lastRow >= 0 && m.lastRow < 200 && !rare.includes(phrase)) rare.push(phrase);
    if (rare.length >= 8) break;
  }
  const ftsRare = summary(await timeRuns(rare.length * 4, (i) => listTickets(ctx, OPERATOR, { startRow: 0, endRow: 200, sort: [], filter: { q: rare[i % rare.length]! } })));
  const likeRare = summary(await timeRuns(rare.length, (i) => {
    const like = `%${rare[i % rare.length]}%`;
    return sql`SELECT id FROM tickets WHERE description LIKE ${like} OR address LIKE ${like} OR code LIKE ${like} ORDER BY rowid DESC LIMIT 200`.execute(db);
  }, 1));
  emit({ name: 'store.search.fts_specific', n, terms: rare.length, ...ftsRare, like_p50_ms: likeRare.p50_ms, like_p95_ms: likeRare.p95_ms, ratio_vs_like: likeRare.p50_ms / ftsRare.p50_ms });

  // Counting every match is where a scan cannot stop early.
  const heating = '暖气不热';
  const ftsCount = await timeRuns(10, () => sql`SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH '"暖气 气不 不热"'`.execute(db));
  const likeCount = await timeRuns(3, () => sql`SELECT count(*) FROM tickets WHERE description LIKE ${'%' + heating + '%'}`.execute(db), 1);
  const fc = summary(ftsCount);
  const lc = summary(likeCount);
  emit({ name: 'store.search.fts_count', n, term: heating, ...fc, like_p50_ms: lc.p50_ms, ratio_vs_like: lc.p50_ms / fc.p50_ms });

  const dash = await timeRuns(10, async () => {
    const { dashboardCounts } = await import('../src/main/services/tickets/queries');
    return dashboardCounts(ctx, OPERATOR);
  });
  emit({ name: 'store.dashboard.counts', n, ...summary(dash) });
  await store.close();
}
