// The street map as one imperative object around OpenLayers, so React only passes data in and
// gets clicks out. View: EPSG:3857 (Web Mercator); every input is WGS-84 lon/lat and is projected
// here, once (see `merc`).
//
// Layers, bottom to top, each group on its own canvas (className) so decluttered labels of one
// group never paint over the next:
//   cy-tiles    an online tile service (天地图 WMTS), only when the deployment configures one
//   cy-base     the offline "paper" basemap: land, the mask outside the street, roads, outline
//   cy-grids    grid polygons of the chosen level, community outlines, labels, road names
//   cy-heat     ticket density (heat.ts, Canvas 2D), when shown
//   cy-tickets  ticket clusters coloured by status, overdue rings; the picked point

import OlMap from 'ol/Map';
import View from 'ol/View';
import Feature, { type FeatureLike } from 'ol/Feature';
import Point from 'ol/geom/Point';
import Polygon from 'ol/geom/Polygon';
import LineString from 'ol/geom/LineString';
import MultiPolygon from 'ol/geom/MultiPolygon';
import type Geometry from 'ol/geom/Geometry';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import TileLayer from 'ol/layer/Tile';
import WMTS from 'ol/source/WMTS';
import WMTSTileGrid from 'ol/tilegrid/WMTS';
import Cluster from 'ol/source/Cluster';
import ImageLayer from 'ol/layer/Image';
import ImageCanvasSource from 'ol/source/ImageCanvas';
import { Circle as CircleStyle, Fill, Icon, RegularShape, Stroke, Style, Text } from 'ol/style';
import { defaults as defaultControls, ScaleLine } from 'ol/control';
import { defaults as defaultInteractions } from 'ol/interaction';
import Translate from 'ol/interaction/Translate';
import { boundingExtent, buffer as bufferExtent, getHeight, getWidth, type Extent } from 'ol/extent';
import { get as getProjection, toLonLat } from 'ol/proj';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import type { State as RenderState } from 'ol/render';
import type { Basemap, GridFeature, GridFeatureCollection, TicketPoints } from '../../shared/api/grids';
import type { GridLevel, TicketStatus } from '../../shared/domain/ticket';
import { STATUS_LABELS, TICKET_STATUSES } from '../../shared/domain/ticket';
import { ALARM_KIND_LABELS } from '../../shared/intake/alarms';
import { renderHeat } from './heat';
import { ALARM_ORANGE, COMMUNITY_TINTS, FONT, OVERDUE_RED, PAPER, statusColors, withAlpha } from './colors';

/** The levels the switcher offers. */
export type MapLevel = '2' | '3' | 'micro' | 'special';
export const LEVEL_NAMES: Record<GridLevel, string> = { '1': '街道', '2': '社区', '3': '网格', micro: '微网格', special: '专属网格' };

/** How tickets are shown. */
export type TicketDisplay = 'points' | 'heat' | 'none';

export interface HoverInfo {
  title: string;
  lines: string[];
}

/** A grid's colour and texts when the grids show a figure (统计分析's choropleth). */
export interface ChoroplethCell {
  color: string;
  /** The value as shown in the label, e.g. 96.4% or 123. */
  text: string;
  /** Tooltip lines. */
  lines: string[];
}

export interface OpsMapEvents {
  onGridClick(id: string | null): void;
  onTicketClick(id: string): void;
  /** A cluster that cannot be split by zooming further (tickets at the same spot). */
  onTicketGroup(ids: string[]): void;
  onPick(lon: number, lat: number): void;
  onRenderComplete(): void;
}

// ---------------------------------------------------------------------------------------------
// Projection: WGS-84 → Web Mercator, inline (tens of thousands of points per load).

const R = 6378137;
const HALF = Math.PI * R;
export function merc(lon: number, lat: number): [number, number] {
  const y = R * Math.log(Math.tan(Math.PI / 4 + (Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 360));
  return [(lon * HALF) / 180, y];
}

function projectRing(ring: number[][]): number[][] {
  return ring.map((p) => merc(p[0]!, p[1]!));
}

function projectArea(g: GridFeature['geometry']): Polygon | MultiPolygon {
  if (g.type === 'Polygon') return new Polygon(g.coordinates.map(projectRing));
  return new MultiPolygon(g.coordinates.map((poly) => poly.map(projectRing)));
}

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a / 2;
}

/** Orients a ring counter-clockwise (ccw = true) or clockwise. */
function orient(ring: number[][], ccw: boolean): number[][] {
  return signedArea(ring) > 0 === ccw ? ring : [...ring].reverse();
}

// ---------------------------------------------------------------------------------------------
// Grid feature bookkeeping

interface GridMeta {
  level: GridLevel;
  name: string;
  short: string;
  open: number;
  tint: number;
  /** Width of the feature's extent in map units, for deciding whether its label fits. */
  width: number;
}
const META = 'cy';
const meta = (f: FeatureLike) => f.get(META) as GridMeta;

function shortName(name: string, parentName: string | undefined, level: GridLevel): string {
  let s = parentName && name.startsWith(parentName) && name.length > parentName.length ? name.slice(parentName.length) : name;
  if (level === 'micro') s = s.replace(/微网格$/, '') || s;
  return s;
}

// ---------------------------------------------------------------------------------------------

