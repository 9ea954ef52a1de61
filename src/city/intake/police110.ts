// 110 非警务警情分流 at the city: the police dispatch system transfers a non-police call over mutual
// TLS (OU=police110). Each transfer is checked (zod, field limits, its time), located (point → street
// by the outlines, else a street named in the address), de-duplicated by its incident number (a
// replay changes nothing and gets the same ticket back), classified by the catalog (the hint, else
// the text) and dispatched to its street through the feed on channel `police110`, with a 5-minute
// sign-in deadline counted from the transfer time. The police system reads the street's progress and
// result back by incident number (the feedback record; see the README).
//
// Transfers are handled one at a time (a chain of promises): two copies of one incident arriving
// together cannot both make a ticket.

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod/v4';
import {
  POLICE110_FEEDBACK_LABELS,
  POLICE110_REJECTIONS,
  POLICE110_SIGN_IN_MINUTES,
  feedbackState,
  police110TicketText,
  police110Transfer,
  type Police110Feedback,
  type Police110Receipt,
  type Police110Rejection,
  type Police110Transfer,
} from '../../shared/intake/police110';
import type { CityDatabase } from '../db';
import { CityError, type CityService } from '../service';
import { StreetLocator } from '../open311/streets';
import { OPEN311_SERVICES, type Open311Service } from '../open311/services';
import { streetName } from '../divisions';

/** A transfer's time may be at most this far ahead of the city's clock (clock skew) … */
const MAX_AHEAD_MS = 5 * 60_000;
/** … and at most this old (a transfer from yesterday is not a live call). */
const MAX_AGE_MS = 24 * 3600_000;

export type Police110Counters = Record<'received' | 'accepted' | 'replayed' | Police110Rejection | 'failed', number>;

