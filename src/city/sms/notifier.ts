// Citizens told by SMS: the ticket number when a ticket is filed for them, the result when the
// street resolves it (办结), for the channels that bring a phone the citizen gave for it — Open311
// with a phone, a 110 caller who agreed (smsConsent), 郑好拍. Every message is a row in sms_messages
// (its text, status, attempts, last error) before it is sent: a failure is retried with growing
// pauses and finally marked failed; nothing here ever throws into the change that caused it. Text
// logs carry masked numbers only (138****0000). Templates are the console's (sms_templates).

import type { Kysely } from 'kysely';
import {
  DEFAULT_SMS_TEMPLATES,
  SMS_KINDS,
  fillTemplate,
  maskPhone,
  mobileOf,
  templateProblems,
  type SmsKind,
} from '../../shared/intake/sms';
import { CHANNEL_LABELS } from '../../shared/domain/ticket';
import type { CityTicket } from '../../shared/sync/protocol';
import type { CityDatabase } from '../db';
import { CityError, type CityService, type TicketChange } from '../service';
import { streetName } from '../divisions';
import { sendSms, type SmsGatewayConfig } from './gateway';

export interface SmsOptions {
  gateway: SmsGatewayConfig | null;
  /** Whether the citizen behind a 110 ticket agreed to SMS (the 110 intake knows). */
  police110Consent?: (incidentNo: string | null) => Promise<boolean>;
  /** Pauses before the 2nd, 3rd … attempt; attempts = this length + 1 (default 10 s … 2 h, 6 attempts). */
  retryDelaysMs?: number[];
  pollMs?: number;
  now?: () => number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface SmsMessageView {
  id: string;
  ticketId: string;
  ticketCode: string | null;
  kind: SmsKind;
  phoneMasked: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  nextAt: number;
}

const DEFAULT_DELAYS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
/** Channels whose citizen gave a phone for replies (a 110 caller only with consent). */
const SMS_CHANNELS = new Set(['open311', 'zhenghaopai', 'police110']);

export class SmsNotifier {
  readonly counters = { queued: 0, sent: 0, retried: 0, failed: 0 };
  private readonly delays: number[];
  private readonly now: () => number;
  private readonly log: (msg: string, extra?: Record<string, unknown>) => void;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private pending: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly svc: CityService,
    private readonly db: Kysely<CityDatabase>,
    private readonly opts: SmsOptions,
  ) {
    this.delays = opts.retryDelaysMs ?? DEFAULT_DELAYS;
    this.now = opts.now ?? svc.now;
    this.log = opts.log ?? (() => {});
  }

  get configured(): boolean {
    return !!this.opts.gateway;
  }

  /** Listens for tickets and sends what is due every `pollMs` (only with a gateway configured). */
  start(): void {
    if (!this.opts.gateway) return;
    this.svc.onTicketsChanged((changes) => {
      this.pending = this.pending.then(() => this.onChanges(changes)).catch((err) => this.log('sms not queued', { error: err instanceof Error ? err.message : String(err) }));
    });
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pending;
    while (this.running) await this.running;
  }

  private async onChanges(changes: TicketChange[]): Promise<void> {
    let queued = false;
    for (const c of changes) {
      const kind: SmsKind | null = c.action === 'dispatch' && c.from == null ? 'intake' : c.action === 'resolve' ? 'result' : null;
      if (!kind) continue;
      if (await this.enqueue(c.ticket, kind)) queued = true;
    }
    if (queued) this.kick();
  }

  /** The number a message about this ticket goes to, or null (no phone, no consent, another channel). */
  private async phoneFor(t: CityTicket): Promise<string | null> {
    if (!t.channel || !SMS_CHANNELS.has(t.channel)) return null;
    const phone = mobileOf(t.reporterPhone);
    if (!phone) return null;
    if (t.channel === 'police110' && !(await this.opts.police110Consent?.(t.externalRef))) return null;
    return phone;
  }

