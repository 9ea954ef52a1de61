// The stream of demo tickets: when they arrive (daily, weekly and seasonal rhythm on the working-day
// calendar), what they are about (catalog leaves with seasonal themes), where (grids weighted by
// population), through which channel, from whom, and how their life went (lifecycle.ts).

import { v7 as uuidv7 } from 'uuid';
import { cstDate, cstMidnight, type Calendar } from '../../shared/domain/calendar';
import { ticketCode } from '../../shared/domain/ticketCode';
import type { Channel, TicketType, Urgency } from '../../shared/domain/ticket';
import { seasonFactor, TOP_OF_LEAF } from './catalog';
import { uvToLonLat, type UvRect } from './geo';
import { TicketSim, type ActorRef, type LeafRuntime, type TicketOutcome, type World } from './lifecycle';
import { mobile, personName, surname } from './org';
import { cumulative, pickIndex, type Rng } from './prng';
import { resultText, ticketText, type Place } from './text';

const DAY = 86_400_000;
/** The local AI classifier went live this long before `now`; older tickets have no AI suggestion. */
const AI_LIVE_BEFORE_NOW = 300 * DAY;
const AI_MODEL_VERSION = 'ticket-text-1.2.0';

export interface GridRuntime {
  id: string;
  code: string;
  communityIndex: number;
  communityUnitId: string;
  rect: UvRect;
  place: Place;
  population: number;
  officers: ActorRef[];
  /** The innermost grid (a micro-grid) at a point of this grid, as the point → grid lookup finds it. */
  cellAt?: (lon: number, lat: number) => string;
}

export interface GenOrg {
  grids: GridRuntime[];
  leaves: LeafRuntime[];
  unitShort: Map<string, string>;
  world: World;
  /** The actor that brings in tickets from a city platform (12345, 郑好拍, sensors …). */
  platform: (channel: Channel) => ActorRef;
  codePrefix: string;
}

export interface GeneratedTicket {
  rowid: number;
  id: string;
  code: string;
  channel: Channel;
  externalRef: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  type: TicketType;
  description: string;
  address: string;
  lon: number;
  lat: number;
  gridId: string;
  leaf: LeafRuntime;
  aiCategoryId: string | null;
  aiConfidence: number | null;
  aiModelVersion: string | null;
  categorySource: string | null;
  urgency: Urgency;
  createdAt: number;
  outcome: TicketOutcome;
  /** Version as the ticket service counts it (1 at creation, +1 per later action). */
  version: number;
}

// Tickets per hour of day (CST): peaks 9–11 and 14–17, few at night.
const HOURS_WORKDAY = [0.35, 0.18, 0.1, 0.08, 0.08, 0.15, 0.45, 1.6, 4.2, 7.2, 8, 7, 4.2, 3.4, 6.2, 7.2, 7, 6, 4.2, 3.6, 3.4, 2.8, 1.8, 0.9];
const HOURS_OFFDAY = [0.5, 0.25, 0.12, 0.08, 0.08, 0.12, 0.3, 0.9, 2.2, 4, 5, 5, 4, 3.6, 4.2, 4.8, 4.8, 4.4, 3.8, 3.8, 3.8, 3.2, 2.2, 1.1];
const MONTH_VOLUME = [1.05, 0.9, 0.95, 0.95, 1, 1.05, 1.15, 1.15, 1, 0.95, 1.05, 1.08];

const CITIZEN_CHANNELS: ReadonlyArray<[Channel, number]> = [
  ['hotline12345', 46],
  ['zhenghaopai', 9],
  ['miniProgram', 5],
  ['mayorMailbox', 2],
  ['walkIn', 2],
];
const CITY_MGMT_TOPS = new Set(['01', '02', '03', '04', '06', '07', '08']);
const POLICE_TOPS = new Set(['03', '05', '20']);
const PROPERTY_TOPS = new Set(['09', '11', '12', '13', '14']);
const PETITION_TOPS = new Set(['04', '13', '14', '16', '20']);

