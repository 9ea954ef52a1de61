// The audit log: append-only in the database itself, a sha256 chain that shows any tampering
// (a changed, removed or inserted row), the list/verify/export API for leaders and administrators,
// and every entry on its way to the city through the outbox.
import sqlite3 from 'sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixture';
import { appendAudit, verifyAuditChain } from '../../src/main/services/audit/auditLog';
import { exec } from '../../src/main/db/sqlite3Dialect';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
  const actor = { id: 'x', name: '测试', role: 'leader' };
  for (let i = 0; i < 20; i++) await appendAudit(f.ctx.store.db, f.ctx.now() + i, { actor, action: 'settings.change', target: `k${i}`, detail: { i } });
  await expect(f.as('operator')('session.logout', {})).resolves.toBeTruthy(); // a login and a logout on record
}, 60_000);
afterAll(() => f.close());

/** A second connection to the same file, as someone with the file in hand would use. */
async function tamper(file: string, sqlText: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((res, rej) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (e) => (e ? rej(e) : res(d)));
  });
  try {
    await exec(db, 'PRAGMA busy_timeout = 5000; ' + sqlText);
  } finally {
    await new Promise<void>((r) => db.close(() => r()));
  }
}

describe('the audit chain', () => {
  it('is whole, and refuses UPDATE and DELETE', async () => {
    const v = await verifyAuditChain(f.ctx.store.db);
    expect(v).toMatchObject({ ok: true, brokenAt: null });
    expect(v.entries).toBeGreaterThanOrEqual(21);
    await expect(f.ctx.store.db.updateTable('audit_log').set({ target: 'x' }).where('seq', '=', 3).execute()).rejects.toThrow(/append-only/);
    await expect(f.ctx.store.db.deleteFrom('audit_log').where('seq', '=', 3).execute()).rejects.toThrow(/append-only/);
  });

  it('every entry goes to the city through the outbox with its hash', async () => {
    const n = await f.ctx.store.db.selectFrom('audit_log').select(['id', 'hash']).execute();
    const ops = await f.ctx.store.db.selectFrom('outbox').select(['entity_id', 'op', 'payload']).where('entity', '=', 'audit').execute();
    expect(ops.length).toBe(n.length);
    const byId = new Map(ops.map((o) => [o.entity_id, JSON.parse(o.payload) as { hash: string }]));
    for (const r of n) expect(byId.get(r.id)?.hash).toBe(r.hash);
  });

  it('leaders and administrators list, filter and export it; others may not', async () => {
    const leader = f.as('leader');
    const page = await leader('audit.list', { startRow: 0, endRow: 5, filter: { action: 'settings.change' } });
    expect(page.total).toBe(20);
    expect(page.rows.map((r) => r.target)).toEqual(['k19', 'k18', 'k17', 'k16', 'k15']);
    const logins = await leader('audit.list', { filter: { action: 'login' } });
    expect(logins.rows.some((r) => r.action === 'login.ok' && r.target === 'operator')).toBe(true);
    const x = await leader('audit.export', { filter: { action: 'settings.change' } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.dataBase64, 'base64') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('序号');
    expect(ws.rowCount).toBe(21);
    const exports = await leader('audit.list', { filter: { action: 'export' } });
    expect(exports.rows[0]).toMatchObject({ action: 'export', target: '审计日志', detail: { rows: 20 } });
    for (const u of ['operator', 'cg', 'wangge']) {
      await expect(f.as(u)('audit.list', {})).rejects.toMatchObject({ code: 'forbiddenRole' });
      await expect(f.as(u)('audit.verify', {})).rejects.toMatchObject({ code: 'forbiddenRole' });
    }
  });

  it('a tampered row is detected (changed detail, removed row), through the API too', async () => {
    expect(await f.as('leader')('audit.verify', {})).toMatchObject({ ok: true });
    // Someone with the file drops the trigger and edits a row.
    await tamper(f.file, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{"i":99}' WHERE target = 'k5';
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
    const k5 = await f.ctx.store.db.selectFrom('audit_log').select('seq').where('target', '=', 'k5').executeTakeFirstOrThrow();
    const v = await f.as('leader')('audit.verify', {});
    expect(v).toMatchObject({ ok: false, brokenAt: k5.seq, reason: expect.stringContaining('改动') });
    // Restore the content, then remove a row instead: the next one no longer follows.
    await tamper(f.file, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{"i":5}' WHERE target = 'k5';
      DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE target = 'k7';`);
    const k8 = await f.ctx.store.db.selectFrom('audit_log').select('seq').where('target', '=', 'k8').executeTakeFirstOrThrow();
    expect(await verifyAuditChain(f.ctx.store.db)).toMatchObject({ ok: false, brokenAt: k8.seq });
  });
});
