// Geography of the demo street 经八路街道 (410105001, 金水区, 郑州市), as constants: the product never
// reads the reference files at run time.
//
// The outline is the street polygon from the reference outlines (WGS-84), a slightly skewed
// quadrilateral. Communities and grids tile it through the bilinear map of the unit square onto
// the quadrilateral: straight lines u = const and v = const of the square map to straight lines,
// so rectangles of (u, v) become convex quadrilaterals that tile the street without gaps or
// overlaps. u runs west → east, v south → north.

export const STREET = {
  code: '410105001',
  name: '经八路街道',
  district: '金水区',
  city: '郑州市',
  /** Official figures (area of the administrative street, residents). */
  areaKm2: 3.44,
  population: 86_000,
  households: 32_600,
} as const;

/** Corners of the street outline: [lon, lat]. From feature 410105001 of zhengzhou-street-outlines. */
export const OUTLINE = {
  sw: [113.6641731, 34.7706641] as const,
  se: [113.6752853, 34.770338] as const,
  ne: [113.6756985, 34.7792253] as const,
  nw: [113.6645864, 34.7795514] as const,
};
/** The outline as a closed GeoJSON ring (counter-clockwise). */
export const OUTLINE_RING: Array<[number, number]> = [
  [OUTLINE.sw[0], OUTLINE.sw[1]],
  [OUTLINE.se[0], OUTLINE.se[1]],
  [OUTLINE.ne[0], OUTLINE.ne[1]],
  [OUTLINE.nw[0], OUTLINE.nw[1]],
  [OUTLINE.sw[0], OUTLINE.sw[1]],
];
/** Bounding rectangle of the outline. */
export const STREET_BBOX = { minLon: 113.6641731, minLat: 34.770338, maxLon: 113.6756985, maxLat: 34.7795514 };

/** (u, v) in the unit square → [lon, lat] inside the outline. */
export function uvToLonLat(u: number, v: number): [number, number] {
  const { sw, se, ne, nw } = OUTLINE;
  const a = (1 - u) * (1 - v);
  const b = u * (1 - v);
  const c = u * v;
  const d = (1 - u) * v;
  return [a * sw[0] + b * se[0] + c * ne[0] + d * nw[0], a * sw[1] + b * se[1] + c * ne[1] + d * nw[1]];
}