function channelWeights(leaf: LeafRuntime): Array<[Channel, number]> {
  const top = TOP_OF_LEAF.get(leaf.def.code)!.code;
  if (leaf.def.cons)
    return [
      ['hotline12345', 74],
      ['miniProgram', 10],
      ['walkIn', 9],
      ['mayorMailbox', 4],
      ['propertyButler', PROPERTY_TOPS.has(top) ? 3 : 0],
    ];
  const w: Array<[Channel, number]> = [...CITIZEN_CHANNELS];
  w.push(['gridPatrol', leaf.def.micro ? 34 : CITY_MGMT_TOPS.has(top) ? 16 : 6]);
  w.push(['digitalCityMgmt', CITY_MGMT_TOPS.has(top) ? 9 : 0]);
  w.push(['police110', POLICE_TOPS.has(top) ? 6 : 0.5]);
  w.push(['propertyButler', PROPERTY_TOPS.has(top) ? 6 : 0]);
  w.push(['videoAi', leaf.def.video ? 10 : 0]);
  w.push(['iotSensor', leaf.def.sensor ? 12 : 0]);
  w.push(['petition', PETITION_TOPS.has(top) ? 1.5 : 0]);
  return w.filter(([, x]) => x > 0);
}

export class TicketGenerator {
  private readonly cal: Calendar;
  private readonly days: Array<{ start: number; count: number }>;
  private dayIdx = 0;
  private dayTimes: number[] = [];
  private dayPos = 0;
  private dayLeafCum: [Float64Array, Float64Array] | null = null;
  private rowid = 0;
  private curDate = '';
  private seqOfDay = 0;
  private readonly gridCum: Float64Array;
  private readonly chanByLeaf: Array<{ chans: Channel[]; cum: Float64Array }>;
  private readonly recent = new Map<number, { id: string; code: string; at: number }>();
  private readonly idBytes = new Uint8Array(16);
  private readonly stormDays = new Set<number>();
  private readonly rainLeaves: boolean[];

  constructor(
    private readonly org: GenOrg,
    private readonly rng: Rng,
    readonly total: number,
    private readonly now: number,
  ) {
    this.cal = org.world.cal;
    this.gridCum = cumulative(org.grids.map((g) => g.population));
    this.chanByLeaf = org.leaves.map((l) => {
      const w = channelWeights(l);
      return { chans: w.map(([c]) => c), cum: cumulative(w.map(([, x]) => x)) };
    });
    this.rainLeaves = org.leaves.map((l) => l.def.season === 'rain');
    this.days = this.planDays();
  }

  /** Spreads the tickets over the 730 days before today plus today up to `now`. */
  private planDays(): Array<{ start: number; count: number }> {
    const today = cstMidnight(this.now);
    const first = today - 730 * DAY;
    const weights: number[] = [];
    const starts: number[] = [];
    for (let d = 0, start = first; start <= today; d++, start += DAY) {
      const date = cstDate(start + 12 * 3_600_000);
      const month = Number(date.slice(5, 7));
      const working = this.cal.isWorkingDay(date);
      let w = working ? 1 : this.cal.holidayName(date) ? 0.5 : 0.62;
      w *= MONTH_VOLUME[month - 1]!;
      w *= 0.85 + (0.3 * d) / 730;
      w *= 0.88 + 0.24 * this.rng.next();
      if ((month === 7 || month === 8) && this.rng.chance(0.12)) this.stormDays.add(start);
      else if ((month === 6 || month === 9) && this.rng.chance(0.04)) this.stormDays.add(start);
      if (start === today) {
        // Only the part of today that has passed.
        const hours = working ? HOURS_WORKDAY : HOURS_OFFDAY;
        const elapsed = (this.now - today) / 3_600_000;
        let part = 0;
        for (let h = 0; h < 24; h++) part += hours[h]! * Math.min(1, Math.max(0, elapsed - h));
        w *= part / hours.reduce((a, b) => a + b, 0);
      }
      weights.push(w);
      starts.push(start);
    }
    const cum = cumulative(weights);
    const totalW = cum[cum.length - 1]!;
    const out: Array<{ start: number; count: number }> = [];
    let prev = 0;
    for (let i = 0; i < weights.length; i++) {
      const upto = Math.round((this.total * cum[i]!) / totalW);
      out.push({ start: starts[i]!, count: upto - prev });
      prev = upto;
    }
    return out;
  }

