// Grid import: GeoJSON (or a zipped Shapefile) → the store's grids, all or nothing.
//
// Format: a FeatureCollection, one Feature per grid, Polygon or MultiPolygon in WGS-84/CGCS2000,
// properties `code`, `name`, `level` (1, 2, 3, "micro", "special"), `parent` (a code, or null for
// the street), optional `households`, `population`; every other property is kept (grids.props).
//
// Grids are matched by code: a code already in the store updates that grid (its id, and so its
// tickets, stay), a new code adds one; grids the file does not mention are kept. Validation runs
// over the result — the file's grids together with the store's — so a file of micro-grids must fit
// its parents already in the store and must not overlap their existing siblings. Every problem is
// reported with the feature (its index in the file, or the code of a grid already in the store),
// a stable code, a Chinese reason for the user and an English detail for the log; if there is any,
// nothing is written. A file that looks GCJ-02-shifted is refused unless conversion is requested.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';
import { GRID_LEVELS, type GridLevel } from '../../../shared/domain/ticket';
import { PARENT_LEVELS, GRID_LEVEL_LABELS } from '../../../shared/domain/grid';
import {
  DEFAULT_TOLERANCE_M,
  bboxesIntersect,
  findOutside,
  findOverlap,
  geometryAreaM2,
  geometryBBox,
  labelPoint,
  polygonsOf,
  validateRing,
  type AreaGeometry,
  type BBox,
  type Position,
} from '../../../shared/geo/geometry';
import { gcj02ToWgs84 } from '../../../shared/geo/gcj02';
import { REFERENCE_OUTLINES, detectDatum, type DatumReference, type DatumVerdict } from '../../../shared/geo/datum';
import type { NodeContext } from '../core/context';

/** One problem found in an import file. */
export interface ImportIssue {
  /** Feature index in the file (0-based), a grid code (for grids already in the store), or null for the whole file. */
  feature?: number | string | null;
  /** Data row (1-based, the header is row 1) for spreadsheet imports. */
  row?: number;
  code: string;
  /** Chinese, for the user. */
  reason: string;
  /** English, for the log. */
  detail: string;
}

export interface GridImportOptions {
  /** Convert coordinates from GCJ-02 to WGS-84 before validating (the file was taken from a Chinese web map). */
  convertGcj02?: boolean;
  /** Validate only; write nothing. */
  dryRun?: boolean;
  /** Slivers thinner than this (metres) between parent/child or siblings are tolerated (default 0.5). */
  toleranceM?: number;
}

export interface GridImportResult {
  ok: boolean;
  errors: ImportIssue[];
  features: number;
  inserted: number;
  updated: number;
  unchanged: number;
  streetCreated: boolean;
  datum: DatumVerdict;
  converted: boolean;
}

export const IMPORT_LIMITS = { maxBytes: 512 * 1024 * 1024, maxFeatures: 200_000, maxErrors: 1000 };

// China's extent (the same bounds as the API's lon/lat validation).
const CHINA = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 };
const RESERVED = new Set(['code', 'name', 'level', 'parent', 'households', 'population']);
const LEVEL_ORDER: Record<GridLevel, number> = { '1': 0, '2': 1, '3': 2, special: 3, micro: 4 };
const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z_.-]{0,39}$/;

interface ParsedGrid {
  index: number;
  code: string;
  name: string;
  level: GridLevel;
  parent: string | null;
  households: number | null;
  population: number | null;
  props: Record<string, unknown>;
  geometry: AreaGeometry;
  /** Ring problems found: geometry relations are not checked for such a grid. */
  badGeometry: boolean;
}

class Issues {
  readonly list: ImportIssue[] = [];
  add(feature: number | string | null, code: string, reason: string, detail: string): void {
    if (this.list.length < IMPORT_LIMITS.maxErrors) this.list.push({ feature, code, reason, detail });
    else if (this.list.length === IMPORT_LIMITS.maxErrors)
      this.list.push({ feature: null, code: 'tooManyErrors', reason: `错误超过${IMPORT_LIMITS.maxErrors}条，其余未列出`, detail: `more than ${IMPORT_LIMITS.maxErrors} errors; the rest are not listed` });
  }
  get count(): number {
    return this.list.length;
  }
}

