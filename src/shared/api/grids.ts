// API methods of the grids and the map page: grid polygons as GeoJSON, a grid's profile, point →
// grid lookup, ticket points for clustering and heat maps, and the offline basemap.

import { z } from 'zod/v4';
import { GRID_LEVELS, type GridLevel, type TicketStatus } from '../domain/ticket';
import type { GridElementGroup, GridElementKind, GridMemberRole } from '../domain/grid';
import type { AreaGeometry } from '../geo/geometry';
import type { AlarmKind } from '../intake/alarms';
import type { GridInfo, TicketRow } from './types';
import { ticketFilter } from './filters';
import { empty, id, lat, lon, method } from './common';

export const GRID_POINTS_MAX = 100_000;

export const gridGeojsonInput = z
  .object({ levels: z.array(z.enum(GRID_LEVELS, { message: '网格层级无效' })).max(5).optional() })
  .prefault({});
export const gridProfileInput = z.object({ id });
export const gridLookupInput = z.object({ lon, lat });

/** 天地图 WMTS for the map page, or null to go back to the offline basemap. */
export const mapTileServiceInput = z.object({
  tileService: z
    .object({
      kind: z.literal('tianditu'),
      url: z
        .string()
        .trim()
        .regex(/^https:\/\/[^\s]+$/, '瓦片服务地址须以 https:// 开头')
        .max(300, '瓦片服务地址过长'),
      key: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z]{8,64}$/, '天地图密钥应为8–64位字母或数字'),
      layer: z.enum(['vec', 'img', 'ter']).default('vec'),
    })
    .nullable(),
});

export const ticketPointsInput = z.object({
  filter: ticketFilter.prefault({}),
  limit: z.number().int().min(1).max(GRID_POINTS_MAX, `最多${GRID_POINTS_MAX}个点`).default(GRID_POINTS_MAX),
});

export const gridMethods = {
  'grids.geojson': method<typeof gridGeojsonInput, GridFeatureCollection>(gridGeojsonInput),
  'grids.profile': method<typeof gridProfileInput, GridProfile>(gridProfileInput),
  'grids.lookup': method<typeof gridLookupInput, GridLookupResult | null>(gridLookupInput),
  'tickets.points': method<typeof ticketPointsInput, TicketPoints>(ticketPointsInput),
  'map.basemap': method<typeof empty, Basemap>(empty),
  'map.setTileService': method<typeof mapTileServiceInput, TileService | null>(mapTileServiceInput),
} as const;

// ---------------------------------------------------------------------------------------------
// Output types

export interface GridFeatureProperties {
  id: string;
  code: string;
  name: string;
  level: GridLevel;
  parentId: string | null;
  households: number | null;
  population: number | null;
  /** Open tickets in this grid and every grid below it (special grids: open tickets whose point is inside). */
  openTickets: number;
}

export interface GridFeature {
  type: 'Feature';
  id: string;
  geometry: AreaGeometry;
  properties: GridFeatureProperties;
}

export interface GridFeatureCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

export interface GridMember {
  staffId: string;
  name: string;
  role: GridMemberRole;
  /** Masked (138****5678) for unit users. */
  phone: string | null;
  unitName: string | null;
}

export interface GridElementCount {
  kind: GridElementKind;
  label: string;
  group: GridElementGroup;
  count: number;
}

export interface GridProfile {
  grid: GridInfo & {
    households: number | null;
    population: number | null;
    areaM2: number | null;
    /** Other properties the grid was imported with. */
    props: Record<string, unknown>;
  };
  /** Ancestors, the street first, down to the direct parent. */
  chain: GridInfo[];
  children: GridInfo[];
  members: GridMember[];
  elements: {
    counts: GridElementCount[];
    /** true when the grid has no counts of its own and these are the sums over the grids below it. */
    aggregated: boolean;
  };
  /** Tickets by status in this grid and below (special grids: by point). */
  ticketCounts: Partial<Record<TicketStatus, number>>;
  /** Up to 50 open tickets, newest first. */
  openTickets: TicketRow[];
}

export interface GridLookupResult {
  /** The innermost regular grid containing the point. */
  grid: GridInfo;
  /** Its ancestors, the street first. */
  chain: GridInfo[];
  /** Special-purpose grids containing the point. */
  special: GridInfo[];
}

/** [ticket id, lon, lat, index into TicketPoints.statuses, 1 if overdue else 0] */
export type TicketPoint = [string, number, number, number, 0 | 1];

export interface TicketPoints {
  points: TicketPoint[];
  /** The status table the points' status indexes refer to (TICKET_STATUSES). */
  statuses: readonly TicketStatus[];
  /** More tickets with a point matched than the limit; the newest `limit` are returned. Tickets without a point are left out. */
  truncated: boolean;
  /** Tickets matching the filter that have no point, so cannot be drawn: how many, and the newest few. */
  noPoint: { count: number; sample: Array<{ id: string; code: string; status: TicketStatus; description: string }> };
  /** The drawn tickets raised by video-AI or IoT alarms (设备报警), by ticket id: drawn with an alarm symbol. */
  alarms: Record<string, { kind: AlarmKind; device: string; count: number }>;
  now: number;
}

export interface BasemapRoad {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: number[][] };
  properties: { name: string };
}

export interface BasemapLabel {
  name: string;
  code: string;
  kind: 'street' | 'community' | 'special';
  lon: number;
  lat: number;
}

export interface TileService {
  kind: 'tianditu';
  /** WMTS endpoint template, e.g. https://t{0-7}.tianditu.gov.cn/vec_w/wmts */
  url: string;
  key: string;
  /** Layer: vec (vector), img (imagery), ter (terrain); default vec. */
  layer?: 'vec' | 'img' | 'ter';
}

export interface Basemap {
  street: { code: string; name: string };
  /** The street outline (the level-1 grid), WGS-84. */
  outline: AreaGeometry | null;
  roads: { type: 'FeatureCollection'; features: BasemapRoad[] };
  labels: BasemapLabel[];
  /** [minLon, minLat, maxLon, maxLat] of the street, for the initial view. */
  bbox: [number, number, number, number] | null;
  /** An online tile service configured by the deployment (settings key map.tileService), or null for the offline basemap. */
  tileService: TileService | null;
}

/** The method names of this area, for the node's handler module. */
export type GridMethod = keyof typeof gridMethods;
