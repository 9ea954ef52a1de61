// WGS-84 ↔ GCJ-02 ("Mars coordinates", what 高德/AMap, Tencent and most Chinese web maps publish).
//
// GCJ-02 is WGS-84 plus a smooth, deterministic offset (≈ 570 m at Zhengzhou) given by the public
// "eviltransform" formulas on the Krasovsky 1940 ellipsoid. The forward direction is closed-form;
// the inverse has no closed form and is found by fixed-point iteration, which converges to 1e-12°
// in three or four steps because the offset changes by less than 1e-4 per degree.
// CGCS2000 (天地图, official surveying) equals WGS-84 to map accuracy and needs no conversion.
// Positions are [lon, lat] as in GeoJSON.

const KRASOVSKY_A = 6_378_245.0;
const KRASOVSKY_EE = 0.00669342162296594323;

/** The region where the offset applies (the published algorithms' rectangle around China). */
export function gcjApplies(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** GCJ-02 minus WGS-84 at a WGS-84 point, in degrees: [dLon, dLat]. Zero outside China. */
export function gcjOffset(lon: number, lat: number): [number, number] {
  if (!gcjApplies(lon, lat)) return [0, 0];
  const x = lon - 105;
  const y = lat - 35;
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(x, y) * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (offsetLon(x, y) * 180) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  const [dx, dy] = gcjOffset(lon, lat);
  return [lon + dx, lat + dy];
}

/** Inverse by iteration: find w with wgs84ToGcj02(w) = g. Accurate to ~1e-12° (sub-millimetre). */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!gcjApplies(lon, lat)) return [lon, lat];
  let wx = lon;
  let wy = lat;
  for (let i = 0; i < 30; i++) {
    const [gx, gy] = wgs84ToGcj02(wx, wy);
    const ex = gx - lon;
    const ey = gy - lat;
    wx -= ex;
    wy -= ey;
    if (Math.abs(ex) < 1e-13 && Math.abs(ey) < 1e-13) break;
  }
  return [wx, wy];
}
