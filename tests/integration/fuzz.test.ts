// Fuzz: a few thousand hostile raw requests (seeded: FUZZ_SEED=N replays a run) against the real
// street node host and the real city server. Neither may die, leave an error unhandled or answer
// with a 5xx; both must answer a normal request afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host';
import { startTestCity, type TestCity } from '../support/city';
import { rawRequest } from '../support/raw';
import { fuzzRequests, runAll } from '../support/fuzz';
import { PASSWORD } from '../support/fixture';

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const NODE_REQUESTS = Number(process.env.FUZZ_NODE ?? 2500);
const CITY_REQUESTS = Number(process.env.FUZZ_CITY ?? 1000);

let t: TestHost;
let city: TestCity;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('uncaughtException', onUnhandled);
  process.on('unhandledRejection', onUnhandled);
  t = await startTestHost();
  city = await startTestCity();
});
afterAll(async () => {
  process.off('uncaughtException', onUnhandled);
  process.off('unhandledRejection', onUnhandled);
  await t?.close();
  await city?.close();
});

function report(labels: string[], statuses: number[]) {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  const bad = statuses.map((s, i) => [s, labels[i]] as const).filter(([s]) => s >= 500);
  return { counts, bad: bad.slice(0, 10) };
}

describe(`fuzz (seed ${SEED})`, () => {
  it(`the street node host survives ${NODE_REQUESTS} hostile requests and answers afterwards`, async () => {
    const port = t.host.port;
    const reqs = fuzzRequests(SEED, NODE_REQUESTS, { port, paths: ['/', '/index.html', '/api/session.login', '/api/tickets.list', '/api/session.wsTicket', '/api/no.such', '/files/', '/files/' + 'a'.repeat(64), '/ws', '/assets'] });
    const statuses = await runAll(reqs, 16, async (q) => (await rawRequest({ port }, q.bytes, 4000, { end: q.end })).status);
    const r = report(reqs.map((q) => q.label), statuses);
    expect(r.bad, `seed ${SEED}: ${JSON.stringify(r.counts)}`).toEqual([]);
    // Most requests got an answer (a half-sent body may get none).
    expect(statuses.filter((s) => s > 0).length).toBeGreaterThan(NODE_REQUESTS * 0.8);
    expect(unhandled).toEqual([]);
    const ok = await t.post('session.login', { username: 'operator', password: PASSWORD });
    expect(ok.status).toBe(200);
  });

  it(`the city server survives ${CITY_REQUESTS} hostile requests (no client certificate) and answers afterwards`, async () => {
    const port = city.server.port;
    const reqs = fuzzRequests(SEED + 1, CITY_REQUESTS, {
      port,
      paths: ['/open311/v2/requests.json', '/open311/v2/requests.xml', '/open311/v2/services.json', '/open311/v2/discovery.xml', '/open311/v2/tokens/x.json', '/sync/v1/pull', '/sync/v1/push', '/admin/v1/directives', '/console', '/console/revoke', '/'],
    });
    const statuses = await runAll(reqs, 12, async (q) => (await rawRequest({ port, tls: true }, q.bytes, 4000, { end: q.end })).status);
    const r = report(reqs.map((q) => q.label), statuses);
    expect(r.bad, `seed ${SEED + 1}: ${JSON.stringify(r.counts)}`).toEqual([]);
    expect(statuses.filter((s) => s > 0).length).toBeGreaterThan(CITY_REQUESTS * 0.8);
    expect(unhandled).toEqual([]);
    const ok = await rawRequest({ port, tls: true }, `GET /open311/v2/services.json HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: close\r\n\r\n`);
    expect(ok.status).toBe(200);
  });
});
