// Logins over the real host: throttling per address and per username (429 + Retry-After after the
// 10th failure, until the window passes), the dummy hash for unknown users, the session's idle
// and absolute lifetimes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../support/host';
import { PASSWORD } from '../support/fixture';
import { ABSOLUTE_MS, IDLE_MS, WINDOW_MS } from '../../src/main/services/auth/sessions';

let t: TestHost;
const T0 = Date.parse('2026-11-23T10:00:00+08:00');
beforeEach(async () => {
  t = await startTestHost();
  t.f.setNow(T0);
});
afterEach(async () => {
  await t.close();
});

async function login(username: string, password: string) {
  const r = await fetch(`${t.host.url}/api/session.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as any };
}

describe('login throttling', () => {
  it('after 10 failures for one username, the 11th attempt gets 429 with Retry-After until the window passes', async () => {
    for (let i = 0; i < 10; i++) {
      t.f.setNow(T0 + i * 1000);
      expect((await login('operator', 'wrong-' + i)).status).toBe(401);
    }
    // Even the right password is refused now, from any address.
    const blocked = await login('operator', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/登录失败次数过多，请\d+分钟后再试/);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(800);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(900);
    await expect(t.f.api.handle('session.login', { username: 'operator', password: PASSWORD }, null, { client: '10.0.0.9' })).rejects.toMatchObject({ code: 'tooManyAttempts' });
    // Refused attempts do not extend the wait: just after the first failure leaves the window, one more try is allowed.
    t.f.setNow(T0 + WINDOW_MS + 1);
    expect((await login('operator', PASSWORD)).status).toBe(200);
  });

  it('per client address: 10 failures over many usernames block that address, not others', async () => {
    for (let i = 0; i < 10; i++) expect((await login(`nobody${i}`, 'x')).status).toBe(401);
    const r = await login('leader', PASSWORD);
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    // Another address is not affected, nor is the username (it never failed).
    await expect(t.f.api.handle('session.login', { username: 'leader', password: PASSWORD }, null, { client: '10.0.0.7' })).resolves.toMatchObject({ user: { username: 'leader' } });
  });

  it('nine failures then a success do not block', async () => {
    for (let i = 0; i < 9; i++) expect((await login('cg', 'bad')).status).toBe(401);
    expect((await login('cg', PASSWORD)).status).toBe(200);
  });

  it('an unknown username costs a hash as a known one does (timing reveals nothing)', async () => {
    const time = async (username: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 4; i++) {
        const s = performance.now();
        await t.f.api.handle('session.login', { username, password: 'wrong' }, null, { client: `timing-${username}-${i}` }).catch(() => {});
        ms.push(performance.now() - s);
      }
      return ms.sort((a, b) => a - b)[1]!;
    };
    await time('nobody-warmup');
    const known = await time('operator');
    const unknown = await time('nobody-at-all');
    // Without the dummy hash an unknown user answers in well under a millisecond (no scrypt).
    expect(unknown).toBeGreaterThan(known * 0.4);
  });
});

describe('session lifetime', () => {
  it('ends after the idle time, and after 12 h whatever the activity', async () => {
    const { body } = await login('operator', PASSWORD);
    const me = () => t.post('session.me', {}, body.token);
    let now = T0;
    // Used every hour: alive until the absolute limit.
    while (now + 3600_000 < T0 + ABSOLUTE_MS) {
      now += 3600_000;
      t.f.setNow(now);
      expect((await me()).status, `at +${(now - T0) / 3600_000} h`).toBe(200);
    }
    t.f.setNow(T0 + ABSOLUTE_MS + 1);
    expect((await me()).status).toBe(401);

    const again = await login('operator', PASSWORD);
    t.f.setNow(T0 + ABSOLUTE_MS + 1 + IDLE_MS + 1000);
    expect((await t.post('session.me', {}, again.body.token)).status).toBe(401);
  });

  it('a WebSocket ticket is short-lived and single-use', async () => {
    const { body } = await login('operator', PASSWORD);
    const a = t.f.api.sessions.issueTicket(body.token);
    t.f.setNow(T0 + a.expiresInS * 1000 + 1);
    expect(() => t.f.api.sessions.redeemTicket(a.ticket)).toThrow('登录已过期');
    const b = t.f.api.sessions.issueTicket(body.token);
    expect(t.f.api.sessions.redeemTicket(b.ticket).user.username).toBe('operator');
    expect(() => t.f.api.sessions.redeemTicket(b.ticket)).toThrow('登录已过期');
  });
});
