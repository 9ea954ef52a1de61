// The city's binary array parameters (src/city/pgArrays.ts) read back by the real database: PGlite,
// and the PostgreSQL server named by CITY_TEST_PG_URL when it is set (CI sets it). Every element
// type the city sends, NULLs, empty strings, multi-byte and astral characters, large integers.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCityDb, type CityDb } from '../../src/city/db';
import { pgBinaryArray } from '../../src/city/pgArrays';
import { tempDir } from '../support/fixture';
import { freshPgDatabase, PG_URL } from '../support/city';

describe(`binary array parameters (${PG_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let city: CityDb;
  beforeAll(async () => {
    city = await openCityDb(PG_URL ? { databaseUrl: await freshPgDatabase(PG_URL) } : { dataDir: tempDir('pgarrays-') });
  });
  afterAll(async () => {
    await city?.close();
  });

  it('text, integer, bigint and double precision arrays come back as sent, row by row through unnest', async () => {
    const texts = ['经八路井盖', '', null, 'a"b\\c,{d}', '𠮷野家 🚧', 'x'.repeat(5000), 'NULL'];
    const ints = [0, -1, 2147483647, null, -2147483648, 42, 7];
    const bigs = [0, Date.UTC(2026, 11, 4), null, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, '9007199254740993', 1];
    const dbls = [113.6654, -0.5, null, 1e-300, 34.7466, 0, 1.7976931348623157e308];
    const r = await sql<{ i: number; t: string | null; n: number | null; b: string | null; d: number | null }>`
      SELECT ord::int AS i, t, n, b::text AS b, d
      FROM unnest(${pgBinaryArray('text', texts)}::text[], ${pgBinaryArray('integer', ints)}::integer[],
                  ${pgBinaryArray('bigint', bigs)}::bigint[], ${pgBinaryArray('double precision', dbls)}::double precision[])
           WITH ORDINALITY AS x(t, n, b, d, ord)
      ORDER BY ord`.execute(city.db);
    expect(r.rows.map((x) => x.t)).toEqual(texts);
    expect(r.rows.map((x) => x.n)).toEqual(ints);
    expect(r.rows.map((x) => x.b)).toEqual(bigs.map((v) => (v == null ? null : String(v))));
    expect(r.rows.map((x) => (x.d == null ? null : Number(x.d)))).toEqual(dbls);
  });

  it('an empty array is an empty unnest; a jsonb column travels as text and is cast', async () => {
    const empty = await sql<{ n: number }>`SELECT count(*)::int AS n FROM unnest(${pgBinaryArray('text', [])}::text[])`.execute(city.db);
    expect(empty.rows[0]!.n).toBe(0);
    const j = await sql<{ v: string }>`SELECT (x::jsonb ->> 'k') AS v FROM unnest(${pgBinaryArray('text', [JSON.stringify({ k: '井盖' })])}::text[]) AS x`.execute(city.db);
    expect(j.rows[0]!.v).toBe('井盖');
  });

  it('refuses values that are not of the element type instead of sending something else', () => {
    expect(() => pgBinaryArray('integer', [1.5])).toThrow(/not a integer/);
    expect(() => pgBinaryArray('integer', [Number.NaN])).toThrow();
    expect(() => pgBinaryArray('bigint', [Infinity])).toThrow();
    expect(() => pgBinaryArray('bigint', ['12abc'])).toThrow();
    expect(() => pgBinaryArray('double precision', [Number.NaN])).toThrow();
    expect(() => pgBinaryArray('double precision', ['x'])).toThrow();
  });
});