const fmt = (p: Position | null | undefined) => (p ? `[${p[0]}, ${p[1]}]` : '');
const featureName = (i: number, code?: string | null) => `第${i + 1}个要素${code ? `（${code}）` : ''}`;

// ---------------------------------------------------------------------------------------------
// Parsing

function parsePositions(x: unknown, depth: number): unknown {
  // depth 0: a position; 1: ring; 2: polygon; 3: multipolygon
  if (!Array.isArray(x)) throw new Error('not an array');
  if (depth === 0) {
    if (x.length < 2 || typeof x[0] !== 'number' || typeof x[1] !== 'number' || !Number.isFinite(x[0]) || !Number.isFinite(x[1]))
      throw new Error(`bad position ${JSON.stringify(x).slice(0, 60)}`);
    return [x[0], x[1]];
  }
  return x.map((e) => parsePositions(e, depth - 1));
}

function optionalCount(v: unknown): number | null | 'bad' {
  // NaN: an empty numeric field of a Shapefile's .dbf.
  if (v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v))) return null;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1e8 ? n : 'bad';
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function parseFeature(f: unknown, i: number, issues: Issues): ParsedGrid | null {
  if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
    issues.add(i, 'badFeature', `${featureName(i)}不是 GeoJSON Feature`, `feature ${i} is not a GeoJSON Feature`);
    return null;
  }
  const feat = f as { properties?: unknown; geometry?: unknown };
  const props = (feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties) ? feat.properties : {}) as Record<string, unknown>;
  const code = str(props.code);
  let ok = true;
  if (!code) {
    issues.add(i, 'missingCode', `${featureName(i)}缺少网格编码（code）`, `feature ${i} has no code`);
    ok = false;
  } else if (!CODE_RE.test(code)) {
    issues.add(i, 'badCode', `${featureName(i, code)}的网格编码只能包含字母、数字、点、横线和下划线（最长40位）`, `feature ${i}: bad code ${JSON.stringify(code)}`);
    ok = false;
  }
  const name = typeof props.name === 'string' ? props.name.trim() : '';
  if (!name || name.length > 100) {
    issues.add(i, 'missingName', `${featureName(i, code)}缺少网格名称（name），或名称超过100字`, `feature ${i}: missing or too long name`);
    ok = false;
  }
  const levelRaw = str(props.level);
  const level = (GRID_LEVELS as readonly string[]).includes(levelRaw ?? '') ? (levelRaw as GridLevel) : null;
  if (!level) {
    issues.add(i, 'badLevel', `${featureName(i, code)}的层级（level）须为 1、2、3、micro 或 special`, `feature ${i}: bad level ${JSON.stringify(props.level)}`);
    ok = false;
  }
  const parent = props.parent === undefined || props.parent === null || props.parent === '' ? null : str(props.parent);
  if (props.parent != null && props.parent !== '' && parent == null) {
    issues.add(i, 'badParent', `${featureName(i, code)}的上级网格（parent）须为网格编码或 null`, `feature ${i}: bad parent ${JSON.stringify(props.parent)}`);
    ok = false;
  }
  const households = optionalCount(props.households);
  const population = optionalCount(props.population);
  if (households === 'bad' || population === 'bad') {
    issues.add(i, 'badNumber', `${featureName(i, code)}的户数（households）和人口（population）须为非负整数`, `feature ${i}: households/population must be non-negative integers`);
    ok = false;
  }

  const g = feat.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  let geometry: AreaGeometry | null = null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    issues.add(i, 'badGeometry', `${featureName(i, code)}的几何类型须为 Polygon 或 MultiPolygon`, `feature ${i}: geometry type ${JSON.stringify(g?.type ?? null)} is not Polygon/MultiPolygon`);
    ok = false;
  } else {
    try {
      const coords = parsePositions(g.coordinates, g.type === 'Polygon' ? 2 : 3);
      geometry = { type: g.type, coordinates: coords } as AreaGeometry;
      if (!polygonsOf(geometry).length || polygonsOf(geometry).some((p) => p.length === 0)) throw new Error('empty polygon');
    } catch (err) {
      issues.add(i, 'badCoordinates', `${featureName(i, code)}的坐标格式不正确（须为[经度, 纬度]数组）`, `feature ${i}: malformed coordinates (${(err as Error).message})`);
      geometry = null;
      ok = false;
    }
  }
  if (geometry) {
    let outside: Position | null = null;
    for (const poly of polygonsOf(geometry))
      for (const ring of poly)
        for (const p of ring) if (!outside && (p[0]! < CHINA.minLon || p[0]! > CHINA.maxLon || p[1]! < CHINA.minLat || p[1]! > CHINA.maxLat)) outside = p;
    if (outside) {
      issues.add(i, 'outsideChina', `${featureName(i, code)}有坐标不在中国范围内：${fmt(outside)}（请确认是经纬度、且经度在前）`, `feature ${i}: coordinate ${fmt(outside)} is outside China (lon ${CHINA.minLon}–${CHINA.maxLon}, lat ${CHINA.minLat}–${CHINA.maxLat})`);
      ok = false;
    }
  }
  if (!ok || !geometry || !code || !level) return null;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!RESERVED.has(k)) extra[k] = v;
  return {
    index: i,
    code,
    name,
    level,
    parent,
    households: households as number | null,
    population: population as number | null,
    props: extra,
    geometry,
    badGeometry: false,
  };
}

