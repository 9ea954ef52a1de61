// `npm test`: the whole suite — type check, lint (layering), unit + integration tests (vitest,
// real SQLite files), end-to-end tests (Playwright driving the real UI in Chromium against the
// real host). Ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-test-'));
let passed = 0;
let failed = 0;

function step(name, cmd, args, env = {}) {
  process.stderr.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else {
    failed++;
    process.stderr.write(`FAILED: ${name}\n`);
  }
}

function countJson(name, file, ok) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    return j;
  } catch {
    failed++;
    process.stderr.write(`FAILED: ${name} produced no report${ok ? '' : ' and exited non-zero'}\n`);
    return null;
  }
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
check('lint', 'npx', ['eslint', 'src', 'tests', 'bench']);

const vitestOut = path.join(tmp, 'vitest.json');
const vOk = step('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestOut}`]);
const v = countJson('vitest', vitestOut, vOk);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  if (!vOk && v.numFailedTests === 0) failed++; // a suite that failed to load
}

if (step('build', 'node', ['scripts/build.mjs'])) {
  const pwOut = path.join(tmp, 'playwright.json');
  const pOk = step('end-to-end', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut });
  const p = countJson('playwright', pwOut, pOk);
  if (p) {
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    if (!pOk && p.stats.unexpected === 0) failed++;
  }
} else failed++;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