export class OpsMap {
  readonly map: OlMap;
  private readonly view: View;
  private readonly events: OpsMapEvents;
  private readonly tooltip: HTMLDivElement;

  private readonly tileLayers: TileLayer[] = [];
  private readonly baseSource = new VectorSource();
  private readonly roadSource = new VectorSource();
  private readonly baseLayer: VectorLayer;
  private readonly roadLabelLayer: VectorLayer;
  private readonly communityLabelSource = new VectorSource();
  private readonly gridSources = new Map<MapLevel, VectorSource>();
  private readonly gridLayer: VectorLayer;
  private readonly communityLayer: VectorLayer;
  private readonly communityLabelLayer: VectorLayer;
  private readonly pointSource = new VectorSource<Feature<Point>>();
  private readonly clusterSource: Cluster<Feature<Point>>;
  private readonly clusterLayer: VectorLayer;
  private readonly heatSource: ImageCanvasSource;
  private readonly heatLayer: ImageLayer<ImageCanvasSource>;
  /** Projected ticket points, interleaved x, y, for the heat map. */
  private heatXY = new Float64Array(0);
  private heatCount = 0;
  private readonly pickSource = new VectorSource();
  private readonly pickLayer: VectorLayer;

  private level: MapLevel = '3';
  private display: TicketDisplay = 'points';
  private picking = false;
  private markerDrag: Translate | null = null;
  /** Room around the street when it is fitted (top, right, bottom, left; the map page's toolbar is on top). */
  private streetPadding = [58, 40, 30, 40];
  private hoverGrid: string | number | undefined;
  private selectedGrid: string | null = null;
  private streetExtent: Extent | null = null;
  private statusOf: readonly TicketStatus[] = TICKET_STATUSES;
  /** Drawn tickets raised by alarms (设备报警): their kind, device and count. */
  private alarmOf: TicketPoints['alarms'] = {};
  private onlineTiles = false;
  private gridsById = new Map<string, Feature>();
  private disposed = false;
  /** Set: grids are filled by a figure's value (grids without a cell are drawn as "no data"). */
  private choropleth: Map<string, ChoroplethCell> | null = null;

  constructor(target: HTMLElement, events: OpsMapEvents) {
    this.events = events;
    this.view = new View({ center: merc(113.67, 34.775), zoom: 16, minZoom: 12, maxZoom: 20, constrainResolution: false });

    this.baseLayer = new VectorLayer({ source: this.baseSource, className: 'cy-base', style: (f, r) => this.baseStyle(f, r), updateWhileInteracting: true });
    const roadLayer = new VectorLayer({ source: this.roadSource, className: 'cy-base', style: (f, r) => this.roadStyle(f, r), updateWhileInteracting: true });
    this.communityLayer = new VectorLayer({ className: 'cy-grids', style: (f, r) => this.communityStyle(f, r), updateWhileInteracting: true });
    this.gridLayer = new VectorLayer({ className: 'cy-grids', style: (f, r) => this.gridStyle(f, r), updateWhileInteracting: true });
    this.communityLabelLayer = new VectorLayer({ source: this.communityLabelSource, className: 'cy-grids', style: (f) => this.communityLabelStyle(f), declutter: 'labels' });
    this.roadLabelLayer = new VectorLayer({ source: this.roadSource, className: 'cy-grids', style: (f, r) => this.roadLabelStyle(f, r), declutter: 'labels' });

    this.clusterSource = new Cluster({ source: this.pointSource, distance: 56, minDistance: 22 });
    this.clusterLayer = new VectorLayer({ source: this.clusterSource, className: 'cy-tickets', style: (f, r) => this.clusterStyle(f, r) });
    this.pickLayer = new VectorLayer({ source: this.pickSource, className: 'cy-tickets', style: pickStyle, zIndex: 10 });
    this.heatSource = new ImageCanvasSource({
      canvasFunction: (extent, resolution, pixelRatio, size) => renderHeat(this.heatXY, this.heatCount, extent, resolution, pixelRatio, size),
      ratio: 1.5,
    });
    this.heatLayer = new ImageLayer({ source: this.heatSource, className: 'cy-heat', opacity: 0.9, visible: false });

    this.map = new OlMap({
      target,
      view: this.view,
      layers: [this.baseLayer, roadLayer, this.communityLayer, this.gridLayer, this.roadLabelLayer, this.communityLabelLayer, this.heatLayer, this.clusterLayer, this.pickLayer],
      controls: defaultControls({ rotate: false, attributionOptions: { collapsible: false } }).extend([new ScaleLine({ units: 'metric', minWidth: 80 })]),
      interactions: defaultInteractions({ altShiftDragRotate: false, pinchRotate: false }),
      pixelRatio: Math.max(1, window.devicePixelRatio || 1),
    });

    this.tooltip = document.createElement('div');
    this.tooltip.className = 'map-tooltip';
    this.tooltip.hidden = true;
    target.appendChild(this.tooltip);

    this.map.on('singleclick', (e) => this.onClick(e));
    this.map.on('pointermove', (e) => this.onMove(e));
    this.map.on('rendercomplete', () => !this.disposed && this.events.onRenderComplete());
    // The view in EPSG:3857 and the map's size on the host element: where a pixel lies, for
    // tests and diagnostics (every map of the app writes them the same way).
    this.map.on('moveend', () => {
      const v = this.disposed ? null : this.viewState();
      if (!v) return;
      target.dataset.extent = v.extent.map((n) => n.toFixed(3)).join(',');
      target.dataset.size = v.size.join(',');
    });
    target.addEventListener('mouseleave', () => this.setHover(undefined, null));
  }

