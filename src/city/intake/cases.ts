// The city's intake pipeline for external cases that arrive one by one over HTTPS (郑好拍 citizen
// photo reports, 数字城管 cases): photos checked and stored content-addressed, the place located
// (point → street by the outlines; else a street's full name in the address), the source's id
// recorded once (a second request with the same id is a replay and gets the first answer), and the
// case dispatched to its street through the feed on its own channel — or held, with the reason,
// while its street is not connected or its class cannot be mapped. Each refusal is counted by reason
// and logged. When a ticket that came in this way is closed, the closure is announced once
// (`onClosure`: what a notifier such as the SMS gateway needs to tell the citizen the result).

import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CityDatabase } from '../db';
import { CityError, type CityService } from '../service';
import type { BlobStore } from '../blobs';
import { StreetLocator } from '../open311/streets';
import { STATUS_LABELS } from '../../shared/domain/ticket';
import type { CityTicket, DispatchRequest, DispatchedPhoto } from '../../shared/sync/protocol';
import {
  HELD_REASON_LABELS,
  INTAKE_REJECTIONS,
  INTAKE_SOURCE_LABELS,
  MAX_PHOTO_BYTES,
  sniffPhoto,
  type HeldReason,
  type IntakeClosure,
  type IntakePhoto,
  type IntakeRejection,
  type IntakeReply,
  type IntakeSource,
  type IntakeStatus,
} from '../../shared/intake/citizenReports';

type Log = (msg: string, extra?: Record<string, unknown>) => void;

export type IntakeCounters = Record<'received' | 'accepted' | 'held' | 'replayed' | IntakeRejection, number>;

const REJECTION_STATUS: Record<IntakeRejection, number> = { malformed: 400, tooLarge: 413, badPhoto: 400, photoTooLarge: 413, unknownCategory: 422, outsideStreets: 422 };

/** A refusal: counted and logged by `IntakeCases.refuse`, answered with its status and Chinese reason. */
export class IntakeRefused extends CityError {
  constructor(public reason: IntakeRejection, message: string, public detail: string) {
    super(REJECTION_STATUS[reason], reason, message);
  }
}

/** What a channel made of one request, ready to be recorded and dispatched. */
export interface IntakeCase {
  source: IntakeSource;
  ref: string;
  caller: string;
  street: { code: string; name: string };
  category: string | null;
  sourceCode: string | null;
  phone: string | null;
  /** The dispatch without street and category (added here). */
  dispatch: Omit<DispatchRequest, 'street' | 'category'>;
  /** Set when the case cannot be dispatched yet for a reason of the channel's (an unmapped class). */
  held?: HeldReason;
}

export interface HeldCase {
  id: string;
  source: IntakeSource;
  ref: string;
  street: string | null;
  sourceCode: string | null;
  reason: HeldReason;
  receivedAt: number;
}

type CaseRow = CityDatabase['city_intake_cases'];

export class IntakeCases {
  readonly counters: Record<IntakeSource, IntakeCounters> = {
    zhenghaopai: IntakeCases.zero(),
    digitalCity: IntakeCases.zero(),
  };
  readonly locator: StreetLocator;
  private closureListeners: Array<(c: IntakeClosure) => unknown> = [];

  private static zero(): IntakeCounters {
    return Object.fromEntries(['received', 'accepted', 'held', 'replayed', ...INTAKE_REJECTIONS].map((k) => [k, 0])) as IntakeCounters;
  }

  constructor(
    private readonly svc: CityService,
    private readonly db: Kysely<CityDatabase>,
    private readonly blobs: BlobStore,
    private readonly log: Log,
    opts: { locator?: StreetLocator } = {},
  ) {
    this.locator = opts.locator ?? StreetLocator.fromFile();
    // A street that connects gets what waited for it; a closed ticket is announced to the citizen.
    svc.onStreetRegistered((code) => this.deliverHeld((r) => r.held_reason === 'streetNotConnected' && r.street_code === code));
    svc.onTicketClosed((t) => this.closed(t));
  }

  /** Called once for every closed ticket that came in through an intake channel. */
  onClosure(l: (c: IntakeClosure) => unknown): void {
    this.closureListeners.push(l);
  }

  /** Counts and logs a refusal (never the personal data), and returns the error to answer with. */
  refuse(source: IntakeSource, reason: IntakeRejection, message: string, detail: string, caller: string | null): IntakeRefused {
    this.counters[source][reason]++;
    this.log('intake refused', { source, reason, caller, detail: detail.slice(0, 300) });
    return new IntakeRefused(reason, message, detail);
  }

  /** The first answer to a source id received before, or null. */
  async replay(source: IntakeSource, ref: string): Promise<IntakeReply | null> {
    const r = await this.db.selectFrom('city_intake_cases').selectAll().where('source', '=', source).where('source_ref', '=', ref).executeTakeFirst();
    if (!r) return null;
    this.counters[source].replayed++;
    this.log('intake replay answered', { source, ref });
    return this.replyOf(r, true);
  }