const RING_REASON: Record<string, string> = {
  tooFewPoints: '边界环少于4个点（至少3个不同的角点并闭合）',
  unclosedRing: '边界环未闭合（首尾坐标须相同）',
  selfIntersection: '边界自相交',
  zeroArea: '面积为零',
};

function checkRings(g: ParsedGrid, issues: Issues, toleranceM: number): void {
  const polys = polygonsOf(g.geometry);
  polys.forEach((poly, pi) => {
    poly.forEach((ring, ri) => {
      const p = validateRing(ring);
      if (p) {
        const where = `${polys.length > 1 ? `第${pi + 1}部分` : ''}${ri === 0 ? '外环' : `第${ri}个内环（洞）`}`;
        issues.add(g.index, p.code, `${featureName(g.index, g.code)}的${where}${RING_REASON[p.code]}${p.at ? `，位置 ${fmt(p.at)}` : ''}`, `feature ${g.index} (${g.code}) polygon ${pi} ring ${ri}: ${p.code}${p.at ? ` at ${fmt(p.at)}` : ''}`);
        g.badGeometry = true;
      }
    });
  });
  if (g.badGeometry) return;
  polys.forEach((poly, pi) => {
    for (let h = 1; h < poly.length; h++) {
      const at = findOutside({ type: 'Polygon', coordinates: [poly[h]!] }, { type: 'Polygon', coordinates: [poly[0]!] }, toleranceM);
      if (at) {
        issues.add(g.index, 'holeOutside', `${featureName(g.index, g.code)}的第${h}个内环（洞）超出了外环，位置 ${fmt(at)}`, `feature ${g.index} (${g.code}) polygon ${pi}: hole ${h} is not inside the shell (at ${fmt(at)})`);
        g.badGeometry = true;
      }
    }
  });
  for (let a = 0; a < polys.length; a++)
    for (let b = a + 1; b < polys.length; b++) {
      const at = findOverlap({ type: 'Polygon', coordinates: polys[a]! }, { type: 'Polygon', coordinates: polys[b]! }, toleranceM);
      if (at) {
        issues.add(g.index, 'selfOverlap', `${featureName(g.index, g.code)}的第${a + 1}和第${b + 1}部分相互重叠，位置 ${fmt(at)}`, `feature ${g.index} (${g.code}): MultiPolygon parts ${a} and ${b} overlap at ${fmt(at)}`);
        g.badGeometry = true;
      }
    }
}

function convertGeometry(g: AreaGeometry): AreaGeometry {
  const conv = (ring: Position[]) =>
    ring.map((p) => {
      const [x, y] = gcj02ToWgs84(p[0]!, p[1]!);
      return [Math.round(x * 1e8) / 1e8, Math.round(y * 1e8) / 1e8];
    });
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(conv) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(conv)) };
}

// ---------------------------------------------------------------------------------------------
// Reading files

