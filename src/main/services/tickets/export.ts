// 导出Excel of tickets selected in the list: one row per ticket the user may see, the citizen's
// name and phone masked by the visibility rule (never in full, whatever the role), and the export
// written to the audit log (who, how many, which codes).

import { sql, type SqlBool } from 'kysely';
import type { User } from '../../../shared/api/types';
import { CHANNEL_LABELS, STATUS_LABELS, SUPERVISION_LABELS, TICKET_TYPE_LABELS, URGENCY_LABELS, type Channel, type SupervisionLevel, type TicketStatus, type TicketType, type Urgency } from '../../../shared/domain/ticket';
import type { NodeContext } from '../core/context';
import { AppError } from '../core/errors';
import { appendAudit } from '../audit/auditLog';
import { actorOf } from '../auth/accounts';
import { maskPersonal, ticketScope } from './visibility';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const cst = (ms: number | null) => (ms == null ? '' : new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16));

export async function exportTickets(ctx: NodeContext, user: User, ids: string[]): Promise<{ name: string; mime: string; dataBase64: string; rows: number }> {
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('grids', 'grids.id', 'tickets.grid_id')
    .leftJoin('units', 'units.id', 'tickets.unit_id')
    .leftJoin('catalog', 'catalog.id', 'tickets.category_id')
    .select([
      'tickets.id',
      'tickets.code',
      'tickets.status',
      'tickets.channel',
      'tickets.type',
      'tickets.urgency',
      'tickets.description',
      'tickets.address',
      'tickets.reporter_name',
      'tickets.reporter_phone',
      'tickets.created_at',
      'tickets.resolve_deadline',
      'tickets.supervision_level',
      'tickets.result',
      'grids.name as grid_name',
      'units.name as unit_name',
      'catalog.path as category_path',
    ])
    .where('tickets.id', 'in', ids)
    .where((eb) => ticketScope(eb, user) ?? sql<SqlBool>`1`)
    .orderBy('tickets.created_at', 'desc')
    .execute();
  if (rows.length === 0) throw new AppError('notFound', '所选工单不存在或无权查看，未导出', { detail: `export of ${ids.length} ids by ${user.username}: none visible` });
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.columns = [
    { header: '编号', key: 'code', width: 18 },
    { header: '状态', key: 'status', width: 10 },
    { header: '渠道', key: 'channel', width: 12 },
    { header: '类型', key: 'type', width: 10 },
    { header: '紧急程度', key: 'urgency', width: 10 },
    { header: '问题描述', key: 'description', width: 50 },
    { header: '地址', key: 'address', width: 30 },
    { header: '网格', key: 'grid', width: 20 },
    { header: '派单目录分类', key: 'category', width: 26 },
    { header: '处置单位', key: 'unit', width: 22 },
    { header: '报告人', key: 'reporterName', width: 10 },
    { header: '联系电话', key: 'reporterPhone', width: 14 },
    { header: '受理时间', key: 'createdAt', width: 17 },
    { header: '办结时限', key: 'deadline', width: 17 },
    { header: '督办级别', key: 'supervision', width: 10 },
    { header: '办理结果', key: 'result', width: 40 },
  ];
  for (const r of rows) {
    const personal = maskPersonal({ reporterName: r.reporter_name, reporterPhone: r.reporter_phone });
    ws.addRow({
      code: r.code,
      status: STATUS_LABELS[r.status as TicketStatus] ?? r.status,
      channel: CHANNEL_LABELS[r.channel as Channel] ?? r.channel,
      type: TICKET_TYPE_LABELS[r.type as TicketType] ?? r.type,
      urgency: URGENCY_LABELS[r.urgency as Urgency] ?? r.urgency,
      description: r.description,
      address: r.address,
      grid: r.grid_name ?? '',
      category: r.category_path ?? '未分类',
      unit: r.unit_name ?? '',
      reporterName: personal.reporterName ?? '',
      reporterPhone: personal.reporterPhone ?? '',
      createdAt: cst(r.created_at),
      deadline: cst(r.resolve_deadline),
      supervision: r.supervision_level ? SUPERVISION_LABELS[r.supervision_level as SupervisionLevel] ?? String(r.supervision_level) : '',
      result: r.result ?? '',
    });
  }
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  await appendAudit(db, ctx.now(), {
    actor: actorOf(user),
    action: 'export',
    target: '工单',
    detail: { rows: rows.length, asked: ids.length, codes: rows.map((r) => r.code), masked: true },
  });
  ctx.log.info('tickets exported', { by: user.username, rows: rows.length, asked: ids.length });
  const day = new Date(ctx.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return { name: `工单-${day}-${rows.length}件.xlsx`, mime: XLSX, dataBase64: buf.toString('base64'), rows: rows.length };
}