  private startDay(): boolean {
    while (this.dayIdx < this.days.length) {
      const d = this.days[this.dayIdx++]!;
      if (d.count <= 0) continue;
      const date = cstDate(d.start + 12 * 3_600_000);
      const month = Number(date.slice(5, 7));
      const dom = Number(date.slice(8, 10));
      const working = this.cal.isWorkingDay(date);
      const storm = this.stormDays.has(d.start);
      const dayW: number[] = [];
      const nightW: number[] = [];
      this.org.leaves.forEach((l, i) => {
        let w = l.def.w * seasonFactor(l.def.season ?? 'flat', month, dom);
        if (!working && l.def.cons) w *= 0.45;
        if (storm && this.rainLeaves[i]) w *= 5;
        dayW.push(w);
        nightW.push(w * (l.def.night ?? 0.6));
      });
      this.dayLeafCum = [cumulative(dayW), cumulative(nightW)];
      const hours = cumulative(working ? HOURS_WORKDAY : HOURS_OFFDAY);
      const times: number[] = [];
      for (let k = 0; k < d.count; k++) {
        let t: number;
        let guard = 0;
        do {
          const h = pickIndex(hours, this.rng.next());
          t = d.start + h * 3_600_000 + Math.floor(this.rng.next() * 3_600_000);
        } while (t >= this.now && ++guard < 1000);
        if (t >= this.now) t = this.now - 1 - k;
        times.push(t);
      }
      times.sort((a, b) => a - b);
      this.dayTimes = times;
      this.dayPos = 0;
      return true;
    }
    return false;
  }

  private id(ms: number): string {
    return uuidv7({ msecs: ms, random: this.rng.bytes(this.idBytes) });
  }