/** Reads a GeoJSON file or a zipped Shapefile into a GeoJSON object. */
export async function readGridFile(file: string): Promise<unknown> {
  const stat = fs.statSync(file);
  if (stat.size > IMPORT_LIMITS.maxBytes) throw new ImportFileError('tooLarge', `文件超过${IMPORT_LIMITS.maxBytes / 1024 / 1024}MB`, `${file} is ${stat.size} bytes`);
  const bytes = fs.readFileSync(file);
  return parseGridBytes(path.basename(file), bytes);
}

export class ImportFileError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export async function parseGridBytes(name: string, bytes: Uint8Array): Promise<unknown> {
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (isZip || /\.zip$/i.test(name)) return readShapefileZip(bytes);
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ImportFileError('invalidJson', '文件不是有效的 GeoJSON（JSON 语法错误）', `JSON parse error: ${(err as Error).message}`);
  }
}

/** Time and memory a Shapefile parse may take (a hostile file must not hang or exhaust the node). */
export const SHAPEFILE_LIMITS = { timeoutMs: 30_000, maxHeapMb: 1024 };

/**
 * A zipped Shapefile (.shp + .shx + .dbf, optionally .prj and .cpg) → GeoJSON, through shpjs, which
 * reprojects to WGS-84 when a .prj says otherwise. shpjs loops forever on some malformed archives,
 * so it runs in a worker thread with a time and memory limit, after a check that the bytes end
 * like a zip archive (its end-of-central-directory record).
 */