  /** Checks each photo's bytes (type by its first bytes, size) and stores it by its sha256. */
  storePhotos(source: IntakeSource, ref: string, caller: string, photos: IntakePhoto[]): DispatchedPhoto[] {
    const out: DispatchedPhoto[] = [];
    photos.forEach((p, i) => {
      const buf = Buffer.from(p.data, 'base64');
      if (buf.length > MAX_PHOTO_BYTES) throw this.refuse(source, 'photoTooLarge', `第${i + 1}张照片超过${MAX_PHOTO_BYTES / 1024 / 1024}MB`, `${ref}: photo ${i + 1} is ${buf.length} bytes`, caller);
      const mime = sniffPhoto(buf);
      if (!mime) throw this.refuse(source, 'badPhoto', `第${i + 1}张照片不是 JPG、PNG 或 WebP 图片`, `${ref}: photo ${i + 1} has no image signature`, caller);
      if (mime !== p.mime) throw this.refuse(source, 'badPhoto', `第${i + 1}张照片的类型与声明不符`, `${ref}: photo ${i + 1} declared ${p.mime}, bytes are ${mime}`, caller);
      const stored = this.blobs.put(buf);
      if (!out.some((o) => o.sha256 === stored.sha256))
        out.push({ sha256: stored.sha256, mime, size: stored.size, name: `${INTAKE_SOURCE_LABELS[source]}-${ref}-${i + 1}.${mime.slice(6).replace('jpeg', 'jpg')}` });
    });
    return out;
  }

  /** The street of a point (by the outlines) or, without a point, of a street named in the address. */
  locate(source: IntakeSource, ref: string, caller: string, point: { lon: number; lat: number } | undefined, address: string | undefined): { code: string; name: string } {
    const s = point ? this.locator.locate(point.lon, point.lat) : address ? this.locator.byAddress(address) : null;
    if (!s)
      throw this.refuse(
        source,
        'outsideStreets',
        point ? '位置不在本市任何街道范围内' : '无法从地址确定所在街道，请提供定位',
        point ? `${ref}: ${point.lon},${point.lat} is outside every street` : `${ref}: no street named in the address`,
        caller,
      );
    return s;
  }