export interface Police110Options {
  locator?: StreetLocator;
  now?: () => number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

/** The catalog item a transfer is filed under: its hint (code or name), else the longest item name in its text. */
export function classifyTransfer(t: Pick<Police110Transfer, 'category' | 'text'>, services: readonly Open311Service[] = OPEN311_SERVICES): Open311Service | null {
  const hint = t.category?.trim();
  if (hint) {
    const byCode = services.find((s) => s.service_code === hint);
    if (byCode) return byCode;
    const byName = services.find((s) => s.service_name === hint) ?? longest(services.filter((s) => hint.includes(s.service_name) || (s.service_name.length >= 2 && s.service_name.includes(hint) && hint.length >= 2)));
    if (byName) return byName;
  }
  return longest(services.filter((s) => t.text.includes(s.service_name.replace(/[(（].*$/, ''))));
}

function longest(xs: readonly Open311Service[]): Open311Service | null {
  let best: Open311Service | null = null;
  for (const s of xs) if (!best || s.service_name.length > best.service_name.length) best = s;
  return best;
}

export class Police110Intake {
  readonly counters: Police110Counters = Object.fromEntries(['received', 'accepted', 'replayed', ...POLICE110_REJECTIONS, 'failed'].map((k) => [k, 0])) as Police110Counters;
  private readonly locator: StreetLocator;
  private readonly now: () => number;
  private readonly log: (msg: string, extra?: Record<string, unknown>) => void;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly svc: CityService,
    private readonly db: Kysely<CityDatabase>,
    opts: Police110Options = {},
  ) {
    this.locator = opts.locator ?? StreetLocator.fromFile();
    this.now = opts.now ?? svc.now;
    this.log = opts.log ?? (() => {});
  }

  /** Counts and logs a refusal, and returns the error the route answers with. */
  refuse(reason: Police110Rejection, status: number, message: string, detail: Record<string, unknown> = {}): CityError {
    this.counters[reason]++;
    this.log('police110 transfer refused', { reason, detail: message.slice(0, 300), ...detail });
    return new CityError(status, `police110.${reason}`, message);
  }

  /** A refusal before the transfer could be read (its type, size, JSON): counted as received too. */
  refuseEarly(reason: Police110Rejection, status: number, message: string, detail: Record<string, unknown> = {}): CityError {
    this.counters.received++;
    return this.refuse(reason, status, message, detail);
  }

  /** A transfer as received (the raw JSON body). Resolves with the receipt; refusals throw a CityError. */
  transfer(raw: unknown, from: string | null): Promise<{ created: boolean; receipt: Police110Receipt }> {
    this.counters.received++;
    const run = this.chain.then(() => this.handle(raw, from));
    this.chain = run.catch(() => {});
    return run;
  }

  private async handle(raw: unknown, from: string | null): Promise<{ created: boolean; receipt: Police110Receipt }> {
    let t: Police110Transfer;
    try {
      t = police110Transfer.parse(raw);
    } catch (err) {
      const detail = err instanceof ZodError ? err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') : String(err);
      throw this.refuse('malformed', 400, `转办内容不符合要求：${detail}`, { from });
    }
    const bodySha = crypto.createHash('sha256').update(JSON.stringify(raw)).digest('hex');
    let known = await this.db.selectFrom('police110_incidents').selectAll().where('incident_no', '=', t.incidentNo).executeTakeFirst();
    if (known && !known.ticket_id) {
      // Left by a city that stopped between writing the incident and dispatching it: start again.
      await this.db.deleteFrom('police110_incidents').where('incident_no', '=', t.incidentNo).where('ticket_id', '=', '').execute();
      known = undefined;
    }
    if (known) {
      this.counters.replayed++;
      this.log('police110 transfer replayed', { incident: t.incidentNo, same: known.body_sha === bodySha, from });
      return { created: false, receipt: await this.receiptOf(known.incident_no) };
    }
    const now = this.now();
    if (t.time > now + MAX_AHEAD_MS || t.time < now - MAX_AGE_MS)
      throw this.refuse('badTime', 400, `转办时间 ${new Date(t.time).toISOString()} 无效（须在过去24小时内，且不晚于当前时间5分钟）`, { incident: t.incidentNo, from });
    const street = (t.point ? this.locator.locate(t.point.lon, t.point.lat) : null) ?? (t.address ? this.locator.byAddress(t.address) : null);
    if (!street)
      throw this.refuse(
        'unlocated',
        422,
        t.point ? `坐标（${t.point.lon}, ${t.point.lat}）不在本市任何街道范围内${t.address ? '，地址中也没有街道名称' : ''}` : `无法从地址确定所属街道：${t.address}`,
        { incident: t.incidentNo, from },
      );
    const registered = await this.db.selectFrom('streets').select('code').where('code', '=', street.code).executeTakeFirst();
    if (!registered) throw this.refuse('streetNotConnected', 422, `所属街道${street.name}（${street.code}）尚未接入市城运平台，请按原渠道处置`, { incident: t.incidentNo, street: street.code, from });
    const category = classifyTransfer(t);
    const address = t.address ?? `${street.name}（${t.point!.lat.toFixed(5)}, ${t.point!.lon.toFixed(5)} 附近）`;
    // The incident is written first (its ticket filled in after the dispatch), so what reacts to
    // the dispatch — the SMS to a consenting caller — finds it; a failed dispatch removes it again.
    await this.db
      .insertInto('police110_incidents')
      .values({
        incident_no: t.incidentNo,
        ticket_id: '',
        street_code: street.code,
        transferred_at: String(t.time),
        sign_in_deadline: String(t.time + POLICE110_SIGN_IN_MINUTES * 60_000),
        caller_name: t.caller.name ?? null,
        caller_phone: t.caller.phone ?? null,
        sms_consent: t.caller.smsConsent,
        category_code: category?.service_code ?? null,
        body_sha: bodySha,
        received_at: String(now),
      })
      .execute();
    let ticket;
    try {
      ticket = await this.svc.dispatch(
        {
          street: street.code,
          text: police110TicketText(t, category ? { name: `${category.group}/${category.service_name}` } : null),
          address: address.slice(0, 300),
          ...(t.point ? { lon: t.point.lon, lat: t.point.lat } : {}),
          externalRef: t.incidentNo,
          ...(t.caller.name ? { reporterName: t.caller.name } : {}),
          ...(t.caller.phone ? { reporterPhone: t.caller.phone } : {}),
          type: category?.ticketType ?? 'complaint',
          channel: 'police110',
          // The class as a catalog code (the street files it there, as for 数字城管); the text keeps it too.
          ...(category ? { category: category.service_code } : {}),
        },
        { acceptWithinMinutes: POLICE110_SIGN_IN_MINUTES, acceptFrom: t.time },
      );
      await this.db.updateTable('police110_incidents').set({ ticket_id: ticket.id }).where('incident_no', '=', t.incidentNo).execute();
    } catch (err) {
      await this.db.deleteFrom('police110_incidents').where('incident_no', '=', t.incidentNo).where('ticket_id', '=', '').execute();
      if (err instanceof CityError) throw err;
      this.counters.failed++;
      this.log('police110 transfer failed', { incident: t.incidentNo, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    this.counters.accepted++;
    this.log('police110 transfer dispatched', { incident: t.incidentNo, street: street.code, ticket: ticket.code, category: category?.service_code ?? null, from });
    return { created: true, receipt: await this.receiptOf(t.incidentNo) };
  }

  private async row(incidentNo: string) {
    return this.db
      .selectFrom('police110_incidents as p')
      .innerJoin('city_tickets as t', 't.id', 'p.ticket_id')
      .select(['p.incident_no', 'p.ticket_id', 'p.street_code', 'p.transferred_at', 'p.sign_in_deadline', 'p.category_code', 'p.sms_consent', 't.code', 't.status', 't.result', 't.updated_at'])
      .where('p.incident_no', '=', incidentNo)
      .executeTakeFirst();
  }

  private async receiptOf(incidentNo: string): Promise<Police110Receipt> {
    const r = await this.row(incidentNo);
    if (!r) throw new CityError(404, 'notFound', `no incident ${incidentNo}`);
    const cat = r.category_code ? OPEN311_SERVICES.find((s) => s.service_code === r.category_code) : undefined;
    return {
      incidentNo: r.incident_no,
      ticketId: r.ticket_id,
      ticketCode: r.code ?? r.ticket_id,
      street: r.street_code,
      streetName: streetName(r.street_code) ?? this.locator.name(r.street_code) ?? r.street_code,
      category: cat ? { code: cat.service_code, name: `${cat.group}/${cat.service_name}` } : null,
      signInDeadline: Number(r.sign_in_deadline),
      replayed: false,
    };
  }

  /** The feedback record of an incident: where the street stands, when it signed, its result. */
  async feedback(incidentNo: string): Promise<Police110Feedback> {
    const r = await this.row(incidentNo);
    if (!r) throw new CityError(404, 'notFound', `no incident ${incidentNo.slice(0, 40)}`);
    const events = await this.db
      .selectFrom('city_ticket_events')
      .select(['action', 'at'])
      .where('ticket_id', '=', r.ticket_id)
      .where('action', 'in', ['accept', 'resolve'])
      .orderBy('id')
      .execute();
    const signedInAt = events.find((e) => e.action === 'accept')?.at;
    const resolves = events.filter((e) => e.action === 'resolve');
    const deadline = Number(r.sign_in_deadline);
    const state = feedbackState(r.status, signedInAt != null);
    const withResult = state === 'resolved' || state === 'closed';
    return {
      incidentNo: r.incident_no,
      ticketCode: r.code ?? r.ticket_id,
      street: r.street_code,
      streetName: streetName(r.street_code) ?? this.locator.name(r.street_code) ?? r.street_code,
      state,
      stateLabel: POLICE110_FEEDBACK_LABELS[state],
      ticketStatus: r.status,
      transferredAt: Number(r.transferred_at),
      signInDeadline: deadline,
      signedInAt: signedInAt == null ? null : Number(signedInAt),
      signInLate: signedInAt != null ? Number(signedInAt) > deadline : this.now() > deadline,
      result: withResult ? r.result : null,
      resultAt: withResult && resolves.length ? Number(resolves[resolves.length - 1]!.at) : null,
      updatedAt: Number(r.updated_at),
    };
  }

  /** Whether the caller of an incident (a ticket's external reference) agreed to be told by SMS. */
  async smsConsent(incidentNo: string | null): Promise<boolean> {
    if (!incidentNo) return false;
    const r = await this.db.selectFrom('police110_incidents').select('sms_consent').where('incident_no', '=', incidentNo).executeTakeFirst();
    return !!r?.sms_consent;
  }

  /** The latest transfers with their feedback (the console). */
  async recent(limit = 30): Promise<Police110Feedback[]> {
    const rows = await this.db.selectFrom('police110_incidents').select('incident_no').where('ticket_id', '!=', '').orderBy('received_at', 'desc').limit(limit).execute();
    return Promise.all(rows.map((r) => this.feedback(r.incident_no)));
  }
}
