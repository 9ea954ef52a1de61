// Open311 GeoReport v2 on the city server: discovery, services and their definitions, filing a
// request (form-encoded, API key) that becomes a real city ticket dispatched to the street whose
// outline contains the point (the 12345 direct-dispatch path, so it lands in the street's feed),
// reading requests with the spec's filters (+ updated_after, page/page_size) and by id or token.
// The ticket life cycle maps onto open/closed; status_notes are the latest step, in Chinese.
//
// Only requests filed through Open311 are readable here: other city tickets (12345 calls, what the
// streets find) carry citizens' details the Open311 public read API must not publish.

import crypto from 'node:crypto';
import type http from 'node:http';
import { sql } from 'kysely';
import { ZodError } from 'zod/v4';
import { CityError, type CityService } from '../service';
import { OPEN_STATUSES, SATISFACTION_LABELS, STATUS_LABELS, type Satisfaction, type TicketStatus } from '../../shared/domain/ticket';
import { SLA_UNIT_LABELS } from '../../shared/domain/deadline';
import { OPEN311_SERVICES, serviceByCode, type Open311Service, type ServiceAttribute } from './services';
import { StreetLocator } from './streets';
import { Open311Error, send, sendErrors, type Format } from './format';
import { checkApiKey, externalRefOf, hashKey, open311Db, type Open311Db } from './store';
import { RateLimiter } from './limits';
import { BodyAborted, BodyTooLarge, readLimited } from '../body';

export const OPEN311_PATH = '/open311/v2';
/** The spec's default window for GET requests, and its largest. */
export const WINDOW_MS = 90 * 24 * 3600_000;
export const MAX_RESULTS = 1000;
const CHANGESET = '2026-11-23T00:00:00+08:00';
const MAX_FORM = 256 * 1024;
/** Open311 POSTs per API key and per client address per minute, unless configured. */
export const DEFAULT_PER_MINUTE = 60;
/** Length limits of the fields not checked one by one in create(). */
const FIELD_LIMITS: Array<[string, number]> = [
  ['api_key', 200],
  ['service_code', 64],
  ['address_id', 100],
  ['zipcode', 20],
  ['device_id', 200],
  ['account_id', 200],
  ['first_name', 50],
  ['last_name', 50],
];
const MAX_PARAMS = 200;
const MAX_ATTRIBUTE = 1000;
const TZ_MS = 8 * 3600_000; // Zhengzhou, UTC+8, no daylight saving

/** ISO 8601 with the city's offset, seconds precision: 2026-11-23T10:05:00+08:00. */
export function isoCity(ms: number): string {
  return new Date(ms + TZ_MS).toISOString().slice(0, 19) + '+08:00';
}

/** An ISO 8601 date or date-time; without an offset it is read as Zhengzhou time. */
export function parseDate(name: string, v: string): number {
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) s += 'T00:00:00+08:00';
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += '+08:00';
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(ms)) throw new Open311Error(400, `${name} 不是有效的 ISO 8601 时间（例如 2026-11-23T08:00:00+08:00）：${v}`);
  return ms;
}

let sharedLocator: StreetLocator | null = null;
function defaultLocator(): StreetLocator {
  return (sharedLocator ??= StreetLocator.fromFile());
}

interface RequestRow {
  code: string | null;
  ticket_id: string;
  status: string;
  result: string | null;
  t_description: string | null;
  address: string | null;
  created_at: string;
  updated_at: string;
  street_code: string;
  service_code: string;
  description: string | null;
  address_string: string | null;
  address_id: string | null;
  zipcode: string | null;
  media_url: string | null;
  lat: number | null;
  lon: number | null;
}

