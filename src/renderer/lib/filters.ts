// The ticket list's filters, kept in the URL hash (#/tickets?view=overdue&status=dispatched,accepted…)
// so dashboard cards and bookmarks open the same list.

import { ticketFilter, type TicketFilter } from '../../shared/api/contract';
import { CHANNELS, TICKET_STATUSES, TICKET_TYPES, URGENCIES, type Channel, type TicketStatus, type TicketType, type Urgency } from '../../shared/domain/ticket';
import { TICKET_FIGURES, type TicketFigure } from '../../shared/stats/figures';
import { addDays } from '../../shared/stats/period';
import { fromDateInput } from './format';

export const VIEWS = ['pendingAccept', 'inProgress', 'dueSoon', 'overdue', 'newToday', 'pendingCallback', 'mine'] as const;
export type ListView = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<ListView, string> = {
  pendingAccept: '待签收',
  inProgress: '处置中',
  dueSoon: '即将超期',
  overdue: '已超期',
  newToday: '今日新增',
  pendingCallback: '待回访',
  mine: '我的工单',
};

export interface ListFilter {
  view?: ListView;
  statuses: TicketStatus[];
  categoryId?: string;
  channel?: Channel;
  gridId?: string;
  unitId?: string;
  type?: TicketType;
  urgency?: Urgency;
  missing?: 'unit' | 'grid' | 'category';
  deadline?: 'overdue' | 'dueSoon';
  /** YYYY-MM-DD (CST) */
  from?: string;
  to?: string;
  /** The tickets behind a statistics figure over the CST days pfrom…pto (both included). */
  figure?: TicketFigure;
  pfrom?: string;
  pto?: string;
  q?: string;
}

const DAY = 86_400_000;
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && fromDateInput(s) != null;
const str = (s: string | null) => (s && s.trim() ? s.trim().slice(0, 100) : undefined);

export function filterFromQuery(q: URLSearchParams): ListFilter {
  const view = q.get('view');
  const deadline = q.get('deadline');
  const channel = q.get('channel');
  const type = q.get('type');
  const urgency = q.get('urgency');
  const missing = q.get('missing');
  const figure = q.get('figure');
  const pfrom = q.get('pfrom');
  const pto = q.get('pto');
  const hasFigure = (TICKET_FIGURES as readonly string[]).includes(figure ?? '') && isDate(pfrom) && isDate(pto) && pfrom! <= pto!;
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as ListView) : undefined,
    statuses: (q.get('status') ?? '')
      .split(',')
      .filter((s): s is TicketStatus => (TICKET_STATUSES as readonly string[]).includes(s)),
    categoryId: str(q.get('category')),
    channel: (CHANNELS as readonly string[]).includes(channel ?? '') ? (channel as Channel) : undefined,
    gridId: str(q.get('grid')),
    unitId: str(q.get('unit')),
    type: (TICKET_TYPES as readonly string[]).includes(type ?? '') ? (type as TicketType) : undefined,
    urgency: (URGENCIES as readonly string[]).includes(urgency ?? '') ? (urgency as Urgency) : undefined,
    missing: missing === 'unit' || missing === 'grid' || missing === 'category' ? missing : undefined,
    figure: hasFigure ? (figure as TicketFigure) : undefined,
    pfrom: hasFigure ? pfrom! : undefined,
    pto: hasFigure ? pto! : undefined,
    deadline: deadline === 'overdue' || deadline === 'dueSoon' ? deadline : undefined,
    from: isDate(q.get('from')) ? q.get('from')! : undefined,
    to: isDate(q.get('to')) ? q.get('to')! : undefined,
    q: str(q.get('q')),
  };
}

export function filterToQuery(f: ListFilter): string {
  const p = new URLSearchParams();
  if (f.view) p.set('view', f.view);
  if (f.statuses.length) p.set('status', f.statuses.join(','));
  if (f.categoryId) p.set('category', f.categoryId);
  if (f.channel) p.set('channel', f.channel);
  if (f.gridId) p.set('grid', f.gridId);
  if (f.unitId) p.set('unit', f.unitId);
  if (f.type) p.set('type', f.type);
  if (f.urgency) p.set('urgency', f.urgency);
  if (f.missing) p.set('missing', f.missing);
  if (f.figure && f.pfrom && f.pto) {
    p.set('figure', f.figure);
    p.set('pfrom', f.pfrom);
    p.set('pto', f.pto);
  }
  if (f.deadline) p.set('deadline', f.deadline);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  // Commas are safe in a hash query; keep status lists readable.
  return p.toString().replace(/%2C/gi, ',');
}

/** The API filter; dates become [from 00:00, next day 00:00) in CST (the node compares `to` exclusively). */
export function toApiFilter(f: ListFilter): TicketFilter {
  const from = fromDateInput(f.from);
  const to = fromDateInput(f.to);
  const pfrom = fromDateInput(f.pfrom);
  const pto = fromDateInput(f.pto);
  const out: TicketFilter = {
    view: f.view,
    statuses: f.statuses.length ? f.statuses : undefined,
    categoryId: f.categoryId,
    channel: f.channel,
    gridId: f.gridId,
    unitId: f.unitId,
    type: f.type,
    urgency: f.urgency,
    missing: f.missing,
    figure: f.figure && pfrom != null && pto != null ? f.figure : undefined,
    periodFrom: f.figure && pfrom != null ? pfrom : undefined,
    periodTo: f.figure && pto != null ? pto + DAY : undefined,
    deadline: f.deadline,
    from: from ?? undefined,
    to: to != null ? to + DAY : undefined,
    q: f.q,
  };
  // Drop anything the contract would refuse rather than failing the whole list.
  const parsed = ticketFilter.safeParse(out);
  return parsed.success ? out : {};
}

export function isFiltered(f: ListFilter): boolean {
  return filterToQuery(f) !== '';
}

/** The list behind a statistics figure over [from, to) (dates in the URL are inclusive, like the list's own). */
export function figureHref(figure: TicketFigure, p: { from: string; to: string }, group: Partial<Pick<ListFilter, 'gridId' | 'unitId' | 'categoryId' | 'channel' | 'type' | 'urgency' | 'missing'>> | null = {}): string {
  const f: ListFilter = { statuses: [], ...(group ?? {}), figure, pfrom: p.from, pto: addDays(p.to, -1) };
  return `#/tickets?${filterToQuery(f)}`;
}