  /** Records a case once and dispatches it, or holds it with the reason. */
  async submit(c: IntakeCase): Promise<IntakeReply> {
    const id = crypto.randomUUID();
    const at = this.svc.now();
    const dispatch: DispatchRequest = { ...c.dispatch, street: c.street.code, ...(c.category ? { category: c.category } : {}) };
    const inserted = await this.db
      .insertInto('city_intake_cases')
      .values({
        id,
        source: c.source,
        source_ref: c.ref,
        caller: c.caller,
        street_code: c.street.code,
        category_code: c.category,
        source_code: c.sourceCode,
        dispatch: JSON.stringify(dispatch),
        phone: c.phone,
        status: 'received',
        held_reason: null,
        ticket_id: null,
        received_at: String(at),
        dispatched_at: null,
        closed_at: null,
      })
      .onConflict((oc) => oc.columns(['source', 'source_ref']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // The same id sent twice at once: the second is a replay of the first.
    if (!inserted) return (await this.replay(c.source, c.ref))!;
    const held = c.held ?? ((await this.svc.streetCodes()).includes(c.street.code) ? null : 'streetNotConnected');
    if (held) {
      await this.db.updateTable('city_intake_cases').set({ status: 'held', held_reason: held }).where('id', '=', id).execute();
      this.counters[c.source].held++;
      this.log('intake case held', { source: c.source, ref: c.ref, street: c.street.code, reason: held, code: c.sourceCode });
    } else {
      await this.dispatch(id, dispatch);
      this.counters[c.source].accepted++;
    }
    return this.replyOf((await this.db.selectFrom('city_intake_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow()), false);
  }

  private async dispatch(id: string, dispatch: DispatchRequest): Promise<CityTicket> {
    const t = await this.svc.dispatch(dispatch);
    await this.db.updateTable('city_intake_cases').set({ status: 'dispatched', held_reason: null, ticket_id: t.id, dispatched_at: String(this.svc.now()) }).where('id', '=', id).execute();
    this.log('intake case dispatched', { case: id, channel: dispatch.channel, street: dispatch.street, ticket: t.code });
    return t;
  }

  /**
   * Dispatches held cases that `which` picks; `remap` may give a held case a category now (a new
   * code mapping table) or say it is still held. Returns how many went out.
   */
  async deliverHeld(which: (r: CaseRow) => boolean, remap?: (r: CaseRow, dispatch: DispatchRequest) => Promise<{ category: string; text?: string } | { held: HeldReason }>): Promise<number> {
    const rows = (await this.db.selectFrom('city_intake_cases').selectAll().where('status', '=', 'held').orderBy('received_at').execute()).filter(which);
    const streets = new Set(await this.svc.streetCodes());
    let n = 0;
    for (const r of rows) {
      const dispatch = (typeof r.dispatch === 'string' ? JSON.parse(r.dispatch) : r.dispatch) as DispatchRequest;
      if (remap) {
        const m = await remap(r, dispatch);
        if ('held' in m) {
          if (m.held !== r.held_reason) await this.db.updateTable('city_intake_cases').set({ held_reason: m.held }).where('id', '=', r.id).execute();
          continue;
        }
        dispatch.category = m.category;
        if (m.text) dispatch.text = m.text;
        await this.db.updateTable('city_intake_cases').set({ category_code: m.category, dispatch: JSON.stringify(dispatch) }).where('id', '=', r.id).execute();
      }
      if (!streets.has(dispatch.street)) {
        await this.db.updateTable('city_intake_cases').set({ held_reason: 'streetNotConnected' }).where('id', '=', r.id).execute();
        continue;
      }
      try {
        await this.dispatch(r.id, dispatch);
        n++;
      } catch (err) {
        this.log('held intake case not dispatched', { case: r.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return n;
  }

  /** Where a case stands now, for its source (the citizen's app reads this). */
  async status(source: IntakeSource, ref: string): Promise<IntakeStatus | null> {
    const r = await this.db.selectFrom('city_intake_cases').selectAll().where('source', '=', source).where('source_ref', '=', ref).executeTakeFirst();
    if (!r) return null;
    if (!r.ticket_id) return { ref, ticketCode: null, state: 'held', statusLabel: '已收到，等待派发', result: null, satisfaction: null, closedAt: null };
    const t = await this.db.selectFrom('city_tickets').select(['code', 'status', 'result', 'satisfaction', 'updated_at']).where('id', '=', r.ticket_id).executeTakeFirstOrThrow();
    const closed = t.status === 'closed';
    return {
      ref,
      ticketCode: t.code,
      state: closed ? 'closed' : 'inProgress',
      statusLabel: (STATUS_LABELS as Record<string, string>)[t.status] ?? t.status,
      result: closed ? t.result : null,
      satisfaction: closed ? t.satisfaction : null,
      closedAt: closed ? Number(r.closed_at ?? t.updated_at) : null,
    };
  }

  /** Cases waiting at the city with their reasons (the console), oldest first. */
  async held(limit = 100): Promise<HeldCase[]> {
    const rows = await this.db.selectFrom('city_intake_cases').select(['id', 'source', 'source_ref', 'street_code', 'source_code', 'held_reason', 'received_at']).where('status', '=', 'held').orderBy('received_at').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, source: r.source as IntakeSource, ref: r.source_ref, street: r.street_code, sourceCode: r.source_code, reason: (r.held_reason ?? 'streetNotConnected') as HeldReason, receivedAt: Number(r.received_at) }));
  }

  private async closed(t: CityTicket): Promise<void> {
    const at = this.svc.now();
    const r = await this.db
      .updateTable('city_intake_cases')
      .set({ closed_at: String(at) })
      .where('ticket_id', '=', t.id)
      .where('closed_at', 'is', null)
      .returning(['source', 'source_ref', 'phone'])
      .executeTakeFirst();
    if (!r) return;
    const closure: IntakeClosure = { source: r.source as IntakeSource, ref: r.source_ref, ticketId: t.id, ticketCode: t.code, street: t.streetCode, phone: r.phone, result: t.result, satisfaction: t.satisfaction, closedAt: at };
    this.log('intake case closed', { source: closure.source, ref: closure.ref, ticket: closure.ticketCode });
    for (const l of this.closureListeners) {
      try {
        await l(closure);
      } catch (err) {
        this.log('intake closure listener failed', { ref: closure.ref, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private async replyOf(r: CaseRow, replayed: boolean): Promise<IntakeReply> {
    const t = r.ticket_id ? await this.db.selectFrom('city_tickets').select('code').where('id', '=', r.ticket_id).executeTakeFirst() : undefined;
    const streetName = r.street_code ? (this.locator.name(r.street_code) ?? r.street_code) : null;
    const code = t?.code ?? null;
    const held = r.status === 'held' ? ((r.held_reason ?? 'streetNotConnected') as HeldReason) : null;
    return {
      ref: r.source_ref,
      status: held ? 'held' : 'accepted',
      ticketCode: code,
      street: r.street_code,
      streetName,
      category: r.category_code,
      heldReason: held,
      notice: held
        ? `已收到（${HELD_REASON_LABELS[held]}），暂存待派发，可凭编号 ${r.source_ref} 查询进度`
        : `已受理，派至${streetName ?? '所在街道'}办理，工单编号 ${code}`,
      replayed,
    };
  }
}
