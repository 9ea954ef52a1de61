// Districts of the city (区): their 6-digit division codes and names (src/city/data/districts.json,
// from the NBS division table). A street's 9-digit code begins with its district's code, so a
// district operations center (区城运中心) reaches exactly the streets whose codes start with its own.

import fs from 'node:fs';
import path from 'node:path';

export const DISTRICTS_FILE = path.join(__dirname, 'data', 'districts.json');

let cache: Record<string, string> | null = null;

export function districtNames(): Record<string, string> {
  cache ??= (JSON.parse(fs.readFileSync(DISTRICTS_FILE, 'utf8')) as { districts: Record<string, string> }).districts;
  return cache;
}

export function districtName(code: string): string | null {
  return districtNames()[code] ?? null;
}

export function inDistrict(streetCode: string, districtCode: string): boolean {
  return streetCode.startsWith(districtCode) && streetCode.length > districtCode.length;
}
