// `npm test`: the whole suite — type check, lint (layering), unit + integration tests (vitest,
// real SQLite files), end-to-end tests (Playwright driving the real UI in Chromium against the
// real host). Ends with one line: `N passed, N failed, N skipped`. A skipped test counts as a
// failure of the run: nothing CI can run may be skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chengyun-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;
/** One line per failed test, printed again just above the summary (a log's tail shows the first failure, not only the last). */
const failures = [];
const errorSummary = (msg) => {
  const lines = String(msg ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter((l) => l);
  // The message's first line and, for a failed expectation, what it looked at and what it got.
  return [lines[0] ?? '', ...lines.slice(1).filter((l) => /^(Locator|Expected|Received)/.test(l)).slice(0, 3)].join(' | ');
};

function step(name, cmd, args, env = {}) {
  process.stderr.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else {
    failed++;
    failures.push(name);
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

// The city server's tests run on embedded PGlite here, and again below on a real PostgreSQL
// server: the one CITY_TEST_PG_URL names, or else a throwaway cluster started here when Debian's
// `postgresql` is installed. Without either, the PostgreSQL run counts as one skipped test.
function startPg() {
  const r = spawnSync('bash', ['scripts/pg-test-cluster.sh', '55432'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return r.status === 0 ? r.stdout.trim() : '';
}
let pgUrl = process.env.CITY_TEST_PG_URL;
if (!pgUrl && fs.existsSync('/usr/lib/postgresql')) pgUrl = startPg();
function vitest(name, args, env) {
  const out = path.join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  const ok = step(name, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  const v = countJson(name, out, ok);
  if (v) {
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += v.numPendingTests + v.numTodoTests;
    if (!ok && v.numFailedTests === 0) failed++; // a suite that failed to load
    for (const f of v.testResults ?? []) {
      const file = path.relative(process.cwd(), f.name);
      for (const t of f.assertionResults ?? []) if (t.status === 'failed') failures.push(`${name}: ${file} › ${t.fullName} — ${errorSummary(t.failureMessages?.[0])}`);
      if (f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push(`${name}: ${file} — ${errorSummary(f.message)}`);
    }
  }
}
vitest('unit + integration', [], { CITY_TEST_PG_URL: '' });
if (pgUrl) vitest('city on PostgreSQL', ['tests/integration/sync.test.ts', 'tests/integration/syncReference.test.ts', 'tests/integration/syncCityProcess.test.ts', 'tests/integration/city.test.ts', 'tests/integration/open311.test.ts'], { CITY_TEST_PG_URL: pgUrl });
else {
  skipped++;
  process.stderr.write('\nSKIPPED: no PostgreSQL (set CITY_TEST_PG_URL or install Debian\'s postgresql): the city tests ran on PGlite only\n');
}

if (step('build', 'node', ['scripts/build.mjs'])) {
  const pwOut = path.join(tmp, 'playwright.json');
  const pOk = step('end-to-end', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut });
  const p = countJson('playwright', pwOut, pOk);
  if (p) {
    passed += p.stats.expected + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected;
    skipped += p.stats.skipped;
    if (!pOk && p.stats.unexpected === 0) failed++;
    const walk = (suite) => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests ?? [])
          if (t.status === 'unexpected') {
            const r = (t.results ?? []).find((x) => x.status !== 'passed' && x.status !== 'skipped');
            const err = r?.error ?? r?.errors?.[0];
            const at = err?.location ? ` (at ${path.relative(process.cwd(), err.location.file)}:${err.location.line})` : '';
            failures.push(`end-to-end: ${spec.file}:${spec.line} › ${spec.title} — ${errorSummary(err?.message)}${at}`);
          }
      for (const s of suite.suites ?? []) walk(s);
    };
    for (const s of p.suites ?? []) walk(s);
  }
} else failed++;

if (failures.length) process.stderr.write(`\nFailed, in the order they ran:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
if (skipped) process.stderr.write(`\nFAILED: ${skipped} test(s) skipped — nothing CI can run may be skipped\n`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed || skipped ? 1 : 0);
