// One street store and one city for sync tests (tests/integration/sync*.test.ts): a fresh
// fixture street, a real city server (PGlite, or PostgreSQL with CITY_TEST_PG_URL) holding the
// street's credentials, and optionally a TCP proxy in between that a test can cut.
import { createFixture, type Fixture } from './fixture';
import { startTestCity, type TestCity } from './city';
import { TcpProxy } from './tcpProxy';
import { SyncClient } from '../../src/main/sync/client';

/** The fixture's street (经八路街道). */
export const STREET = '410105001';

/** A complaint as an operator files it, with the reporter's personal data. */
export const ticketInput = {
  channel: 'hotline12345' as const,
  type: 'complaint' as const,
  description: '体育场路12号院门口井盖缺失，晚上很危险',
  address: '经八路体育场路12号院',
  reporterName: '张三',
  reporterPhone: '13812345678',
  categoryId: 'c12',
};

export interface SyncWorld {
  f: Fixture;
  city: TestCity;
  /** Present when opened with `proxy: true`; the street's credential then points at it. */
  proxy: TcpProxy | null;
  /** A sync client for the street (not live, short back-off); stopped by `close`. */
  client(opts?: ConstructorParameters<typeof SyncClient>[2]): SyncClient;
  close(): Promise<void>;
}

export async function openSyncWorld(opts: { streets?: string[]; proxy?: boolean } = {}): Promise<SyncWorld> {
  const f = await createFixture();
  const city = await startTestCity({ streets: opts.streets ?? [STREET] });
  let proxy: TcpProxy | null = null;
  if (opts.proxy) {
    proxy = new TcpProxy(city.server.port);
    await proxy.listen();
  }
  const clients: SyncClient[] = [];
  return {
    f,
    city,
    proxy,
    client(o = {}) {
      const cred = proxy ? { ...city.credential(STREET), url: `https://127.0.0.1:${proxy.port}` } : city.credential(STREET);
      const c = new SyncClient(f.ctx, cred, { live: false, baseDelayMs: 50, maxDelayMs: 500, ...o });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.stop();
      await proxy?.close();
      await city.close();
      await f.close();
    },
  };
}
