// WGS-84 ↔ GCJ-02 against published coordinate pairs, the iterative inverse, and the datum check.
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, gcjApplies, gcjOffset, wgs84ToGcj02 } from '../../src/shared/geo/gcj02';
import { REFERENCE_OUTLINES, detectDatum } from '../../src/shared/geo/datum';
import { distanceM, type AreaGeometry, type Position } from '../../src/shared/geo/geometry';

// The test vectors of the eviltransform project (googollee/eviltransform, go/transform_test.go):
// [wgsLat, wgsLng, gcjLat, gcjLng].
const PUBLISHED: Array<[string, number, number, number, number]> = [
  ['Shanghai', 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215],
  ['Shenzhen', 22.543847, 113.912316, 22.540796131694766, 113.9171764808363],
  ['Beijing', 39.911954, 116.377817, 39.91334545536069, 116.38404722455657],
];

describe('GCJ-02', () => {
  it.each(PUBLISHED)('WGS-84 → GCJ-02 matches the published pair (%s)', (_city, wLat, wLng, gLat, gLng) => {
    const [lon, lat] = wgs84ToGcj02(wLng, wLat);
    expect(Math.abs(lon - gLng)).toBeLessThan(1e-9);
    expect(Math.abs(lat - gLat)).toBeLessThan(1e-9);
  });
  it.each(PUBLISHED)('GCJ-02 → WGS-84 recovers the published WGS-84 point (%s) to < 1e-6°', (_city, wLat, wLng, gLat, gLng) => {
    const [lon, lat] = gcj02ToWgs84(gLng, gLat);
    expect(Math.abs(lon - wLng)).toBeLessThan(1e-6);
    expect(Math.abs(lat - wLat)).toBeLessThan(1e-6);
    expect(distanceM([lon, lat], [wLng, wLat])).toBeLessThan(0.05);
  });
  it('round trips across Zhengzhou to < 1e-9°', () => {
    for (let i = 0; i <= 20; i++)
      for (let j = 0; j <= 20; j++) {
        const lon = 112.9 + (1.4 * i) / 20;
        const lat = 34.2 + (0.79 * j) / 20;
        const [gx, gy] = wgs84ToGcj02(lon, lat);
        const [wx, wy] = gcj02ToWgs84(gx, gy);
        expect(Math.abs(wx - lon)).toBeLessThan(1e-9);
        expect(Math.abs(wy - lat)).toBeLessThan(1e-9);
      }
  });
  it('the offset at 经八路街道 is about 570 m, mostly eastward', () => {
    const [dx, dy] = gcjOffset(113.67, 34.775);
    const d = distanceM([113.67, 34.775], [113.67 + dx, 34.775 + dy]);
    expect(d).toBeGreaterThan(520);
    expect(d).toBeLessThan(620);
    expect(dx).toBeGreaterThan(0);
  });
  it('leaves points outside China unchanged', () => {
    expect(gcjApplies(2.35, 48.85)).toBe(false);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });
});

describe('datum check', () => {
  const outline = REFERENCE_OUTLINES[0]!.geometry;
  const shift = (g: AreaGeometry): AreaGeometry => ({
    type: 'Polygon',
    coordinates: (g.coordinates as Position[][]).map((r) => r.map((p) => wgs84ToGcj02(p[0]!, p[1]!))),
  });
  const quarter: AreaGeometry = { type: 'Polygon', coordinates: [[[113.665, 34.771], [113.67, 34.771], [113.67, 34.775], [113.665, 34.775], [113.665, 34.771]]] };

  it('by code: the street outline shifted by GCJ-02 is detected, as it is it is WGS-84', () => {
    expect(detectDatum([{ code: '410105001', geometry: shift(outline) }], REFERENCE_OUTLINES)).toMatchObject({ datum: 'gcj02', method: 'codes', votesGcj02: 1 });
    expect(detectDatum([{ code: '410105001', geometry: outline }], REFERENCE_OUTLINES)).toMatchObject({ datum: 'wgs84', method: 'codes' });
  });
  it('by outline, when no code matches', () => {
    expect(detectDatum([{ code: 'x1', geometry: shift(quarter) }], REFERENCE_OUTLINES)).toMatchObject({ datum: 'gcj02', method: 'outline' });
    expect(detectDatum([{ code: 'x1', geometry: quarter }], REFERENCE_OUTLINES)).toMatchObject({ datum: 'wgs84', method: 'outline' });
  });
  it('unknown without a reference nearby', () => {
    const far: AreaGeometry = { type: 'Polygon', coordinates: [[[116.3, 39.9], [116.31, 39.9], [116.31, 39.91], [116.3, 39.9]]] };
    expect(detectDatum([{ code: 'b1', geometry: far }], REFERENCE_OUTLINES)).toMatchObject({ datum: 'unknown', method: 'none' });
  });
});
