// 导出PDF of work orders (派工单 / 工单), one ticket or a batch: the node renders the very sheets of
// the print view (shared/print/workOrder.ts) from each ticket's detail as this user sees it on
// screen — the same getTicketDetail, so the citizen's name and phone are masked by the one
// visibility rule (./visibility.ts) — and prints them to PDF with Chromium (stats/pdf.ts, CJK
// fonts). Photos travel inside the document as data: URLs. Every export is audited.

import fs from 'node:fs';
import type { User, TicketDetail } from '../../../shared/api/types';
import { WORK_ORDER_TITLES, workOrderDocumentHtml, workOrderSheetHtml, type WorkOrderKind } from '../../../shared/print/workOrder';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { htmlToPdf } from '../stats/pdf';
import { attachmentPath } from './attachments';
import { getTicketDetail } from './queries';

/** Photos embedded in one PDF at most (bytes); past it the rest are left out (the sheet says so in its count). */
const PHOTO_BUDGET = 40 * 1024 * 1024;
/** Codes written into the audit entry (a batch is at most BULK_MAX). */
const BULK_LOG = 200;

export async function exportWorkOrdersPdf(ctx: NodeContext, user: User, input: { ids: string[]; kind: WorkOrderKind }): Promise<{ name: string; mime: string; dataBase64: string; tickets: number }> {
  const db = ctx.store.db;
  const details: TicketDetail[] = [];
  for (const id of input.ids) {
    try {
      details.push(await getTicketDetail(ctx, user, id));
    } catch (err) {
      ctx.log.warn('work-order pdf refused', { id, by: user.username, error: err instanceof Error ? err.message : String(err) });
      throw new AppError('notFound', `所选工单中有不存在或无权查看的（${id.slice(0, 12)}），未导出`, { detail: `pdf of ${input.ids.length} by ${user.username}: ${id} not visible` });
    }
  }
  const [street, units, grids, catalog] = await Promise.all([
    db.selectFrom('street').select('name').executeTakeFirst(),
    db.selectFrom('units').select(['id', 'name']).execute(),
    db.selectFrom('grids').select(['id', 'name']).execute(),
    db.selectFrom('catalog').select(['id', 'path']).execute(),
  ]);
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  const gridNames = new Map(grids.map((g) => [g.id, g.name]));
  const paths = new Map(catalog.map((c) => [c.id, c.path]));
  let photoBytes = 0;
  const photoSrc = (mimeOf: Map<string, string>) => (sha: string) => {
    if (input.kind !== 'full' || !/^[0-9a-f]{64}$/.test(sha)) return null;
    const file = attachmentPath(ctx, sha);
    try {
      const size = fs.statSync(file).size;
      if (photoBytes + size > PHOTO_BUDGET) return null;
      photoBytes += size;
      return `data:${mimeOf.get(sha) ?? 'image/jpeg'};base64,${fs.readFileSync(file).toString('base64')}`;
    } catch {
      return null; // not here (yet): the sheet goes without it
    }
  };
  const printedAt = ctx.now();
  const sheets = details.map((d) =>
    workOrderSheetHtml(d, {
      kind: input.kind,
      streetName: street?.name ?? '',
      printedAt,
      names: { unit: (id) => unitNames.get(id), grid: (id) => gridNames.get(id), category: (id) => paths.get(id) },
      photoSrc: photoSrc(new Map(d.attachments.map((a) => [a.sha256, a.mime]))),
    }),
  );
  const title = WORK_ORDER_TITLES[input.kind];
  const t0 = Date.now();
  const pdf = await htmlToPdf(workOrderDocumentHtml(sheets, `${title}（${details.length}件）`));
  const codes = details.map((d) => d.ticket.code);
  await appendAudit(db, ctx.now(), { actor: actorOf(user), action: 'export', target: `${title}PDF`, detail: { kind: input.kind, format: 'pdf', tickets: codes.length, codes: codes.slice(0, BULK_LOG) } });
  ctx.log.info('work orders exported as pdf', { kind: input.kind, tickets: codes.length, bytes: pdf.length, ms: Date.now() - t0, by: user.username });
  const day = new Date(printedAt + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const name = details.length === 1 ? `${title}-${codes[0]}.pdf` : `${title}-${details.length}件-${day}.pdf`;
  return { name, mime: 'application/pdf', dataBase64: pdf.toString('base64'), tickets: details.length };
}