export interface ServiceRequestDoc {
  service_request_id: string | null;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string;
  address_id: string;
  zipcode: string;
  lat: number | null;
  long: number | null;
  media_url: string;
}

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
const label = (s: string) => (STATUS_LABELS as Record<string, string>)[s] ?? s;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The citizen-facing note for a ticket's latest step. */
export function statusNote(ev: { action: string; to_status: string; data: unknown } | undefined, t: { status: string; result: string | null }, streetName: string): string {
  if (!ev) return label(t.status);
  const data = (typeof ev.data === 'string' ? JSON.parse(ev.data) : (ev.data ?? {})) as Record<string, unknown>;
  const input = (data.input ?? {}) as Record<string, unknown>;
  const reason = str(input.reason);
  const withReason = (s: string) => (reason ? `${s}：${reason}` : s);
  switch (ev.action) {
    case 'dispatch':
      return data.street ? `已受理，已派至${streetName}办理` : `已派单，由${streetName}处置单位办理`;
    case 'route':
      return `${streetName}已将诉求转交处置单位`;
    case 'accept':
      return '处置单位已签收，正在处置';
    case 'return':
      return withReason(`处置单位申请退回，${streetName}正在重新派单`);
    case 'respondNegotiation':
      return ev.to_status === 'accepted' ? '处置单位已签收，正在处置' : `${streetName}正在协调处置单位`;
    case 'requestExtension':
      return withReason('处置单位已申请延期办理');
    case 'decideExtension':
      return input.approved ? '延期申请已批准，正在处置' : '延期申请未批准，正在处置';
    case 'resolve':
      return `已办结：${str(input.result) ?? t.result ?? '问题已处理'}`;
    case 'verify':
      return input.passed ? `核查通过：${t.result ?? '问题已解决'}` : withReason('核查未通过，已重新办理');
    case 'callback': {
      const s = str(input.satisfaction) as Satisfaction | null;
      return `已回访，市民评价：${s ? (SATISFACTION_LABELS[s] ?? s) : '已记录'}`;
    }
    case 'close':
      return `已办结归档：${t.result ?? '问题已处理'}`;
    case 'reopen':
      return withReason('已重新办理');
    case 'cancel':
    case 'merge':
      return withReason(ev.action === 'merge' ? '已与同一问题的其他诉求合并办理' : '诉求已作废');
    default:
      return label(ev.to_status);
  }
}

export class Open311Api {
  readonly db: Open311Db;
  constructor(
    readonly svc: CityService,
    readonly locator: StreetLocator = defaultLocator(),
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void = (msg, extra) => process.stderr.write(JSON.stringify({ level: 'info', msg, ...extra }) + '\n'),
    limits: { perMinute?: number } = {},
  ) {
    this.db = open311Db(svc.db);
    const perMinute = limits.perMinute ?? DEFAULT_PER_MINUTE;
    this.byKey = new RateLimiter(perMinute, 60_000, () => svc.now());
    this.byAddress = new RateLimiter(perMinute, 60_000, () => svc.now());
    // Requests held for a street are dispatched when it connects, and at start for any street
    // that connected while no server was running.
    svc.onStreetRegistered((code) => this.deliverHeld(code));
    void this.deliverHeld().catch((err) => this.log('open311 held delivery failed', { error: err instanceof Error ? err.stack : String(err) }));
  }

  private readonly byKey: RateLimiter;
  private readonly byAddress: RateLimiter;

  /** Dispatches the requests held for `street` (or for every registered street); returns how many. */
  async deliverHeld(street?: string): Promise<number> {
    let q = this.db
      .selectFrom('open311_requests as o')
      .innerJoin('streets as s', 's.code', 'o.street_code')
      .select(['o.token', 'o.street_code', 'o.held'])
      .where('o.held', 'is not', null)
      .orderBy('o.requested_at');
    if (street) q = q.where('o.street_code', '=', street);
    let n = 0;
    for (const r of await q.execute()) {
      // Claim the row first: two servers (or a restart) never dispatch it twice.
      const claimed = await this.db.updateTable('open311_requests').set({ held: null, delivered_at: String(this.svc.now()) }).where('token', '=', r.token).where('held', 'is not', null).returning('token').executeTakeFirst();
      if (!claimed) continue;
      const held = (typeof r.held === 'string' ? JSON.parse(r.held) : r.held) as Parameters<CityService['dispatch']>[0];
      try {
        const t = await this.svc.dispatch(held);
        n++;
        this.log('open311 held request delivered', { ticket: t.code, street: r.street_code });
      } catch (err) {
        await this.db.updateTable('open311_requests').set({ held: JSON.stringify(held), delivered_at: null }).where('token', '=', r.token).execute();
        throw err;
      }
    }
    return n;
  }


  // ---- reference documents ----