  /** The next ticket in time order, or null when all are generated. */
  next(): GeneratedTicket | null {
    if (this.dayPos >= this.dayTimes.length && !this.startDay()) return null;
    const createdAt = this.dayTimes[this.dayPos++]!;
    const rng = this.rng;
    const org = this.org;

    const hour = Math.floor((createdAt - cstMidnight(createdAt)) / 3_600_000);
    const night = hour >= 20 || hour < 7;
    const leafIdx = pickIndex(this.dayLeafCum![night ? 1 : 0], rng.next());
    const leaf = org.leaves[leafIdx]!;
    const gridIdx = pickIndex(this.gridCum, rng.next());
    const grid = org.grids[gridIdx]!;
    const ch = this.chanByLeaf[leafIdx]!;
    const channel = ch.chans[pickIndex(ch.cum, rng.next())]!;

    // Type
    let type: TicketType;
    if (leaf.def.cons) type = 'consultation';
    else if (channel === 'videoAi' || channel === 'iotSensor' || channel === 'digitalCityMgmt' || channel === 'gridPatrol' || channel === 'propertyButler')
      type = rng.chance(0.75) ? 'report' : 'help';
    else {
      const r = rng.next();
      type = r < 0.5 ? 'complaint' : r < 0.78 ? 'help' : r < 0.89 ? 'report' : r < 0.985 ? 'suggestion' : 'praise';
      if (type === 'praise' && channel !== 'hotline12345' && channel !== 'mayorMailbox') type = 'complaint';
    }
    let urgency: Urgency = 'normal';
    if (leaf.def.critical && rng.chance(leaf.def.critical)) urgency = 'critical';
    else if (leaf.def.urgent ? rng.chance(leaf.def.urgent) : rng.chance(0.01)) urgency = 'urgent';

    // Reporter
    let reporterName: string | null = null;
    let reporterPhone: string | null = null;
    let reporter: ActorRef;
    const officer = rng.pick(grid.officers);
    if (channel === 'gridPatrol') {
      reporter = officer;
      reporterName = officer.name;
    } else {
      reporter = org.platform(channel);
      if (channel === 'digitalCityMgmt') reporterName = `监督员${personName(rng)}`;
      else if (channel === 'propertyButler') {
        reporterName = `${personName(rng)}（物业）`;
        reporterPhone = mobile(rng);
      } else if (channel !== 'videoAi' && channel !== 'iotSensor') {
        const anonymous = rng.chance(channel === 'mayorMailbox' ? 0.25 : 0.05);
        if (!anonymous) {
          const r = rng.next();
          reporterName = r < 0.58 ? surname(rng) + (rng.chance(0.55) ? '女士' : '先生') : r < 0.92 ? personName(rng) : '市民';
          reporterPhone = mobile(rng);
        }
      }
    }

    const unitShort = org.unitShort.get(leaf.community ? grid.communityUnitId : leaf.defaultUnitId) ?? '相关部门';
    const text = ticketText(rng, leaf.def, channel, type, grid.place, unitShort);
    const { u0, u1, v0, v1 } = grid.rect;
    const [lonRaw, latRaw] = uvToLonLat(u0 + (u1 - u0) * rng.range(0.03, 0.97), v0 + (v1 - v0) * rng.range(0.03, 0.97));
    const lon = Math.round(lonRaw * 1e7) / 1e7;
    const lat = Math.round(latRaw * 1e7) / 1e7;

    const date = cstDate(createdAt);
    if (date !== this.curDate) {
      this.curDate = date;
      this.seqOfDay = 0;
    }
    const code = ticketCode(org.codePrefix, createdAt, ++this.seqOfDay);
    const ymd = date.replace(/-/g, '');
    let externalRef: string | null = null;
    switch (channel) {
      case 'hotline12345':
        externalRef = `ZZ12345-${ymd}-${String(rng.int(1, 99999)).padStart(5, '0')}`;
        break;
      case 'zhenghaopai':
        externalRef = `ZHP${ymd}${String(rng.int(1, 999999)).padStart(6, '0')}`;
        break;
      case 'digitalCityMgmt':
        externalRef = `SZCG${ymd}${String(rng.int(1, 9999)).padStart(4, '0')}`;
        break;
      case 'mayorMailbox':
        externalRef = `SZXX${ymd}${String(rng.int(1, 999)).padStart(3, '0')}`;
        break;
      case 'police110':
        externalRef = `110-${ymd}-${String(rng.int(1, 9999)).padStart(4, '0')}`;
        break;
      case 'petition':
        externalRef = `XF${ymd.slice(0, 4)}${String(rng.int(1, 99999)).padStart(5, '0')}`;
        break;
      default:
    }

    const id = this.id(createdAt);
    const mergeKey = leafIdx * 1000 + grid.communityIndex;
    const prev = this.recent.get(mergeKey);
    const mergeTarget = prev && createdAt - prev.at < 3 * DAY ? { id: prev.id, code: prev.code } : null;

    // The current backlog: some of the last two days' tickets wait for registration, dispatch or
    // a unit's signature, so the operator's inbox is not empty.
    let stall: 'register' | 'dispatch' | 'accept' | null = null;
    if (createdAt > this.now - 2 * DAY) {
      const r = rng.next();
      stall = r < 0.06 ? 'register' : r < 0.12 ? 'dispatch' : r < 0.18 ? 'accept' : null;
    }
    const sim = new TicketSim(org.world, rng, {
      stall,
      createdAt,
      channel,
      type,
      urgency,
      leaf,
      reporter,
      hasPhone: reporterPhone != null,
      communityUnitId: grid.communityUnitId,
      gridOfficer: officer,
      mergeTarget,
      resultText: () => resultText(rng, leaf.def),
    });
    const outcome = sim.run();
    if (outcome.status !== 'cancelled') this.recent.set(mergeKey, { id, code, at: createdAt });

    // The AI suggestion (once the local model went live) and whether the operator took it.
    let aiCategoryId: string | null = null;
    let aiConfidence: number | null = null;
    let aiModelVersion: string | null = null;
    let categorySource: string | null = outcome.categoryKnown ? 'manual' : null;
    if (createdAt > this.now - AI_LIVE_BEFORE_NOW && channel !== 'gridPatrol') {
      const right = rng.chance(0.88);
      aiCategoryId = right ? leaf.id : org.leaves[rng.int(0, org.leaves.length - 1)]!.id;
      aiConfidence = Math.round((right ? rng.range(0.62, 0.99) : rng.range(0.3, 0.7)) * 1000) / 1000;
      aiModelVersion = AI_MODEL_VERSION;
      if (outcome.categoryKnown && aiCategoryId === leaf.id) categorySource = 'ai';
    }
    const byOperator = channel === 'walkIn' || channel === 'petition';

    return {
      rowid: ++this.rowid,
      id,
      code,
      channel,
      externalRef,
      reporterName,
      reporterPhone,
      type,
      description: text.description,
      address: text.address,
      lon,
      lat,
      gridId: grid.cellAt?.(lon, lat) ?? grid.id,
      leaf,
      aiCategoryId,
      aiConfidence,
      aiModelVersion,
      categorySource,
      urgency,
      createdAt,
      outcome,
      version: outcome.events.length - (byOperator ? 1 : 0),
    };
  }

  /** Extension ids (referenced from event data) come from the same deterministic stream. */
  newId(ms: number): string {
    return this.id(ms);
  }
}
