// Zhengzhou's divisions, shared by the city server and the street node: districts (区, 6-digit
// codes) and streets/towns (街道/镇, 9-digit codes) with their names, from the NBS division table
// (src/shared/data/divisions.json). A street's code begins with its district's code.
//
// The national table writes every township-level code with 12 digits (410105001000); the product
// uses the 9 significant ones (410105001). `normalizeStreetCode` accepts both.

import data from '../data/divisions.json';

interface DivisionTable {
  source: string;
  districts: Record<string, string>;
  streets: Record<string, string>;
}

const table = data as DivisionTable;

/** The city the bundled table covers. */
export const DIVISIONS_CITY = '郑州市';

export function districtNames(): Record<string, string> {
  return table.districts;
}

export function districtName(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(table.districts, code) ? table.districts[code]! : null;
}

export function streetName(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(table.streets, code) ? table.streets[code]! : null;
}

export function inDistrict(streetCode: string, districtCode: string): boolean {
  return streetCode.startsWith(districtCode) && streetCode.length > districtCode.length;
}

/** '410105001' or '410105001000' → '410105001'; anything else → null. */
export function normalizeStreetCode(code: string): string | null {
  const c = code.trim();
  if (/^\d{9}$/.test(c)) return c;
  if (/^\d{9}000$/.test(c)) return c.slice(0, 9);
  return null;
}

export interface StreetDivision {
  code: string;
  name: string;
  districtCode: string;
  district: string;
  city: string;
}

/** The street (9- or 12-digit code) as the division table knows it, or null. */
export function lookupStreet(code: string): StreetDivision | null {
  const c = normalizeStreetCode(code);
  if (!c) return null;
  const name = streetName(c);
  const district = districtName(c.slice(0, 6));
  if (!name || !district) return null;
  return { code: c, name, districtCode: c.slice(0, 6), district, city: DIVISIONS_CITY };
}