  dispose(): void {
    this.disposed = true;
    this.map.setTarget(undefined);
    this.map.dispose();
    this.tooltip.remove();
  }

  // -------------------------------------------------------------------------------------------
  // Data in

  setBasemap(b: Basemap): void {
    this.baseSource.clear(true);
    this.roadSource.clear(true);
    this.communityLabelSource.clear(true);
    if (b.bbox) {
      const [x0, y0] = merc(b.bbox[0], b.bbox[1]);
      const [x1, y1] = merc(b.bbox[2], b.bbox[3]);
      this.streetExtent = [x0, y0, x1, y1];
    }
    if (b.tileService && !this.onlineTiles) this.addTileService(b.tileService);

    if (b.outline) {
      const outline = projectArea(b.outline);
      const shells = outline instanceof Polygon ? [outline.getCoordinates()[0]!] : outline.getCoordinates().map((p) => p[0]!);
      // Outside the street: a sheet with the street cut out, so the street reads as the page.
      const ext = bufferExtent(outline.getExtent(), Math.max(getWidth(outline.getExtent()), getHeight(outline.getExtent())) * 30);
      const [ex0, ey0, ex1, ey1] = ext as [number, number, number, number];
      const world = orient([[ex0, ey0], [ex1, ey0], [ex1, ey1], [ex0, ey1], [ex0, ey0]], true);
      const mask = new Feature(new Polygon([world, ...shells.map((s) => orient(s, false))]));
      mask.set('kind', 'mask');
      const land = new Feature(outline);
      land.set('kind', 'land');
      const line = new Feature(outline.clone());
      line.set('kind', 'outline');
      this.baseSource.addFeatures([mask, land, line]);
    }
    const roads: Feature[] = [];
    for (const r of b.roads.features) {
      if (r.geometry.type !== 'LineString' || r.geometry.coordinates.length < 2) continue;
      const f = new Feature(new LineString(r.geometry.coordinates.map((p) => merc(p[0]!, p[1]!))));
      f.set('name', r.properties.name ?? '');
      roads.push(f);
    }
    this.roadSource.addFeatures(roads);
    const labels: Feature[] = [];
    for (const l of b.labels) {
      if (l.kind !== 'community') continue;
      const f = new Feature(new Point(merc(l.lon, l.lat)));
      f.set('name', l.name);
      labels.push(f);
    }
    this.communityLabelSource.addFeatures(labels);
    this.fitStreet(false);
  }

  private addTileService(ts: NonNullable<Basemap['tileService']>): void {
    // 天地图 WMTS in Web Mercator (matrix set "w"): the map layer plus its annotation layer.
    const proj = getProjection('EPSG:3857')!;
    const size = getWidth(proj.getExtent()) / 256;
    const resolutions: number[] = [];
    const matrixIds: string[] = [];
    for (let z = 0; z <= 18; z++) {
      resolutions.push(size / 2 ** z);
      matrixIds.push(String(z));
    }
    const tileGrid = new WMTSTileGrid({ origin: [-HALF, HALF], resolutions, matrixIds });
    const layer = ts.layer ?? 'vec';
    const annotation = { vec: 'cva', img: 'cia', ter: 'cta' }[layer];
    const withKey = (url: string) => `${url}${url.includes('?') ? '&' : '?'}tk=${encodeURIComponent(ts.key)}`;
    const source = (name: string, url: string) =>
      new WMTS({ url: withKey(url), layer: name, matrixSet: 'w', format: 'tiles', style: 'default', tileGrid, wrapX: true, attributions: '© 天地图' });
    const base = new TileLayer({ source: source(layer, ts.url), className: 'cy-tiles', zIndex: -2 });
    const annoUrl = ts.url.replace(new RegExp(`${layer}_w`), `${annotation}_w`);
    this.tileLayers.push(base);
    if (annoUrl !== ts.url) this.tileLayers.push(new TileLayer({ source: source(annotation, annoUrl), className: 'cy-tiles', zIndex: -1 }));
    for (const l of this.tileLayers) this.map.addLayer(l);
    this.onlineTiles = true;
  }