export interface UvRect {
  u0: number;
  u1: number;
  v0: number;
  v1: number;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** Closed ring (counter-clockwise) of a (u, v) rectangle mapped onto the street. */
export function rectRing(r: UvRect): Array<[number, number]> {
  const pts = [uvToLonLat(r.u0, r.v0), uvToLonLat(r.u1, r.v0), uvToLonLat(r.u1, r.v1), uvToLonLat(r.u0, r.v1)].map(
    ([x, y]) => [round7(x), round7(y)] as [number, number],
  );
  return [...pts, pts[0]!];
}

export function ringBBox(ring: ReadonlyArray<readonly [number, number]>) {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [x, y] of ring) {
    if (x < minLon) minLon = x;
    if (x > maxLon) maxLon = x;
    if (y < minLat) minLat = y;
    if (y > maxLat) maxLat = y;
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** Area of a lon/lat ring in m² (local equirectangular projection; fine at street scale). */
export function ringAreaM2(ring: ReadonlyArray<readonly [number, number]>): number {
  const lat0 = (ring.reduce((s, p) => s + p[1], 0) / ring.length) * (Math.PI / 180);
  const kx = 111_320 * Math.cos(lat0);
  const ky = 110_540;
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    a += x1 * kx * (y2 * ky) - x2 * kx * (y1 * ky);
  }
  return Math.abs(a) / 2;
}

export function polygonJson(ring: ReadonlyArray<readonly [number, number]>): string {
  return JSON.stringify({ type: 'Polygon', coordinates: [ring] });
}

// ---------------------------------------------------------------------------------------------
// Roads. Vertical roads (经X路, 花园路, 任砦北街) at a u position, horizontal ones (纬X路 …) at a v
// position; a grid's addresses use the roads nearest to it. House numbers grow along the road.

export interface Road {
  name: string;
  dir: 'ns' | 'ew';
  at: number;
}
export const ROADS: readonly Road[] = [
  { name: '花园路', dir: 'ns', at: 0 },
  { name: '经六路', dir: 'ns', at: 0.28 },
  { name: '经七路', dir: 'ns', at: 0.55 },
  { name: '经八路', dir: 'ns', at: 0.8 },
  { name: '任砦北街', dir: 'ns', at: 0.96 },
  { name: '农业路', dir: 'ew', at: 1 },
  { name: '黄河路', dir: 'ew', at: 0.83 },
  { name: '纬一路', dir: 'ew', at: 0.67 },
  { name: '纬二路', dir: 'ew', at: 0.52 },
  { name: '纬三路', dir: 'ew', at: 0.37 },
  { name: '纬四路', dir: 'ew', at: 0.23 },
  { name: '纬五路', dir: 'ew', at: 0.1 },
  { name: '金水路', dir: 'ew', at: 0 },
];

// ---------------------------------------------------------------------------------------------
// Communities (real names and codes of the street's 11 communities, NBS 2023) and their layout.

export interface CommunityDef {
  code: string;
  name: string;
  /** Residential compounds (小区/家属院) and landmarks used in addresses. */
  compounds: string[];
  landmarks: string[];
  /** Number of level-3 grids. */
  grids: number;
  rect: UvRect;
}

const ROW_V = [0, 0.34, 0.67, 1];
// north row, middle row, south row: column breaks in u
const ROWS: Array<{ v0: number; v1: number; cols: number[] }> = [
  { v0: ROW_V[2]!, v1: ROW_V[3]!, cols: [0, 0.24, 0.5, 0.76, 1] },
  { v0: ROW_V[1]!, v1: ROW_V[2]!, cols: [0, 0.27, 0.53, 0.78, 1] },
  { v0: ROW_V[0]!, v1: ROW_V[1]!, cols: [0, 0.38, 0.69, 1] },
];

const COMMUNITY_LIST: Array<Omit<CommunityDef, 'rect'> & { row: number; col: number }> = [
  { row: 0, col: 0, code: '410105001015', name: '文联社区', grids: 4, compounds: ['省文联家属院', '黄河路18号院', '花园路48号院', '文联小区'], landmarks: ['河南省文联', '黄河路花园路口'] },
  { row: 0, col: 1, code: '410105001017', name: '建文社区', grids: 5, compounds: ['建文新世界', '经六路30号院', '建文小区', '黄河路22号院'], landmarks: ['建文新世界北门', '经六路农贸市场'] },
  { row: 0, col: 2, code: '410105001014', name: '军区社区', grids: 5, compounds: ['省军区干休所', '经七路48号院', '黄河路26号院', '军区家属院'], landmarks: ['省军区北门', '经七路黄河路口'] },
  { row: 0, col: 3, code: '410105001019', name: '任砦社区', grids: 5, compounds: ['任砦北街安置小区', '任砦新苑', '任砦北街6号院', '经八路52号院'], landmarks: ['任砦农贸市场', '任砦北街夜市'] },
  { row: 1, col: 0, code: '410105001008', name: '省委社区', grids: 5, compounds: ['省委一号院', '花园路26号院', '纬二路6号院', '省委机关家属院'], landmarks: ['省委东门', '花园路纬二路口'] },
  { row: 1, col: 1, code: '410105001012', name: '省建社区', grids: 5, compounds: ['省建设厅家属院', '省建一公司家属院', '纬二路16号院', '经六路22号院'], landmarks: ['省建设厅', '纬二路经六路口'] },
  { row: 1, col: 2, code: '410105001006', name: '科技社区', grids: 5, compounds: ['省科技厅家属院', '纬一路12号院', '经七路26号院', '科技小区'], landmarks: ['省科技馆旧址', '经七路纬一路口'] },
  { row: 1, col: 3, code: '410105001009', name: '广电社区', grids: 4, compounds: ['省广电家属院', '经八路9号院', '纬一路东段小区', '广电小区'], landmarks: ['河南广播电视台老台', '经八路纬一路口'] },
  { row: 2, col: 0, code: '410105001003', name: '体育社区', grids: 5, compounds: ['省体育场家属院', '经六路2号院', '纬四路10号院', '省体育局家属院'], landmarks: ['河南省体育场', '省体育馆', '纬四路花园路口'] },
  { row: 2, col: 1, code: '410105001007', name: '教育社区', grids: 5, compounds: ['省教育厅家属院', '经七路34号院', '纬四路东段小区', '教育小区'], landmarks: ['经八路小学', '省教育厅', '经七路纬四路口'] },
  { row: 2, col: 2, code: '410105001010', name: '商务社区', grids: 5, compounds: ['省商务厅家属院', '纬五路21号院', '经八路2号院', '商务小区'], landmarks: ['河南省人民医院', '纬五路商业街', '经八路金水路口'] },
];

export const COMMUNITIES: readonly CommunityDef[] = COMMUNITY_LIST.map(({ row, col, ...c }) => {
  const r = ROWS[row]!;
  return { ...c, rect: { u0: r.cols[col]!, u1: r.cols[col + 1]!, v0: r.v0, v1: r.v1 } };
});

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function cnOrdinal(i: number): string {
  return CN_NUM[i] ?? String(i + 1);
}

/** Splits a community rectangle into its level-3 grid rectangles (north row first). */
export function gridRects(c: CommunityDef): UvRect[] {
  const { u0, u1, v0, v1 } = c.rect;
  const rows = c.grids <= 3 ? [c.grids] : [Math.ceil(c.grids / 2), Math.floor(c.grids / 2)];
  const out: UvRect[] = [];
  const vm = v0 + (v1 - v0) * 0.5;
  rows.forEach((n, ri) => {
    const rv0 = rows.length === 1 ? v0 : ri === 0 ? vm : v0;
    const rv1 = rows.length === 1 ? v1 : ri === 0 ? v1 : vm;
    for (let i = 0; i < n; i++) out.push({ u0: u0 + ((u1 - u0) * i) / n, u1: u0 + ((u1 - u0) * (i + 1)) / n, v0: rv0, v1: rv1 });
  });
  return out;
}

/** Special-purpose grids (专属网格): hospitals, venues, schools, business districts. */
export const SPECIAL_GRIDS: ReadonlyArray<{ code: string; name: string; kind: string; rect: UvRect }> = [
  { code: '410105001901', name: '省体育场片区', kind: 'venue', rect: { u0: 0.06, u1: 0.3, v0: 0.04, v1: 0.26 } },
  { code: '410105001902', name: '省人民医院片区', kind: 'hospital', rect: { u0: 0.74, u1: 0.94, v0: 0.03, v1: 0.17 } },
  { code: '410105001903', name: '经八路学校片区', kind: 'school', rect: { u0: 0.42, u1: 0.62, v0: 0.12, v1: 0.28 } },
  { code: '410105001904', name: '农业路商圈', kind: 'business', rect: { u0: 0.3, u1: 0.9, v0: 0.9, v1: 1 } },
];

/** Roads nearest to a rectangle: one north–south, two east–west. */
export function nearRoads(r: UvRect): { ns: string[]; ew: string[] } {
  const cu = (r.u0 + r.u1) / 2;
  const cv = (r.v0 + r.v1) / 2;
  const by = (dir: 'ns' | 'ew', c: number) =>
    ROADS.filter((x) => x.dir === dir)
      .map((x) => ({ x, d: Math.abs(x.at - c) }))
      .sort((a, b) => a.d - b.d)
      .map((e) => e.x.name);
  return { ns: by('ns', cu).slice(0, 2), ew: by('ew', cv).slice(0, 2) };
}

// ---------------------------------------------------------------------------------------------
// Micro-grids (微网格) of 50–70 households tiling a level-3 grid, and road lines for the basemap.

/**
 * Splits a level-3 grid rectangle into `n` micro-grid rectangles in rows (north row first, west to
 * east), as square as the rectangle allows. Row and column breaks are computed once, so neighbours
 * share their corners exactly.
 */
export function microRects(r: UvRect, n: number): UvRect[] {
  const du = r.u1 - r.u0;
  const dv = r.v1 - r.v0;
  const rows = Math.min(n, Math.max(1, Math.round(Math.sqrt((n * dv) / du))));
  const base = Math.floor(n / rows);
  const extra = n % rows;
  const out: UvRect[] = [];
  const vBreaks = Array.from({ length: rows + 1 }, (_, k) => (k === 0 ? r.v1 : k === rows ? r.v0 : r.v1 - (dv * k) / rows));
  for (let row = 0; row < rows; row++) {
    const cols = base + (row < extra ? 1 : 0);
    const uBreaks = Array.from({ length: cols + 1 }, (_, k) => (k === 0 ? r.u0 : k === cols ? r.u1 : r.u0 + (du * k) / cols));
    for (let c = 0; c < cols; c++) out.push({ u0: uBreaks[c]!, u1: uBreaks[c + 1]!, v0: vBreaks[row + 1]!, v1: vBreaks[row]! });
  }
  return out;
}

/** A road as a straight line across the street, running a little beyond the outline. */
export function roadLine(road: Road, overhang = 0.12): Array<[number, number]> {
  const a = road.dir === 'ns' ? uvToLonLat(road.at, -overhang) : uvToLonLat(-overhang, road.at);
  const b = road.dir === 'ns' ? uvToLonLat(road.at, 1 + overhang) : uvToLonLat(1 + overhang, road.at);
  return [a, b].map(([x, y]) => [round7(x), round7(y)] as [number, number]);
}
