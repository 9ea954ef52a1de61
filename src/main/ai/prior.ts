// Prior knowledge for small training sets: the names of a category scheme's sub-categories as
// extra short training samples of their top category ("label descriptions"). For the complaint
// labels this is the 12345 platform's three-level scheme shipped in models/taxonomy-12345.csv
// (e.g. 环境保护 › 环境污染 › 噪音污染); for the street it is its own catalog's paths.

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { modelsDir } from './paths';
import type { LabelledSample } from './textModel';

export const TAXONOMY_FILE = 'taxonomy-12345.csv';

/** Pseudo-samples for the labels that are first-level names of the shipped taxonomy. */
export function taxonomyPrior(labels: readonly string[], file = path.join(modelsDir(), TAXONOMY_FILE)): LabelledSample[] {
  if (!fs.existsSync(file)) return [];
  const rows = parseCsv(fs.readFileSync(file, 'utf8'), { bom: true, from_line: 2, relax_column_count: true }) as string[][];
  const want = new Set(labels);
  const out: LabelledSample[] = [];
  for (const [l1, l2, l3] of rows) {
    if (!l1 || !want.has(l1.trim()) || !l2) continue;
    const leaf = l3 && l3.trim() !== '其他' ? `，${l3.trim()}` : '';
    out.push({ title: `${l2.trim()}${leaf}`, text: '', label: l1.trim() });
  }
  // Only when the data's labels really are this scheme's top categories.
  const covered = new Set(out.map((o) => o.label));
  return covered.size >= Math.max(2, Math.ceil(labels.length / 2)) ? out : [];
}