  setGrids(fc: GridFeatureCollection): void {
    const byId = new Map(fc.features.map((f) => [f.properties.id, f] as const));
    const communityOf = (f: GridFeature): string | null => {
      let g: GridFeature | undefined = f;
      for (let i = 0; g && i < 6; i++) {
        if (g.properties.level === '2') return g.properties.id;
        g = g.properties.parentId ? byId.get(g.properties.parentId) : undefined;
      }
      return null;
    };
    const communities = fc.features.filter((f) => f.properties.level === '2').map((f) => f.properties.id);
    const tintOf = new Map(communities.map((id, i) => [id, i % COMMUNITY_TINTS.length] as const));

    const buckets = new Map<MapLevel, Feature[]>([
      ['2', []],
      ['3', []],
      ['micro', []],
      ['special', []],
    ]);
    this.gridsById.clear();
    for (const g of fc.features) {
      const lvl = g.properties.level;
      if (lvl === '1') continue;
      const geom = projectArea(g.geometry);
      const f = new Feature<Geometry>(geom);
      f.setId(g.properties.id);
      const parent = g.properties.parentId ? byId.get(g.properties.parentId) : undefined;
      const community = communityOf(g);
      f.set(META, {
        level: lvl,
        name: g.properties.name,
        short: lvl === 'special' ? g.properties.name : shortName(g.properties.name, parent?.properties.name, lvl),
        open: g.properties.openTickets ?? 0,
        tint: community ? tintOf.get(community) ?? 0 : 0,
        width: getWidth(geom.getExtent()),
      } satisfies GridMeta);
      buckets.get(lvl as MapLevel)?.push(f);
      this.gridsById.set(g.properties.id, f);
    }
    for (const [lvl, feats] of buckets) {
      let src = this.gridSources.get(lvl);
      if (!src) {
        src = new VectorSource();
        this.gridSources.set(lvl, src);
      }
      src.clear(true);
      src.addFeatures(feats);
    }
    this.communityLayer.setSource(this.gridSources.get('2') ?? null);
    this.applyLevel();
  }