  private async enqueue(t: CityTicket, kind: SmsKind): Promise<boolean> {
    const phone = await this.phoneFor(t);
    if (!phone) return false;
    const template = (await this.templates())[kind].text;
    const text = fillTemplate(template, {
      code: t.code ?? t.id,
      street: streetName(t.streetCode) ?? t.streetCode,
      channel: (CHANNEL_LABELS as Record<string, string>)[t.channel ?? ''] ?? t.channel ?? '',
      result: t.result ?? '',
    });
    const at = this.now();
    // One intake message per ticket; one result message per result (a ticket reworked and resolved again tells again).
    const id = kind === 'intake' ? `${t.id}:intake` : `${t.id}:result:${t.version}`;
    const r = await this.db
      .insertInto('sms_messages')
      .values({ id, ticket_id: t.id, kind, phone, text, status: 'pending', attempts: 0, last_error: null, gateway_id: null, created_at: String(at), next_at: String(at), sent_at: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    const fresh = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    if (fresh) {
      this.counters.queued++;
      this.log('sms queued', { id, ticket: t.code, kind, to: maskPhone(phone) });
    }
    return fresh;
  }

  /** Sends what is due soon (coalesced: one run at a time). */
  kick(): void {
    if (this.running || this.stopped || !this.opts.gateway) return;
    this.running = this.runDue()
      .catch((err) => this.log('sms run failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => (this.running = null));
  }

  /** Waits until every message queued so far has been tried once it is due (tests). */
  async settle(): Promise<void> {
    await this.pending;
    while (this.running) await this.running;
  }

  private async runDue(): Promise<void> {
    const gw = this.opts.gateway!;
    for (;;) {
      const due = await this.db
        .selectFrom('sms_messages')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_at', '<=', String(this.now()))
        .orderBy('next_at')
        .limit(20)
        .execute();
      if (!due.length || this.stopped) return;
      for (const m of due) {
        const r = await sendSms(gw, { to: m.phone, text: m.text, ref: m.id }, Date.now());
        const attempts = m.attempts + 1;
        const at = this.now();
        if (r.ok) {
          this.counters.sent++;
          await this.db.updateTable('sms_messages').set({ status: 'sent', attempts, sent_at: String(at), gateway_id: r.id ?? null, last_error: null }).where('id', '=', m.id).execute();
          this.log('sms sent', { id: m.id, kind: m.kind, to: maskPhone(m.phone), attempts });
        } else {
          const giveUp = r.permanent || attempts > this.delays.length;
          const delay = this.delays[Math.min(attempts - 1, this.delays.length - 1)] ?? 60_000;
          if (giveUp) this.counters.failed++;
          else this.counters.retried++;
          await this.db
            .updateTable('sms_messages')
            .set({ status: giveUp ? 'failed' : 'pending', attempts, last_error: (r.error ?? 'unknown').slice(0, 300), next_at: String(at + delay) })
            .where('id', '=', m.id)
            .execute();
          this.log(giveUp ? 'sms failed, giving up' : 'sms failed, will retry', { id: m.id, kind: m.kind, to: maskPhone(m.phone), attempts, error: r.error, ...(giveUp ? {} : { retryInMs: delay }) });
        }
      }
    }
  }

  async templates(): Promise<Record<SmsKind, { text: string; updatedAt: number | null; updatedBy: string | null }>> {
    const rows = await this.db.selectFrom('sms_templates').selectAll().execute();
    const out = {} as Record<SmsKind, { text: string; updatedAt: number | null; updatedBy: string | null }>;
    for (const k of SMS_KINDS) {
      const r = rows.find((x) => x.kind === k);
      out[k] = r ? { text: r.text, updatedAt: Number(r.updated_at), updatedBy: r.updated_by } : { text: DEFAULT_SMS_TEMPLATES[k], updatedAt: null, updatedBy: null };
    }
    return out;
  }

  async setTemplate(kind: string, text: string, by: string | null): Promise<void> {
    if (!(SMS_KINDS as readonly string[]).includes(kind)) throw new CityError(400, 'unknownSmsKind', `unknown SMS kind ${kind.slice(0, 40)}`);
    const problems = templateProblems(kind as SmsKind, text);
    if (problems.length) throw new CityError(400, 'invalidTemplate', problems.join('；'));
    const at = String(this.now());
    await this.db
      .insertInto('sms_templates')
      .values({ kind, text: text.trim(), updated_at: at, updated_by: by })
      .onConflict((oc) => oc.column('kind').doUpdateSet({ text: text.trim(), updated_at: at, updated_by: by }))
      .execute();
    this.log('sms template changed', { kind, by });
  }

  async recent(limit = 50): Promise<SmsMessageView[]> {
    const rows = await this.db
      .selectFrom('sms_messages as m')
      .leftJoin('city_tickets as t', 't.id', 'm.ticket_id')
      .selectAll('m')
      .select('t.code')
      .orderBy('m.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      ticketCode: r.code,
      kind: r.kind as SmsKind,
      phoneMasked: maskPhone(r.phone),
      text: r.text,
      status: r.status as SmsMessageView['status'],
      attempts: Number(r.attempts),
      lastError: r.last_error,
      createdAt: Number(r.created_at),
      sentAt: r.sent_at == null ? null : Number(r.sent_at),
      nextAt: Number(r.next_at),
    }));
  }
}
