// API methods of the street's places: proposals for a typed address (the offline gazetteer, key
// places, landmarks and roads of the basemap, grid names, and the addresses of past tickets with a
// point), and importing the gazetteer from a CSV or Excel file.

import { z } from 'zod/v4';
import { empty, method } from './common';

export const PLACE_QUERY_MAX = 50;
export const PLACE_SUGGEST_MAX = 8;
export const PLACE_KINDS = ['place', 'keyPlace', 'landmark', 'road', 'grid', 'ticketAddress'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
export const PLACE_KIND_LABELS: Record<PlaceKind, string> = {
  place: '地名',
  keyPlace: '重点部位',
  landmark: '地标',
  road: '道路',
  grid: '网格',
  ticketAddress: '历史地址',
};

// Control characters, and characters that never belong in an address typed by a person.
const HOSTILE = /[\u0000-\u001f\u007f-\u009f<>\\{}`$]/;

export const placeSuggestInput = z.object({
  text: z
    .string()
    .max(PLACE_QUERY_MAX * 4, `地址查询不能超过${PLACE_QUERY_MAX}字`)
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(2, '请至少输入2个字')
        .max(PLACE_QUERY_MAX, `地址查询不能超过${PLACE_QUERY_MAX}字`)
        .refine((s) => !HOSTILE.test(s), '地址查询含有无效字符'),
    ),
  limit: z.number().int().min(1).max(PLACE_SUGGEST_MAX).default(PLACE_SUGGEST_MAX),
});

export const placeImportInput = z.object({
  name: z.string().trim().min(1).max(200),
  dataBase64: z.string().max(Math.ceil((16 * 1024 * 1024 * 4) / 3) + 8, '文件不能超过16MB'),
});

export const placeMethods = {
  'places.suggest': method<typeof placeSuggestInput, PlaceProposal[]>(placeSuggestInput),
  'places.import': method<typeof placeImportInput, PlaceImportResult>(placeImportInput),
  'places.count': method<typeof empty, { count: number }>(empty),
} as const;

/** A place proposed for a typed address: choosing it sets the ticket's address, point and grid. */
export interface PlaceProposal {
  label: string;
  kind: PlaceKind;
  address: string;
  lon: number;
  lat: number;
  /** The innermost grid at the point, or null when the point is outside the street's grids. */
  gridId: string | null;
  gridName: string | null;
}

export interface PlaceImportResult {
  /** Rows read from the file. */
  rows: number;
  added: number;
  updated: number;
  /** Places in the gazetteer after the import. */
  total: number;
}

export type PlaceMethod = keyof typeof placeMethods;