  setPoints(tp: TicketPoints): void {
    this.statusOf = tp.statuses;
    this.alarmOf = tp.alarms ?? {};
    const pts = tp.points;
    const feats: Feature<Point>[] = new Array(pts.length);
    const xy = new Float64Array(pts.length * 2);
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i]!;
      const c = merc(p[1], p[2]);
      xy[2 * i] = c[0];
      xy[2 * i + 1] = c[1];
      const f = new Feature<Point>(new Point(c));
      f.setId(p[0]);
      f.set('s', p[3], true);
      f.set('o', p[4], true);
      if (this.alarmOf[p[0]]) f.set('a', 1, true);
      feats[i] = f;
    }
    this.pointSource.clear(true);
    this.pointSource.addFeatures(feats);
    this.heatXY = xy;
    this.heatCount = pts.length;
    this.heatSource.changed();
  }

  // -------------------------------------------------------------------------------------------
  // Options

  setLevel(level: MapLevel): void {
    if (level === this.level) return;
    this.level = level;
    this.applyLevel();
  }

  private applyLevel(): void {
    this.gridLayer.setSource(this.gridSources.get(this.level) ?? null);
    this.communityLayer.setVisible(this.level !== '2');
    this.communityLabelLayer.setVisible(this.level !== '2');
    this.setHover(undefined, null);
  }

  setDisplay(d: TicketDisplay): void {
    this.display = d;
    this.clusterLayer.setVisible(d === 'points');
    this.heatLayer.setVisible(d === 'heat');
  }

  setPicking(on: boolean): void {
    this.picking = on;
    this.map.getTargetElement()?.classList.toggle('is-picking', on);
    if (!on) this.pickSource.clear();
    this.setHover(undefined, null);
  }

  setPickMarker(lonLat: [number, number] | null): void {
    this.pickSource.clear();
    if (lonLat) this.pickSource.addFeature(new Feature(new Point(merc(lonLat[0], lonLat[1]))));
  }

  /** The room around the street when it is fitted (a small map has no toolbar over it). */
  setStreetPadding(padding: [number, number, number, number]): void {
    this.streetPadding = padding;
  }

  /** Lets the pick marker be dragged; where it is dropped is a pick (onPick), like a click there. */
  enableMarkerDrag(): void {
    if (this.markerDrag) return;
    this.markerDrag = new Translate({ layers: [this.pickLayer], hitTolerance: 6 });
    this.markerDrag.on('translateend', (e) => {
      // The marker's point (it moved by the pointer's travel), not the pointer's own position.
      const g = e.features.item(0)?.getGeometry();
      if (!(g instanceof Point)) return;
      const [lon, lat] = toLonLat(g.getCoordinates());
      this.events.onPick(lon!, lat!);
    });
    this.map.addInteraction(this.markerDrag);
  }

  /** Centres the view on a WGS-84 point when it is outside the view (or near its edge); true when it moves. */
  showPoint(lon: number, lat: number): boolean {
    const size = this.map.getSize();
    if (!size) return false;
    const c = merc(lon, lat);
    const ext = bufferExtent(this.view.calculateExtent(size), -(this.view.getResolution() ?? 1) * 24);
    if (c[0] >= ext[0]! && c[0] <= ext[2]! && c[1] >= ext[1]! && c[1] <= ext[3]!) return false;
    this.view.animate({ center: c, duration: 250 });
    return true;
  }

  /** Fills the grids by a figure (null: back to the community tints). */
  setChoropleth(cells: Map<string, ChoroplethCell> | null): void {
    this.choropleth = cells;
    this.gridLayer.changed();
    this.roadLabelLayer.changed();
  }

  /** The pixel of a point inside a grid (for tests and keyboard help), or null when not drawn. */
  gridPixel(id: string): [number, number] | null {
    const g = this.gridsById.get(id)?.getGeometry();
    if (!g) return null;
    const p = g instanceof Polygon ? g.getInteriorPoint() : g instanceof MultiPolygon ? g.getInteriorPoints().getPoint(0) : null;
    const px = p ? this.map.getPixelFromCoordinate(p.getCoordinates().slice(0, 2)) : null;
    return px ? [px[0]!, px[1]!] : null;
  }

  setSelectedGrid(id: string | null): void {
    if (id === this.selectedGrid) return;
    this.selectedGrid = id;
    this.gridLayer.changed();
    this.communityLayer.changed();
  }

  /** Zooms to a grid (any level). */
  fitGrid(id: string): void {
    const f = this.gridsById.get(id);
    const g = f?.getGeometry();
    if (!g) return;
    this.view.fit(g.getExtent(), { padding: [60, 420, 60, 60], maxZoom: 18.5, duration: 350 });
  }

  /** Zooms to a set of WGS-84 points (a recurring problem's tickets), never closer than a block. */
  fitPoints(points: ReadonlyArray<readonly [number, number]>): void {
    if (!points.length) return this.fitStreet(false);
    const ext = bufferExtent(boundingExtent(points.map(([lon, lat]) => merc(lon, lat))), 60);
    this.view.fit(ext, { padding: [30, 30, 30, 30], maxZoom: 18, duration: 0 });
  }

  fitStreet(animate = true): void {
    if (!this.streetExtent) return;
    this.view.fit(this.streetExtent, { padding: this.streetPadding, duration: animate ? 300 : 0 });
    if (!animate) {
      const z = this.view.getZoom() ?? 16;
      this.view.setMinZoom(Math.max(10, z - 2.5));
      this.view.setMaxZoom(20);
    }
  }

  /** The view's extent in EPSG:3857 and the map size, for tests and diagnostics. */
  private viewState(): { extent: Extent; size: [number, number] } | null {
    const size = this.map.getSize();
    if (!size) return null;
    return { extent: this.view.calculateExtent(size), size: [size[0]!, size[1]!] };
  }

  gridFeatureCount(): number {
    return this.gridSources.get(this.level)?.getFeatures().length ?? 0;
  }

  updateSize(): void {
    this.map.updateSize();
  }

  // -------------------------------------------------------------------------------------------
  // Interaction

  private onClick(e: MapBrowserEvent<PointerEvent | KeyboardEvent | WheelEvent>): void {
    if (this.picking) {
      const [lon, lat] = toLonLat(e.coordinate);
      this.setPickMarker([lon!, lat!]);
      this.events.onPick(lon!, lat!);
      return;
    }
    if (this.display === 'points') {
      const hit = this.map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === this.clusterLayer, hitTolerance: 3 });
      if (hit) {
        const members = (hit.get('features') as Feature<Point>[] | undefined) ?? [];
        if (members.length === 1) {
          this.events.onTicketClick(String(members[0]!.getId()));
          return;
        }
        const ext = boundingExtent(members.map((m) => m.getGeometry()!.getCoordinates()));
        const res = this.view.getResolution() ?? 1;
        const tiny = Math.max(getWidth(ext), getHeight(ext)) < res * 4;
        if (tiny || (this.view.getZoom() ?? 0) >= (this.view.getMaxZoom() ?? 20) - 0.2) {
          this.events.onTicketGroup(members.map((m) => String(m.getId())));
        } else {
          this.view.fit(bufferExtent(ext, res * 8), { duration: 350, padding: [60, 60, 60, 60], maxZoom: 19.5 });
        }
        return;
      }
    }
    const grid = this.map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === this.gridLayer });
    this.events.onGridClick(grid ? String(grid.getId()) : null);
  }

  private onMove(e: MapBrowserEvent<PointerEvent | KeyboardEvent | WheelEvent>): void {
    if (e.dragging) return;
    if (this.picking) {
      this.setHover(undefined, null);
      return;
    }
    let info: HoverInfo | null = null;
    let gridId: string | number | undefined;
    let pointer = false;
    if (this.display === 'points') {
      const hit = this.map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === this.clusterLayer, hitTolerance: 3 });
      if (hit) {
        pointer = true;
        const agg = clusterAgg(hit, this.statusOf);
        const labels = STATUS_LABELS;
        if (agg.n === 1) {
          const one = (hit.get('features') as Feature[])[0]!;
          const s = this.statusOf[one.get('s') as number];
          const alarm = this.alarmOf[String(one.getId())];
          info = alarm
            ? { title: `设备报警 · ${ALARM_KIND_LABELS[alarm.kind] ?? alarm.kind}`, lines: [`设备 ${alarm.device} · 累计报警 ${alarm.count} 次`, `${s ? `${labels[s]} · ` : ''}${agg.overdue ? '已超期 · ' : ''}点击查看摘要`] }
            : { title: s ? `${labels[s]}工单` : '工单', lines: [agg.overdue ? '已超期 · 点击查看摘要' : '点击查看摘要'] };
        } else {
          const top = agg.order.slice(0, 3).map((s) => `${labels[s]} ${agg.counts[s]}`);
          info = { title: `${agg.n.toLocaleString('zh-CN')} 件工单`, lines: [top.join(' · ') + (agg.order.length > 3 ? ' …' : ''), ...(agg.overdue ? [`其中超期 ${agg.overdue} 件`] : []), ...(agg.alarms ? [`其中设备报警 ${agg.alarms} 件`] : []), '点击放大'] };
        }
      }
    }
    if (!info) {
      const grid = this.map.forEachFeatureAtPixel(e.pixel, (f) => f, { layerFilter: (l) => l === this.gridLayer });
      if (grid) {
        pointer = true;
        gridId = grid.getId();
        const m = meta(grid);
        const cell = this.choropleth?.get(String(gridId));
        info = this.choropleth
          ? { title: m.name, lines: cell ? cell.lines : ['本期没有相关工单'] }
          : { title: m.name, lines: [`${LEVEL_NAMES[m.level]} · 未办结工单 ${m.open} 件`] };
      }
    }
    this.map.getTargetElement()?.classList.toggle('is-pointer', pointer);
    this.setHover(gridId, info, e.pixel);
  }

  private setHover(gridId: string | number | undefined, info: HoverInfo | null, pixel?: number[]): void {
    if (gridId !== this.hoverGrid) {
      this.hoverGrid = gridId;
      this.gridLayer.changed();
    }
    if (!info || !pixel) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren();
    const t = document.createElement('strong');
    t.textContent = info.title;
    this.tooltip.appendChild(t);
    for (const line of info.lines) {
      const d = document.createElement('div');
      d.textContent = line;
      this.tooltip.appendChild(d);
    }
    this.tooltip.hidden = false;
    const size = this.map.getSize() ?? [0, 0];
    const flip = pixel[0]! > size[0]! - 240;
    this.tooltip.style.transform = `translate(${pixel[0]! + (flip ? -14 : 14)}px, ${pixel[1]! + 14}px)${flip ? ' translateX(-100%)' : ''}`;
  }

  // -------------------------------------------------------------------------------------------
  // Styles

  private readonly styleCache = new Map<string, Style | Style[]>();
  private cachedStyle<S extends Style | Style[]>(key: string, make: () => S): S {
    let s = this.styleCache.get(key) as S | undefined;
    if (!s) {
      s = make();
      this.styleCache.set(key, s);
    }
    return s;
  }

  private baseStyle(f: FeatureLike, resolution: number): Style | undefined {
    const kind = f.get('kind') as string;
    const online = this.onlineTiles;
    if (kind === 'mask')
      return this.cachedStyle(`mask${online}`, () => new Style({ fill: new Fill({ color: online ? 'rgba(40,52,70,0.18)' : PAPER.outside }) }));
    if (kind === 'land') return online ? undefined : this.cachedStyle('land', () => new Style({ fill: new Fill({ color: PAPER.land }) }));
    if (kind === 'outline') {
      const w = resolution < 1.2 ? 1 : 0;
      return this.cachedStyle(`outline${w}`, () =>
        new Style({ stroke: new Stroke({ color: PAPER.outline, width: 2.2 + w, lineDash: [10, 4, 2, 4] }) }),
      );
    }
    return undefined;
  }

  private roadStyle(_f: FeatureLike, resolution: number): Style[] {
    // Roads about 26 m wide on the ground, clamped to a readable width on screen.
    const w = Math.round(Math.max(4, Math.min(22, 26 / resolution)));
    if (this.onlineTiles) return []; // the tiles draw the roads
    return [
      this.cachedStyle(`road${w}`, () => new Style({ stroke: new Stroke({ color: PAPER.roadCasing, width: w + 2, lineCap: 'butt' }), zIndex: 0 })),
      this.cachedStyle(`roadf${w}`, () => new Style({ stroke: new Stroke({ color: PAPER.road, width: w, lineCap: 'butt' }), zIndex: 1 })),
    ];
  }

  private readonly roadLabel = new Style({
    text: new Text({
      font: `500 12px ${FONT}`,
      placement: 'line',
      repeat: 420,
      fill: new Fill({ color: PAPER.roadLabel }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.95)', width: 3.5 }),
      maxAngle: Math.PI / 6,
    }),
  });
  private roadLabelStyle(f: FeatureLike, _resolution: number): Style | undefined {
    if (this.onlineTiles) return undefined; // the tiles carry their own road names
    // A figure on every grid: its labels (name and value) are what is read; road names over them were not.
    if (this.choropleth) return undefined;
    this.roadLabel.getText()!.setText(String(f.get('name') ?? ''));
    return this.roadLabel;
  }

  private readonly communityLabel = new Style({
    text: new Text({
      font: `600 14px ${FONT}`,
      fill: new Fill({ color: '#31435a' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 4 }),
      overflow: true,
    }),
    zIndex: 5,
  });
  private communityLabelStyle(f: FeatureLike): Style {
    this.communityLabel.getText()!.setText(String(f.get('name') ?? ''));
    return this.communityLabel;
  }

  private communityStyle(f: FeatureLike, _resolution: number): Style {
    const sel = f.getId() === this.selectedGrid;
    return this.cachedStyle(`comm${sel}`, () =>
      new Style({ stroke: new Stroke({ color: sel ? '#1f6feb' : withAlpha(PAPER.communityLine, 0.85), width: sel ? 3 : 1.8 }) }),
    );
  }

  private readonly gridLabel = new Style({
    text: new Text({
      font: `600 13px ${FONT}`,
      fill: new Fill({ color: PAPER.label }),
      stroke: new Stroke({ color: PAPER.halo, width: 3.5 }),
      overflow: true,
    }),
    zIndex: 20,
  });

  private gridStyle(f: FeatureLike, resolution: number): Style[] {
    const m = meta(f);
    if (!m) return [];
    const id = f.getId();
    const state = id === this.selectedGrid ? 'sel' : id === this.hoverGrid ? 'hover' : 'n';
    const special = m.level === 'special';
    const tint = special ? '#8250df' : COMMUNITY_TINTS[m.tint] ?? '#4e79a7';
    const online = this.onlineTiles;
    if (this.choropleth) return this.choroplethStyle(f, m, state, resolution);
    const base = this.cachedStyle(`g${m.level}|${m.tint}|${state}|${online}`, () => {
      const fillA = state === 'sel' ? 0.3 : state === 'hover' ? 0.26 : special ? 0.1 : online ? 0.1 : m.level === 'micro' ? 0.1 : 0.14;
      const strokeColor = state === 'sel' ? '#1f6feb' : state === 'hover' ? withAlpha(tint, 1) : special ? '#8250df' : withAlpha(tint, 0.75);
      const width = state === 'sel' ? 3 : state === 'hover' ? 2.2 : m.level === '2' ? 1.6 : m.level === 'micro' ? 0.8 : 1.2;
      return new Style({
        fill: new Fill({ color: withAlpha(state === 'sel' ? '#1f6feb' : tint, fillA) }),
        stroke: new Stroke({ color: strokeColor, width, lineDash: special ? [6, 4] : undefined }),
        zIndex: state === 'n' ? 0 : 2,
      });
    });
    const styles = [base];
    // A label only when it fits inside the polygon at this zoom.
    const widthPx = m.width / resolution;
    const fontSize = m.level === '2' ? 14 : m.level === 'micro' ? 11 : 12;
    const name = widthPx > m.short.length * fontSize + 6 ? m.short : m.level === 'micro' && widthPx > 22 ? m.short.replace(/号$/, '') : '';
    if (name) {
      const label = this.gridLabel.clone();
      const text = label.getText()!;
      const showOpen = m.open > 0 && m.level !== 'micro' && widthPx > 60;
      text.setFont(`600 ${fontSize}px ${FONT}`);
      if (showOpen) text.setText([name, '', '\n', '', `待办 ${m.open}`, `500 11px ${FONT}`]);
      else text.setText(name);
      if (state === 'sel') text.getFill()!.setColor('#0b3d91');
      styles.push(label);
    }
    return styles;
  }

  private choroplethStyle(f: FeatureLike, m: GridMeta, state: 'sel' | 'hover' | 'n', resolution: number): Style[] {
    const cell = this.choropleth?.get(String(f.getId()));
    const color = cell?.color ?? '#d0d4da';
    const base = this.cachedStyle(`ch|${color}|${state}`, () =>
      new Style({
        fill: new Fill({ color: withAlpha(color, cell ? 0.82 : 0.45) }),
        stroke: new Stroke({ color: state === 'n' ? 'rgba(255,255,255,0.9)' : '#0b3d91', width: state === 'n' ? 1.2 : 2.6 }),
        zIndex: state === 'n' ? 0 : 2,
      }),
    );
    const widthPx = m.width / resolution;
    const fontSize = m.level === '2' ? 14 : 12;
    const value = cell?.text ?? '—';
    if (widthPx < Math.max(m.short.length, value.length) * fontSize * 0.9 + 6) return [base];
    const label = this.gridLabel.clone();
    const text = label.getText()!;
    text.setFont(`600 ${fontSize}px ${FONT}`);
    text.setText([m.short, '', '\n', '', value, `700 ${fontSize}px ${FONT}`]);
    return [base, label];
  }

  private clusterStyle(f: FeatureLike, _resolution: number): Style | Style[] {
    const members = f.get('features') as Feature<Point>[];
    const colors = statusColors();
    if (members.length === 1) {
      const m = members[0]!;
      const s = this.statusOf[m.get('s') as number] ?? 'reported';
      const over = m.get('o') === 1;
      // An alarm's ticket: a warning triangle, its rim in the status colour (red when overdue).
      if (m.get('a') === 1)
        return this.cachedStyle(`alarm${s}${over}`, () => [
          new Style({ image: new RegularShape({ points: 3, radius: 11, fill: new Fill({ color: ALARM_ORANGE }), stroke: new Stroke({ color: over ? OVERDUE_RED : '#fff', width: over ? 3 : 2 }) }) }),
          new Style({ image: new CircleStyle({ radius: 3, displacement: [0, -1], fill: new Fill({ color: colors[s] }), stroke: new Stroke({ color: '#fff', width: 1 }) }) }),
        ]);
      return this.cachedStyle(`pt${s}${over}`, () =>
        over
          ? new Style({ image: new CircleStyle({ radius: 7, fill: new Fill({ color: colors[s] }), stroke: new Stroke({ color: OVERDUE_RED, width: 3 }) }) })
          : new Style({ image: new CircleStyle({ radius: 6, fill: new Fill({ color: colors[s] }), stroke: new Stroke({ color: '#fff', width: 2 }) }) }),
      );
    }
    const agg = clusterAgg(f, this.statusOf);
    return new Style({ renderer: (coords, state) => drawCluster(coords as number[], state, agg, colors) });
  }
}