  discovery(baseUrl: string) {
    return {
      changeset: CHANGESET,
      contact: '郑州市城市运行管理中心（12345 政务服务便民热线）',
      key_service: '提交诉求需要 API 密钥，请向市城运中心申请（运维命令：npm run -s city -- open311-key 名称）',
      endpoints: [
        { specification: 'http://wiki.open311.org/GeoReport_v2', url: baseUrl, changeset: CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] },
      ],
    };
  }

  services() {
    return OPEN311_SERVICES.map((s) => ({
      service_code: s.service_code,
      service_name: s.service_name,
      description: s.description,
      metadata: s.metadata,
      type: s.type,
      keywords: s.keywords,
      group: s.group,
    }));
  }

  definition(code: string) {
    const s = serviceByCode(code);
    if (!s) throw new Open311Error(404, `没有服务代码为 ${code} 的服务`);
    if (!s.metadata) throw new Open311Error(404, `服务 ${code}（${s.service_name}）没有附加问题（metadata=false），无需服务定义`);
    return {
      service_code: s.service_code,
      attributes: s.attributes.map((a) => ({
        variable: a.variable,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: a.datatype_description,
        order: a.order,
        description: a.description,
        ...(a.values ? { values: a.values } : {}),
      })),
    };
  }

  // ---- POST requests ----

  async create(p: URLSearchParams): Promise<Array<{ service_request_id: string; token: string; service_notice: string; account_id: string }>> {
    const client = await checkApiKey(this.svc.db, p.get('api_key') ?? '');
    if (!client) throw new Open311Error(403, p.get('api_key') ? 'api_key 无效或已停用，不能提交诉求' : '缺少 api_key，提交诉求需要市城运中心发放的 API 密钥');
    const errors: string[] = [];
    const code = str(p.get('service_code'));
    const service = code ? serviceByCode(code) : undefined;
    if (!code) errors.push('缺少 service_code（服务代码），可从 services.xml 查询');
    else if (!service) errors.push(`未知的 service_code：${code}`);
    const latRaw = str(p.get('lat'));
    const lonRaw = str(p.get('long'));
    const addressString = str(p.get('address_string'));
    const addressId = str(p.get('address_id'));
    let lat: number | null = null;
    let lon: number | null = null;
    if (latRaw || lonRaw) {
      lat = latRaw ? Number(latRaw) : NaN;
      lon = lonRaw ? Number(lonRaw) : NaN;
      if (!latRaw || !lonRaw) errors.push('lat 与 long 须同时提供');
      else if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90 && Number.isFinite(lon) && lon >= -180 && lon <= 180)) errors.push(`lat/long 不是有效的 WGS-84 经纬度：${latRaw},${lonRaw}`);
    } else if (!addressString) {
      errors.push(addressId ? '暂不支持仅凭 address_id 定位，请提供 lat/long 或 address_string' : '缺少位置：请提供 lat 和 long（WGS-84），或 address_string');
    }
    if (addressString && addressString.length > 300) errors.push('address_string 不能超过 300 个字符');
    for (const [name, max] of FIELD_LIMITS) {
      const v = p.get(name);
      if (v && v.length > max) errors.push(`${name} 不能超过 ${max} 个字符`);
    }
    const description = str(p.get('description'));
    if (description && description.length > 4000) errors.push('description 不能超过 4000 个字符');
    const email = str(p.get('email'));
    if (email && (email.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) errors.push(`email 格式不正确：${email}`);
    const phone = str(p.get('phone'));
    if (phone && !/^[0-9+\-() ]{3,20}$/.test(phone)) errors.push(`phone 格式不正确：${phone}`);
    const firstName = str(p.get('first_name'));
    const lastName = str(p.get('last_name'));
    if ((firstName?.length ?? 0) + (lastName?.length ?? 0) > 50) errors.push('first_name 与 last_name 合计不能超过 50 个字符');
    const mediaUrl = str(p.get('media_url'));
    if (mediaUrl && (mediaUrl.length > 1000 || !/^https?:\/\/\S+$/i.test(mediaUrl))) errors.push('media_url 须是 http(s) 地址');
    const attributes = service ? this.attributes(service, p, errors) : {};
    if (errors.length) throw new Open311Error(400, errors);

    // Where: the point's street, else a street named in the address.
    const street = lat != null && lon != null ? this.locator.locate(lon, lat) : this.locator.byAddress(addressString!);
    if (!street)
      throw new Open311Error(
        400,
        lat != null ? `位置（lat ${lat}, long ${lon}）不在本市已知的任何街道范围内，无法受理` : `无法从 address_string 确定所属街道，请提供 lat/long：${addressString}`,
      );
    const registered = await this.db.selectFrom('streets').select('code').where('code', '=', street.code).executeTakeFirst();

    const svc = service!;
    const token = crypto.randomUUID();
    const externalRef = externalRefOf(token);
    const attrText = this.attributeSummary(svc, attributes);
    // What the street reads: the service, the citizen's words, the answers, the photo, and which app it came through.
    const text = [`【${svc.service_name}】${description ?? '（市民未填写描述）'}`, attrText && `（${attrText}）`, mediaUrl && `图片：${mediaUrl}`, `〔经 Open311 应用“${client.name}”提交〕`].filter(Boolean).join('');
    const address = addressString ?? `${street.name}（${lat!.toFixed(5)}, ${lon!.toFixed(5)} 附近）`;
    const reporterName = [lastName, firstName].filter(Boolean).join('') || null;
    const now = this.svc.now();
    const dispatch = {
      street: street.code,
      text: text.slice(0, 5000),
      address: address.slice(0, 300),
      ...(lon != null && lon >= 73 && lon <= 136 ? { lon } : {}),
      ...(lat != null && lat >= 3 && lat <= 54 ? { lat } : {}),
      externalRef,
      ...(reporterName ? { reporterName } : {}),
      ...(phone ? { reporterPhone: phone } : {}),
      type: svc.ticketType,
      channel: 'open311' as const,
    };
    await this.db
      .insertInto('open311_requests')
      .values({
        token,
        external_ref: externalRef,
        service_code: svc.service_code,
        street_code: street.code,
        key_id: client.id,
        description,
        attributes: JSON.stringify(attributes),
        address_string: addressString,
        address_id: addressId,
        zipcode: str(p.get('zipcode')),
        email,
        device_id: str(p.get('device_id')),
        account_id: str(p.get('account_id')),
        first_name: firstName,
        last_name: lastName,
        phone,
        media_url: mediaUrl,
        lat,
        lon,
        requested_at: String(now),
        // A street not yet connected: the request is kept and dispatched when the street connects.
        held: registered ? null : JSON.stringify(dispatch),
        delivered_at: null,
      })
      .execute();
    if (!registered) {
      this.log('open311 request held', { street: street.code, service: svc.service_code, key: client.id });
      return [
        {
          service_request_id: '',
          token,
          service_notice: `已受理。该位置属于${street.name}，该街道尚未接入市城运平台，诉求已登记，街道接入后即派发办理。可凭令牌 ${token} 查询编号`,
          account_id: str(p.get('account_id')) ?? '',
        },
      ];
    }
    let ticket;
    try {
      ticket = await this.svc.dispatch(dispatch);
    } catch (err) {
      // Nothing half-filed: the request row goes with the failed dispatch.
      await this.db.deleteFrom('open311_requests').where('token', '=', token).execute();
      throw err;
    }
    this.log('open311 request filed', { ticket: ticket.code, street: street.code, service: svc.service_code, key: client.id });
    return [{ service_request_id: ticket.code ?? ticket.id, token, service_notice: this.notice(svc, street.name, ticket.code ?? ticket.id), account_id: str(p.get('account_id')) ?? '' }];
  }

  private notice(s: Open311Service, streetName: string, code: string): string {
    return `已受理，派至${streetName}办理，承诺 ${s.resolveWithin} ${SLA_UNIT_LABELS[s.resolveUnit]}内办结。查询编号 ${code}`;
  }

  /** attribute[CODE] (and attributes[CODE]); multivaluelist also as attribute[CODE][]. */
  private attributes(s: Open311Service, p: URLSearchParams, errors: string[]): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    const byCode = new Map(s.attributes.map((a) => [a.code, a]));
    const given = new Map<string, string[]>();
    for (const [k, v] of p) {
      const m = /^attributes?\[([^\]]+)\](\[\])?$/.exec(k);
      if (!m) continue;
      const list = given.get(m[1]!) ?? [];
      list.push(...(m[2] ? [v] : v.split(',')).map((x) => x.trim()).filter(Boolean));
      given.set(m[1]!, list);
    }
    for (const c of given.keys()) if (!byCode.has(c) || !byCode.get(c)!.variable) errors.push(`服务 ${s.service_code} 没有可填写的属性 ${c}`);
    for (const a of s.attributes) {
      if (!a.variable) continue;
      const vals = given.get(a.code) ?? [];
      if (!vals.length) {
        if (a.required) errors.push(`缺少必填属性 attribute[${a.code}]（${a.description}）`);
        continue;
      }
      const bad = (why: string) => errors.push(`属性 attribute[${a.code}]（${a.description}）${why}`);
      switch (a.datatype) {
        case 'singlevaluelist':
          if (vals.length !== 1 || !a.values!.some((v) => v.key === vals[0])) bad(`须是以下之一：${a.values!.map((v) => `${v.key}=${v.name}`).join('，')}`);
          else out[a.code] = vals[0]!;
          break;
        case 'multivaluelist':
          if (!vals.every((x) => a.values!.some((v) => v.key === x))) bad(`的取值须来自：${a.values!.map((v) => `${v.key}=${v.name}`).join('，')}`);
          else out[a.code] = [...new Set(vals)];
          break;
        case 'number':
          if (vals.length !== 1 || !Number.isFinite(Number(vals[0]))) bad('须是数字');
          else out[a.code] = vals[0]!;
          break;
        case 'datetime':
          try {
            out[a.code] = isoCity(parseDate(`attribute[${a.code}]`, vals.join(',')));
          } catch {
            bad('须是 ISO 8601 时间');
          }
          break;
        default: {
          const v = vals.join(',');
          if (v.length > 500) bad('不能超过 500 个字符');
          else out[a.code] = v;
        }
      }
    }
    return out;
  }

  private attributeSummary(s: Open311Service, attrs: Record<string, string | string[]>): string {
    const name = (a: ServiceAttribute, k: string) => a.values?.find((v) => v.key === k)?.name ?? k;
    return s.attributes
      .filter((a) => attrs[a.code] !== undefined)
      .map((a) => {
        const v = attrs[a.code]!;
        return `${a.description}：${Array.isArray(v) ? v.map((x) => name(a, x)).join('、') : name(a, v)}`;
      })
      .join('；');
  }

  // ---- GET requests ----

  private base() {
    return this.db
      .selectFrom('open311_requests as o')
      .innerJoin('city_tickets as t', 't.external_ref', 'o.external_ref')
      .select([
        't.code',
        't.id as ticket_id',
        't.status',
        't.result',
        't.description as t_description',
        't.address',
        't.created_at',
        't.updated_at',
        't.street_code',
        'o.service_code',
        'o.description',
        'o.address_string',
        'o.address_id',
        'o.zipcode',
        'o.media_url',
        'o.lat',
        'o.lon',
      ]);
  }

  private async docs(rows: RequestRow[]): Promise<ServiceRequestDoc[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.ticket_id);
    const events = await this.db
      .selectFrom('city_ticket_events')
      .select(['ticket_id', 'action', 'to_status', 'data'])
      .distinctOn('ticket_id')
      .where('ticket_id', 'in', ids)
      .orderBy('ticket_id')
      .orderBy('id', 'desc')
      .execute();
    const last = new Map(events.map((e) => [e.ticket_id, e]));
    return rows.map((r) => {
      const s = serviceByCode(r.service_code);
      const streetName = this.locator.name(r.street_code) ?? r.street_code;
      return {
        service_request_id: r.code ?? r.ticket_id,
        status: isOpen(r.status) ? 'open' : 'closed',
        status_notes: statusNote(last.get(r.ticket_id), r, streetName),
        service_name: s?.service_name ?? r.service_code,
        service_code: r.service_code,
        description: r.description ?? '',
        agency_responsible: streetName,
        service_notice: s ? this.notice(s, streetName, r.code ?? r.ticket_id) : '',
        requested_datetime: isoCity(Number(r.created_at)),
        updated_datetime: isoCity(Number(r.updated_at)),
        expected_datetime: '',
        address: r.address_string ?? r.address ?? '',
        address_id: r.address_id ?? '',
        zipcode: r.zipcode ?? '',
        lat: r.lat == null ? null : Number(r.lat),
        long: r.lon == null ? null : Number(r.lon),
        media_url: r.media_url ?? '',
      };
    });
  }

  async byId(id: string): Promise<ServiceRequestDoc[]> {
    const rows = (await this.base().where((eb) => eb.or([eb('t.code', '=', id), eb('t.id', '=', id)])).execute()) as RequestRow[];
    if (!rows.length) throw new Open311Error(404, `没有编号为 ${id} 的诉求`);
    return this.docs(rows);
  }

  async byToken(token: string): Promise<Array<{ service_request_id: string; token: string }>> {
    const r = await this.db
      .selectFrom('open311_requests as o')
      .leftJoin('city_tickets as t', 't.external_ref', 'o.external_ref')
      .select(['o.token', 't.code', 't.id'])
      .where('o.token', '=', token)
      .executeTakeFirst();
    if (!r) throw new Open311Error(404, `没有令牌为 ${token} 的诉求`);
    return [{ service_request_id: r.code ?? r.id ?? '', token: r.token }];
  }

  async list(p: URLSearchParams): Promise<{ docs: ServiceRequestDoc[]; total: number }> {
    const csv = (name: string) =>
      (p.getAll(name).join(',') || '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    const ids = csv('service_request_id');
    if (ids.length) {
      // The spec: with service_request_id, every other parameter is ignored.
      if (ids.length > MAX_RESULTS) throw new Open311Error(400, `service_request_id 一次最多 ${MAX_RESULTS} 个`);
      const rows = (await this.base().where('t.code', 'in', ids).orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').execute()) as RequestRow[];
      return { docs: await this.docs(rows), total: rows.length };
    }
    const errors: string[] = [];
    const codes = csv('service_code');
    for (const c of codes) if (!serviceByCode(c)) errors.push(`未知的 service_code：${c}`);
    const statuses = csv('status').map((s) => s.toLowerCase());
    for (const s of statuses) if (s !== 'open' && s !== 'closed') errors.push(`status 只能是 open 或 closed：${s}`);
    const date = (name: string) => {
      const v = str(p.get(name));
      if (!v) return null;
      try {
        return parseDate(name, v);
      } catch (e) {
        errors.push((e as Error).message);
        return null;
      }
    };
    let start = date('start_date');
    let end = date('end_date');
    const updatedAfter = date('updated_after');
    const int = (name: string, dflt: number) => {
      const v = str(p.get(name));
      if (!v) return dflt;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) errors.push(`${name} 须是正整数：${v}`);
      return n;
    };
    const page = int('page', 1);
    const pageSize = Math.min(int('page_size', MAX_RESULTS), MAX_RESULTS);
    if (errors.length) throw new Open311Error(400, errors);
    // The 90-day window on requested_datetime: the most recent 90 days by default, never wider.
    // updated_after alone (incremental readers) is bounded by its own instant instead.
    if (start == null && end == null && updatedAfter == null) {
      end = this.svc.now();
      start = end - WINDOW_MS;
    } else if (start != null && end == null && updatedAfter == null) end = start + WINDOW_MS;
    else if (start == null && end != null) start = end - WINDOW_MS;
    if (start != null && end != null) {
      if (end < start) throw new Open311Error(400, 'end_date 不能早于 start_date');
      if (end - start > WINDOW_MS) throw new Open311Error(400, 'start_date 与 end_date 的跨度不能超过 90 天');
    }
    let q = this.base();
    if (codes.length) q = q.where('o.service_code', 'in', codes);
    if (start != null) q = q.where('t.created_at', '>=', String(start));
    if (end != null) q = q.where('t.created_at', '<=', String(end));
    if (updatedAfter != null) q = q.where('t.updated_at', '>', String(updatedAfter));
    const want = new Set(statuses);
    if (want.size === 1) {
      const open = [...OPEN_STATUSES] as TicketStatus[];
      q = want.has('open') ? q.where('t.status', 'in', open) : q.where('t.status', 'not in', open);
    }
    const counted = await q.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirst();
    const rows = (await q
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute()) as RequestRow[];
    return { docs: await this.docs(rows), total: Number(counted?.n ?? 0) };
  }

  // ---- HTTP ----

  /** Serves one request under /open311/v2/ (writes the response itself). */
  async serve(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const rest = url.pathname.slice(OPEN311_PATH.length + 1).replace(/\/$/, '');
    const m = /^(.*)\.(xml|json)$/i.exec(rest);
    const fmt: Format = (m?.[2]?.toLowerCase() as Format | undefined) ?? (/json/.test(String(req.headers.accept)) ? 'json' : 'xml');
    try {
      if (!m) throw new Open311Error(404, `没有这个资源：${url.pathname}（地址须以 .xml 或 .json 结尾）`);
      let parts: string[];
      try {
        parts = m[1]!.split('/').map(decodeURIComponent);
      } catch {
        throw new Open311Error(400, `地址编码不正确：${url.pathname}`);
      }
      const [what, id, extra] = parts;
      if (extra !== undefined || !what) throw new Open311Error(404, `没有这个资源：${url.pathname}`);
      const method = req.method;
      if (what === 'requests' && id === undefined && method === 'POST') {
        const address = req.socket.remoteAddress ?? 'unknown';
        let wait = this.byAddress.take(`ip:${address}`);
        if (wait) throw new Open311Error(429, `提交过于频繁（每个地址每分钟至多 ${this.byAddress.limit} 次），请 ${wait} 秒后再试`, wait);
        const form = await readForm(req, url);
        if ([...form.keys()].length > MAX_PARAMS) throw new Open311Error(400, `参数过多（至多 ${MAX_PARAMS} 个）`);
        for (const [k, v] of form) if (k.length > 100 || v.length > MAX_ATTRIBUTE * 5) throw new Open311Error(400, `参数 ${k.slice(0, 100)} 过长`);
        wait = this.byKey.take(`key:${hashKey(form.get('api_key') ?? '')}`);
        if (wait) throw new Open311Error(429, `提交过于频繁（每个 API 密钥每分钟至多 ${this.byKey.limit} 次），请 ${wait} 秒后再试`, wait);
        const out = await this.create(form);
        send(res, fmt, 200, 'service_requests', out);
        return;
      }
      if (method !== 'GET') throw new Open311Error(405, `${method} 不适用于 ${url.pathname}`);
      if (what === 'discovery' && id === undefined) {
        const host = req.headers.host ?? 'localhost';
        return send(res, fmt, 200, 'discovery', this.discovery(`https://${host}${OPEN311_PATH}/`));
      }
      if (what === 'services' && id === undefined) return send(res, fmt, 200, 'services', this.services());
      if (what === 'services') return send(res, fmt, 200, 'service_definition', this.definition(id!));
      if (what === 'requests' && id === undefined) {
        const { docs, total } = await this.list(url.searchParams);
        return send(res, fmt, 200, 'service_requests', docs, { 'x-total-count': String(total) });
      }
      if (what === 'requests') return send(res, fmt, 200, 'service_requests', await this.byId(id!));
      if (what === 'tokens' && id !== undefined) return send(res, fmt, 200, 'service_requests', await this.byToken(id));
      throw new Open311Error(404, `没有这个资源：${url.pathname}`);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof Open311Error) {
        this.log('open311 refused', { path: url.pathname, status: err.status, detail: err.message });
        sendErrors(res, fmt, err.status, err.errors, { ...(err.retryAfterS ? { 'retry-after': String(err.retryAfterS) } : {}), ...(req.complete ? {} : { connection: 'close' }) });
      } else if (err instanceof CityError) {
        this.log('open311 refused', { path: url.pathname, status: err.status, code: err.code, detail: err.message });
        sendErrors(res, fmt, err.status === 413 ? 413 : 400, [{ code: err.status === 413 ? 413 : 400, description: err.message }]);
      } else if (err instanceof ZodError) {
        const detail = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        this.log('open311 invalid', { path: url.pathname, detail });
        sendErrors(res, fmt, 400, [{ code: 400, description: `诉求内容不符合要求：${detail}` }]);
      } else {
        this.log('open311 failed', { path: url.pathname, error: err instanceof Error ? err.stack : String(err) });
        sendErrors(res, fmt, 500, [{ code: 500, description: '服务器内部错误，诉求未受理，请稍后重试' }]);
      }
    }
  }
}

/** The POST's parameters: the form body (application/x-www-form-urlencoded) over the query string. */
function readForm(req: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && type !== 'application/x-www-form-urlencoded')
    return Promise.reject(new Open311Error(400, `请求须是 application/x-www-form-urlencoded 表单（收到 ${type}）；图片请用 media_url 提供`));
  return readLimited(req, MAX_FORM).then(
    (raw) => {
      const body = new URLSearchParams(raw.toString('utf8'));
      const out = new URLSearchParams();
      for (const [k, v] of url.searchParams) if (!body.has(k)) out.append(k, v);
      for (const [k, v] of body) out.append(k, v);
      return out;
    },
    (err) => {
      if (err instanceof BodyTooLarge) throw new Open311Error(413, `表单超过 ${MAX_FORM / 1024} KB`);
      if (err instanceof BodyAborted) throw new Open311Error(400, '表单未完整送达');
      throw err;
    },
  );
}
