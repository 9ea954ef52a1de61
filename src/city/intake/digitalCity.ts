// 数字城管: cases from the city's digital city management system (client certificate, OU =
// digitalCity; `npm run -s city -- add-intake-client digitalCity NAME`), coded by GB/T 30428.2
// event (事件) and component (部件) classes. Each case is mapped to a catalog leaf through the code
// mapping table the city published last as reference data (`caseCodeMap`, `npm run -s city --
// publish-case-codes`); a class the table does not map (or no table yet) is held at the city with
// the reason, shown in the console, and dispatched as soon as a table that maps it is published.
// Payload and replies: src/shared/intake/citizenReports.ts; README “数字城管”.

import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CityDatabase } from '../db';
import { CityError } from '../service';
import type { Route } from '../http';
import { serviceByCode } from '../open311/services';
import { DCM_CASES_PATH, dcmCase } from '../../shared/intake/citizenReports';
import { CASE_CLASS_KIND_LABELS, caseCodeMapPayload, mapCaseCode, type CaseClassKind, type CaseCodeMapPayload } from '../../shared/intake/caseCodes';
import type { IntakeCases } from './cases';
import { answer, readIntake } from './channelRequest';

/** The mapping table shipped with the project (publish it, or a city's own, with publish-case-codes). */
export const DEFAULT_CASE_CODES_FILE = path.join(__dirname, 'data', 'digital-city-case-codes.json');

/** The latest code mapping table the city published (null when none). */
export async function publishedCaseCodes(db: Kysely<CityDatabase>): Promise<CaseCodeMapPayload | null> {
  const r = await db.selectFrom('feed').select('payload').where('kind', '=', 'caseCodeMap').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!r) return null;
  const parsed = caseCodeMapPayload.safeParse(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload);
  return parsed.success ? parsed.data : null;
}

/** Catalog codes a table names that the city's catalog does not have (checked before publishing). */
export function unknownCaseCategories(payload: unknown): string[] {
  const parsed = caseCodeMapPayload.safeParse(payload);
  if (!parsed.success) return [];
  return [...new Set(parsed.data.entries.map((e) => e.category).filter((c) => !serviceByCode(c)))];
}

/** The head of the ticket text: channel, class and, for a component, its identification code. */
function caseLabel(kind: CaseClassKind, code: string, name: string, objectCode?: string): string {
  return `【数字城管·${CASE_CLASS_KIND_LABELS[kind]} ${code}${name ? ` ${name}` : ''}${objectCode ? ` 部件标识码 ${objectCode}` : ''}】`;
}

function mapThrough(map: CaseCodeMapPayload | null, kind: CaseClassKind, code: string): { category: string; name: string } | { held: 'unmapped' | 'noCodeMap' } {
  if (!map) return { held: 'noCodeMap' };
  const e = mapCaseCode(map, kind, code);
  return e && serviceByCode(e.category) ? { category: e.category, name: e.name } : { held: 'unmapped' };
}

export class DigitalCityIntake {
  constructor(
    private readonly intake: IntakeCases,
    private readonly db: Kysely<CityDatabase>,
  ) {}

  /** After a new table is published: held cases it now maps go out. */
  async retryHeld(): Promise<number> {
    const map = await publishedCaseCodes(this.db);
    return this.intake.deliverHeld(
      (r) => r.source === 'digitalCity' && (r.held_reason === 'unmapped' || r.held_reason === 'noCodeMap'),
      async (r, dispatch) => {
        const [kind, code] = (r.source_code ?? ':').split(':') as [CaseClassKind, string];
        const m = mapThrough(map, kind, code);
        if ('held' in m) return { held: m.held };
        // The label now names the class as the table does.
        const objectCode = /部件标识码 (\d{16})/.exec(dispatch.text)?.[1];
        return { category: m.category, text: `${caseLabel(kind, code, m.name, objectCode)}${dispatch.text.replace(/^【数字城管·[^】]*】/, '')}`.slice(0, 5000) };
      },
    );
  }

  routes(): Route[] {
    const intake = this.intake;
    return [
      {
        method: 'POST',
        path: DCM_CASES_PATH,
        who: 'digitalCity',
        handle: async (c) => {
          const caller = c.caller.cn ?? 'digitalCity';
          const r = await readIntake(c, intake, 'digitalCity', dcmCase);
          const again = await intake.replay('digitalCity', r.caseId);
          if (again) return answer(c, again);
          const photos = intake.storePhotos('digitalCity', r.caseId, caller, r.photos);
          const street = intake.locate('digitalCity', r.caseId, caller, r.point, r.address);
          const m = mapThrough(await publishedCaseCodes(this.db), r.classKind, r.code);
          const label = caseLabel(r.classKind, r.code, 'name' in m ? m.name : '', r.objectCode);
          const reply = await intake.submit({
            source: 'digitalCity',
            ref: r.caseId,
            caller,
            street,
            category: 'category' in m ? m.category : null,
            sourceCode: `${r.classKind}:${r.code}`,
            phone: null,
            held: 'held' in m ? m.held : undefined,
            dispatch: {
              text: `${label}${r.text}`.slice(0, 5000),
              address: r.address ?? `${street.name}（采集定位 ${r.point!.lon.toFixed(6)},${r.point!.lat.toFixed(6)}）`,
              ...(r.point ? { lon: r.point.lon, lat: r.point.lat } : {}),
              externalRef: r.caseId,
              type: 'report',
              channel: 'digitalCityMgmt',
              ...(photos.length ? { photos } : {}),
            },
          });
          return answer(c, reply);
        },
      },
      {
        method: 'GET',
        path: `${DCM_CASES_PATH}/:caseId`,
        who: 'digitalCity',
        handle: async (c) => {
          const s = await intake.status('digitalCity', c.params.caseId!);
          if (!s) throw new CityError(404, 'notFound', `no case ${c.params.caseId!.slice(0, 64)}`);
          return s;
        },
      },
    ];
  }
}

/** Reads a mapping table file (the shipped default when none is named). */
export function readCaseCodesFile(file = DEFAULT_CASE_CODES_FILE): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