// ---------------------------------------------------------------------------------------------
// Clusters: a ring of status shares around the count; a red outer ring and badge when any of its
// tickets is overdue.

interface ClusterAgg {
  n: number;
  overdue: number;
  /** Members raised by alarms (设备报警): an orange triangle badge at the top left. */
  alarms: number;
  counts: Partial<Record<TicketStatus, number>>;
  /** Statuses present, most frequent first. */
  order: TicketStatus[];
}


function clusterAgg(f: FeatureLike, statuses: readonly TicketStatus[]): ClusterAgg {
  const cached = f.get('agg') as ClusterAgg | undefined;
  if (cached) return cached;
  const members = (f.get('features') as Feature[] | undefined) ?? [];
  const counts: Partial<Record<TicketStatus, number>> = {};
  let overdue = 0;
  let alarms = 0;
  for (const m of members) {
    if (m.get('a') === 1) alarms++;
    const s = statuses[m.get('s') as number] ?? 'reported';
    counts[s] = (counts[s] ?? 0) + 1;
    if (m.get('o') === 1) overdue++;
  }
  const order = (Object.keys(counts) as TicketStatus[]).sort((a, b) => counts[b]! - counts[a]!);
  const agg = { n: members.length, overdue, alarms, counts, order };
  (f as Feature).set('agg', agg, true);
  return agg;
}

