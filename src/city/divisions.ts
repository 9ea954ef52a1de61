// The city's divisions: districts (区, 6-digit codes) and streets/towns (街道/镇, 9-digit codes) with
// their names (src/city/data/divisions.json, from the NBS division table). A street's code begins
// with its district's code, so a district operations center (区城运中心) reaches exactly the
// streets whose codes start with its own.

import fs from 'node:fs';
import path from 'node:path';

export const DIVISIONS_FILE = path.join(__dirname, 'data', 'divisions.json');

let cache: { districts: Record<string, string>; streets: Record<string, string> } | null = null;
const divisions = () => (cache ??= JSON.parse(fs.readFileSync(DIVISIONS_FILE, 'utf8')) as { districts: Record<string, string>; streets: Record<string, string> });

export function districtNames(): Record<string, string> {
  return divisions().districts;
}

export function districtName(code: string): string | null {
  return divisions().districts[code] ?? null;
}

export function streetName(code: string): string | null {
  return divisions().streets[code] ?? null;
}

export function inDistrict(streetCode: string, districtCode: string): boolean {
  return streetCode.startsWith(districtCode) && streetCode.length > districtCode.length;
}
