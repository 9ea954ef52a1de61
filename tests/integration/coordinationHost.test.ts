// Coordination over the real LAN host: a department representative's browser session checks in
// over HTTP and a meeting-room screen's WebSocket hears it at once; another department is refused
// with a Chinese message and a 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Host } from '../../src/main/host/httpHost';
import { startTestHost, type TestHost } from '../support/host';
import type { Fixture } from '../support/fixture';

let t: TestHost;
let f: Fixture;
let host: Host;
let post: TestHost['post'];
let login: TestHost['login'];

beforeAll(async () => {
  t = await startTestHost();
  ({ f, host, post, login } = t);
});
afterAll(async () => {
  await t.close();
});

describe('whistle sessions over the LAN host', () => {
  it('pushes a check-in to the meeting-room screen and refuses other departments', async () => {
    const op = await login('operator');
    const now = f.ctx.now();
    const open = await post('whistle.open', { title: '燃气热水器管道带电', problem: '多户燃气热水器管道带电', place: '纬五路12号院', unitIds: ['u1', 'u3'], leadUnitId: 'u3', reportBy: now + 3600_000, tasks: [{ unitId: 'u3', title: '燃气管道绝缘检测', deadline: now + 4 * 3600_000 }] }, op);
    expect(open.status).toBe(200);
    const id = open.body.id as string;

    // The meeting-room screen opens its WebSocket with a one-time ticket (no token in the URL).
    const ticket = (await post('session.wsTicket', {}, await login('leader'))).body.ticket as string;
    const screen = new WebSocket(`${host.url.replace('http', 'ws')}/ws?ticket=${ticket}`);
    await new Promise<void>((resolve, reject) => {
      screen.on('open', () => resolve());
      screen.on('error', reject);
    });
    const heard = new Promise<{ event: any; ms: number }>((resolve) => {
      const t0 = Date.now();
      screen.on('message', (m) => {
        const e = JSON.parse(String(m));
        if (e.type === 'whistle.changed' && e.id === id) resolve({ event: e, ms: Date.now() - t0 });
      });
    });
    const rq = await login('rq');
    const checkIn = await post('whistle.respond', { sessionId: id, state: 'onSite' }, rq);
    expect(checkIn.status).toBe(200);
    const { event, ms } = await heard;
    expect(event).toMatchObject({ type: 'whistle.changed', what: 'respond' });
    expect(ms).toBeLessThan(1000);
    screen.close();

    const cg = await login('cg');
    const refused = await post('whistle.updateTask', { taskId: open.body.taskList[0].id, status: 'done', result: '代为完成' }, cg);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'notYourUnit', message: '只能更新本单位的任务，不能修改其他部门的任务' } } });
    const other = await post('whistle.respond', { sessionId: id, unitId: 'u3', state: 'online' }, cg);
    expect(other.status).toBe(403);
  });
});