function drawCluster(coords: number[], state: RenderState, agg: ClusterAgg, colors: Record<TicketStatus, string>): void {
  const ctx = state.context;
  const pr = state.pixelRatio;
  const [x, y] = coords as [number, number];
  const r = Math.min(30, 12 + 4.2 * Math.log10(agg.n)) * pr;
  const inner = r * 0.6;
  ctx.save();
  // Soft shadow.
  ctx.beginPath();
  ctx.arc(x, y + 1.2 * pr, r + 1.5 * pr, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(16,24,40,0.18)';
  ctx.fill();
  // Status shares, clockwise from 12 o'clock, in the fixed status order.
  let a0 = -Math.PI / 2;
  for (const s of TICKET_STATUSES) {
    const c = agg.counts[s];
    if (!c) continue;
    const a1 = a0 + (c / agg.n) * Math.PI * 2;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.arc(x, y, r, a0, Math.max(a1, a0 + 0.06));
    ctx.closePath();
    ctx.fillStyle = colors[s];
    ctx.fill();
    a0 = a1;
  }
  // White core with the count.
  ctx.beginPath();
  ctx.arc(x, y, inner, 0, Math.PI * 2);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.lineWidth = 1.5 * pr;
  ctx.strokeStyle = '#fff';
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.stroke();
  if (agg.overdue > 0) {
    ctx.beginPath();
    ctx.arc(x, y, r + 2.5 * pr, 0, Math.PI * 2);
    ctx.lineWidth = 2.5 * pr;
    ctx.strokeStyle = OVERDUE_RED;
    ctx.stroke();
  }
  const label = agg.n >= 10000 ? `${(agg.n / 10000).toFixed(1)}万` : String(agg.n);
  ctx.fillStyle = '#1f2328';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const fs = Math.max(10, Math.min(14, inner / pr - (label.length > 3 ? 3 : 1)));
  ctx.font = `700 ${fs * pr}px ${FONT}`;
  ctx.fillText(label, x, y + 0.5 * pr);
  if (agg.overdue > 0) {
    // Overdue badge at the top right.
    const bt = agg.overdue > 99 ? '99+' : String(agg.overdue);
    ctx.font = `700 ${10 * pr}px ${FONT}`;
    const bw = Math.max(16 * pr, ctx.measureText(bt).width + 8 * pr);
    const bh = 16 * pr;
    const bx = x + r * 0.62;
    const by = y - r * 0.95;
    ctx.beginPath();
    ctx.roundRect(bx - bw / 2, by - bh / 2, bw, bh, bh / 2);
    ctx.fillStyle = OVERDUE_RED;
    ctx.fill();
    ctx.lineWidth = 1.5 * pr;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.fillText(bt, bx, by + 0.5 * pr);
  }
  if (agg.alarms > 0) {
    // Alarm badge at the top left: a small warning triangle.
    const ax = x - r * 0.7;
    const ay = y - r * 0.85;
    const s = 8 * pr;
    ctx.beginPath();
    ctx.moveTo(ax, ay - s);
    ctx.lineTo(ax + s, ay + s * 0.7);
    ctx.lineTo(ax - s, ay + s * 0.7);
    ctx.closePath();
    ctx.fillStyle = ALARM_ORANGE;
    ctx.fill();
    ctx.lineWidth = 1.5 * pr;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
  ctx.restore();
}

// ---------------------------------------------------------------------------------------------
// The picked point: a map pin.

const PIN_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40" viewBox="0 0 30 40">' +
  '<path d="M15 39c0 0 13-14.2 13-23.5C28 7.4 22.2 1.5 15 1.5S2 7.4 2 15.5C2 24.8 15 39 15 39z" fill="#1f6feb" stroke="#fff" stroke-width="2.5"/>' +
  '<circle cx="15" cy="15.5" r="5" fill="#fff"/></svg>';
const pinStyles = [
  new Style({ image: new CircleStyle({ radius: 5, fill: new Fill({ color: 'rgba(31,111,235,0.25)' }), stroke: new Stroke({ color: 'rgba(31,111,235,0.6)', width: 1 }) }) }),
  new Style({ image: new Icon({ src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(PIN_SVG), anchor: [0.5, 1], anchorXUnits: 'fraction', anchorYUnits: 'fraction' }) }),
];
function pickStyle(): Style[] {
  return pinStyles;
}