async function readShapefileZip(bytes: Uint8Array): Promise<unknown> {
  const bad = (detail: string) => new ImportFileError('badShapefile', '无法读取压缩包中的 Shapefile（须为 zip，包含 .shp、.shx、.dbf）', detail);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--)
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw bad('no zip end-of-central-directory record');
  let shpjsUrl: string;
  try {
    // The package's ES module entry (its CommonJS build is a browser bundle).
    const cjs = createRequire(__filename).resolve('shpjs');
    shpjsUrl = pathToFileURL(path.join(path.dirname(path.dirname(cjs)), 'lib', 'index.js')).href;
  } catch (err) {
    throw new ImportFileError('shapefileUnsupported', '无法读取 Shapefile（缺少 shpjs 组件）', `cannot resolve shpjs: ${(err as Error).message}`);
  }
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.shpjsUrl)
      .then((m) => m.default(workerData.bytes))
      .then((r) => parentPort.postMessage({ ok: true, r }), (e) => parentPort.postMessage({ ok: false, message: String((e && e.message) || e) }));`;
  const r = await new Promise<{ ok: boolean; r?: unknown; message?: string }>((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { shpjsUrl, bytes }, resourceLimits: { maxOldGenerationSizeMb: SHAPEFILE_LIMITS.maxHeapMb } });
    const timer = setTimeout(() => {
      void w.terminate();
      reject(bad(`shapefile parse did not finish within ${SHAPEFILE_LIMITS.timeoutMs} ms`));
    }, SHAPEFILE_LIMITS.timeoutMs);
    w.once('message', (m: { ok: boolean; r?: unknown; message?: string }) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(bad(`shapefile worker failed: ${e.message}`));
    });
  });
  if (!r.ok) throw bad(`shapefile: ${r.message}`);
  if (Array.isArray(r.r)) {
    if (r.r.length !== 1) throw new ImportFileError('multipleLayers', `压缩包中有${r.r.length}个图层，请只放一个网格图层`, `zip holds ${r.r.length} shapefile layers`);
    return r.r[0];
  }
  return r.r;
}

// ---------------------------------------------------------------------------------------------
// Validation and writing

interface MergedGrid {
  code: string;
  level: GridLevel;
  parent: string | null;
  geometry: AreaGeometry | null;
  bbox: BBox | null;
  /** From the file (index) or already in the store (null). */
  file: ParsedGrid | null;
  /** Geometry or parent changed (or new): its relations must be checked. */
  changed: boolean;
  badGeometry: boolean;
}

interface StoreGrid {
  id: string;
  code: string;
  name: string;
  level: string;
  parent_id: string | null;
  polygon: string | null;
  households: number | null;
  population: number | null;
  props: string | null;
}

function parseStoreGeometry(polygon: string | null): AreaGeometry | null {
  if (!polygon) return null;
  try {
    const g = JSON.parse(polygon) as AreaGeometry;
    return g.type === 'Polygon' || g.type === 'MultiPolygon' ? g : null;
  } catch {
    return null;
  }
}

const propsJson = (p: Record<string, unknown>) => (Object.keys(p).length ? JSON.stringify(p) : null);

export async function importGrids(ctx: NodeContext, input: unknown, opts: GridImportOptions = {}): Promise<GridImportResult> {
  const toleranceM = opts.toleranceM ?? DEFAULT_TOLERANCE_M;
  const issues = new Issues();
  const noDatum: DatumVerdict = { datum: 'unknown', method: 'none', compared: 0, votesGcj02: 0, votesWgs84: 0, medianOffsetM: null, detail: '' };
  const result = (extra: Partial<GridImportResult> = {}): GridImportResult => ({
    ok: issues.count === 0,
    errors: issues.list,
    features: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    streetCreated: false,
    datum: noDatum,
    converted: false,
    ...extra,
  });

  const fc = input as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    issues.add(null, 'notFeatureCollection', '文件须为 GeoJSON FeatureCollection（每个网格一个 Feature）', 'input is not a GeoJSON FeatureCollection');
    return result();
  }
  const features = fc.features as unknown[];
  if (!features.length) {
    issues.add(null, 'noFeatures', '文件中没有任何网格', 'the FeatureCollection has no features');
    return result();
  }
  if (features.length > IMPORT_LIMITS.maxFeatures) {
    issues.add(null, 'tooManyFeatures', `网格数量超过上限${IMPORT_LIMITS.maxFeatures}`, `${features.length} features > ${IMPORT_LIMITS.maxFeatures}`);
    return result({ features: features.length });
  }
  const parsed: ParsedGrid[] = [];
  features.forEach((f, i) => {
    const g = parseFeature(f, i, issues);
    if (g) parsed.push(g);
  });

  // Datum: GCJ-02 or WGS-84?
  const db = ctx.store.db;
  const storeRows: StoreGrid[] = await db.selectFrom('grids').select(['id', 'code', 'name', 'level', 'parent_id', 'polygon', 'households', 'population', 'props']).execute();
  const refs: DatumReference[] = [];
  for (const r of storeRows) {
    const geometry = parseStoreGeometry(r.polygon);
    if (geometry) refs.push({ code: r.code, geometry });
  }
  const storeCodes = new Set(refs.map((r) => r.code));
  for (const r of REFERENCE_OUTLINES) if (!storeCodes.has(r.code)) refs.push(r);
  const datum = detectDatum(parsed, refs);
  ctx.log.info('grid import datum check', { datum: datum.datum, method: datum.method, detail: datum.detail });
  let converted = false;
  if (opts.convertGcj02) {
    for (const g of parsed) g.geometry = convertGeometry(g.geometry);
    converted = true;
  } else if (datum.datum === 'gcj02') {
    issues.add(
      null,
      'gcj02Suspected',
      `文件坐标疑似 GCJ-02（火星坐标，高德等网络地图所用），与本街道的 WGS-84/CGCS2000 网格相差约${datum.medianOffsetM ? Math.round(datum.medianOffsetM) : 570}米。确认后请加 --convert-gcj02 转换再导入。`,
      `file looks GCJ-02-shifted (${datum.detail}); refusing without --convert-gcj02`,
    );
    return result({ features: features.length, datum });
  }

  for (const g of parsed) checkRings(g, issues, toleranceM);

  // Merge with the store.
  const byCodeStore = new Map(storeRows.map((r) => [r.code, r]));
  const codeOfId = new Map(storeRows.map((r) => [r.id, r.code]));
  const merged = new Map<string, MergedGrid>();
  for (const r of storeRows) {
    const geometry = parseStoreGeometry(r.polygon);
    merged.set(r.code, {
      code: r.code,
      level: r.level as GridLevel,
      parent: r.parent_id ? (codeOfId.get(r.parent_id) ?? null) : null,
      geometry,
      bbox: geometry ? geometryBBox(geometry) : null,
      file: null,
      changed: false,
      badGeometry: !geometry,
    });
  }
  const seen = new Map<string, number>();
  for (const g of parsed) {
    const first = seen.get(g.code);
    if (first !== undefined) {
      issues.add(g.index, 'duplicateCode', `${featureName(g.index, g.code)}的网格编码与${featureName(first)}重复`, `feature ${g.index}: code ${g.code} repeats feature ${first}`);
      continue;
    }
    seen.set(g.code, g.index);
    const prev = merged.get(g.code);
    const geomJson = JSON.stringify(g.geometry);
    const changed = !prev || prev.level !== g.level || prev.parent !== g.parent || byCodeStore.get(g.code)?.polygon !== geomJson;
    merged.set(g.code, { code: g.code, level: g.level, parent: g.parent, geometry: g.geometry, bbox: geometryBBox(g.geometry), file: g, changed, badGeometry: g.badGeometry });
  }

  const where = (m: MergedGrid): number | string => (m.file ? m.file.index : m.code);
  const label = (m: MergedGrid): string => (m.file ? featureName(m.file.index, m.code) : `库中已有网格（${m.code}）`);

  // One street per store.
  const street = await db.selectFrom('street').select(['code', 'name']).executeTakeFirst();
  const level1 = [...merged.values()].filter((m) => m.level === '1');
  if (level1.length > 1)
    for (const m of level1.filter((x) => x.file))
      issues.add(where(m), 'multipleStreets', `${label(m)}：一个街道库只能有一个一级网格（街道），已有 ${level1.filter((x) => x !== m).map((x) => x.code).join('、')}`, `more than one level-1 grid: ${level1.map((x) => x.code).join(', ')}`);
  if (street)
    for (const m of level1.filter((x) => x.file && x.code !== street.code))
      issues.add(where(m), 'foreignStreet', `${label(m)}不是本街道（${street.name} ${street.code}）的网格`, `level-1 grid ${m.code} does not match the store's street ${street.code}`);

  // Parents: present, of the right level; children inside their parents.
  const children = new Map<string, MergedGrid[]>();
  for (const m of merged.values()) {
    if (m.parent) {
      const arr = children.get(m.parent) ?? [];
      arr.push(m);
      children.set(m.parent, arr);
    }
  }
  for (const m of merged.values()) {
    const parentChanged = m.parent ? !!merged.get(m.parent)?.changed : false;
    if (!m.file && !parentChanged) continue;
    if (m.level === '1') {
      if (m.parent) issues.add(where(m), 'badParent', `${label(m)}是一级网格（街道），不能有上级网格`, `level-1 grid ${m.code} has parent ${m.parent}`);
      continue;
    }
    if (!m.parent) {
      issues.add(where(m), 'missingParent', `${label(m)}缺少上级网格（parent）`, `grid ${m.code} (level ${m.level}) has no parent`);
      continue;
    }
    if (m.parent === m.code) {
      issues.add(where(m), 'badParent', `${label(m)}的上级网格不能是它自己`, `grid ${m.code} is its own parent`);
      continue;
    }
    const p = merged.get(m.parent);
    if (!p) {
      issues.add(where(m), 'unknownParent', `${label(m)}的上级网格 ${m.parent} 不存在（文件和库中都没有）`, `grid ${m.code}: parent ${m.parent} is neither in the file nor in the store`);
      continue;
    }
    if (!PARENT_LEVELS[m.level].includes(p.level)) {
      issues.add(
        where(m),
        'badParentLevel',
        `${label(m)}是${GRID_LEVEL_LABELS[m.level]}，其上级须为${PARENT_LEVELS[m.level].map((l) => GRID_LEVEL_LABELS[l]).join('或')}，而 ${p.code} 是${GRID_LEVEL_LABELS[p.level]}`,
        `grid ${m.code} (level ${m.level}) cannot have parent ${p.code} (level ${p.level})`,
      );
      continue;
    }
    if (m.badGeometry || p.badGeometry || !m.geometry || !p.geometry) continue;
    if (!m.changed && !p.changed) continue;
    const at = findOutside(m.geometry, p.geometry, toleranceM);
    if (at)
      issues.add(where(m), 'childOutsideParent', `${label(m)}超出了上级网格 ${p.code} 的范围，位置 ${fmt(at)}`, `grid ${m.code} is not inside its parent ${p.code} (at ${fmt(at)}, tolerance ${toleranceM} m)`);
  }

  // Siblings (same parent, same level) must not overlap.
  for (const sibs of children.values()) {
    const byLevel = new Map<GridLevel, MergedGrid[]>();
    for (const s of sibs) {
      if (s.badGeometry || !s.geometry || !s.bbox) continue;
      const arr = byLevel.get(s.level) ?? [];
      arr.push(s);
      byLevel.set(s.level, arr);
    }
    for (const group of byLevel.values()) {
      if (!group.some((g) => g.changed)) continue;
      group.sort((a, b) => a.bbox![0] - b.bbox![0]);
      for (let i = 0; i < group.length; i++) {
        const a = group[i]!;
        for (let j = i + 1; j < group.length && group[j]!.bbox![0] <= a.bbox![2]; j++) {
          const b = group[j]!;
          if (!a.changed && !b.changed) continue;
          if (!bboxesIntersect(a.bbox!, b.bbox!)) continue;
          const at = findOverlap(a.geometry!, b.geometry!, toleranceM);
          if (!at) continue;
          // Report on the file's feature (the later one when both are in the file).
          const [x, y] = !a.file ? [b, a] : !b.file ? [a, b] : a.file.index > b.file.index ? [a, b] : [b, a];
          issues.add(where(x), 'siblingOverlap', `${label(x)}与同级网格 ${y.code} 相互重叠，位置 ${fmt(at)}`, `grid ${x.code} overlaps its sibling ${y.code} (at ${fmt(at)}, tolerance ${toleranceM} m)`);
        }
      }
    }
  }

  if (issues.count) {
    ctx.log.warn('grid import rejected', { errors: issues.count, first: issues.list[0]?.detail });
    return result({ features: features.length, datum, converted });
  }
  if (opts.dryRun) return result({ features: features.length, datum, converted, unchanged: parsed.length });

  // Write: one transaction, parents before children.
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  let streetCreated = false;
  const ordered = [...parsed].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.index - b.index);
  await db.transaction().execute(async (trx) => {
    const idOf = new Map(storeRows.map((r) => [r.code, r.id]));
    if (!street) {
      const s = ordered.find((g) => g.level === '1');
      if (s) {
        const [cx, cy] = labelPoint(s.geometry);
        await trx
          .insertInto('street')
          .values({
            id: uuidv7(),
            code: s.code,
            name: s.name,
            district: typeof s.props.district === 'string' ? s.props.district : '',
            city: typeof s.props.city === 'string' ? s.props.city : '',
            center_lon: Math.round(cx * 1e7) / 1e7,
            center_lat: Math.round(cy * 1e7) / 1e7,
            area_km2: Math.round(geometryAreaM2(s.geometry) / 1e4) / 100,
            population: s.population,
          })
          .execute();
        streetCreated = true;
      }
    }
    for (const g of ordered) {
      const bb = geometryBBox(g.geometry);
      const polygon = JSON.stringify(g.geometry);
      const parentId = g.parent ? idOf.get(g.parent)! : null;
      const props = propsJson(g.props);
      const prev = byCodeStore.get(g.code);
      const values = {
        name: g.name,
        level: g.level,
        parent_id: parentId,
        polygon,
        min_lon: bb[0],
        min_lat: bb[1],
        max_lon: bb[2],
        max_lat: bb[3],
        households: g.households,
        population: g.population,
        area_m2: Math.round(geometryAreaM2(g.geometry)),
        props,
      };
      if (prev) {
        if (
          prev.name === g.name &&
          prev.level === g.level &&
          prev.parent_id === parentId &&
          prev.polygon === polygon &&
          prev.households === g.households &&
          prev.population === g.population &&
          (prev.props ?? null) === props
        ) {
          unchanged++;
          continue;
        }
        await trx.updateTable('grids').set(values).where('id', '=', prev.id).execute();
        updated++;
      } else {
        const id = uuidv7();
        idOf.set(g.code, id);
        await trx.insertInto('grids').values({ id, code: g.code, ...values }).execute();
        inserted++;
      }
    }
  });
  ctx.log.info('grids imported', { features: parsed.length, inserted, updated, unchanged, streetCreated, converted, datum: datum.datum });
  return result({ features: features.length, inserted, updated, unchanged, streetCreated, datum, converted });
}
