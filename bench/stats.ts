// Timing helpers for benchmarks: repeated runs, percentiles, JSON-line output.

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

const round = (x: number) => Math.round(x * 100) / 100;

export function summary(ms: number[]) {
  return { p50_ms: round(percentile(ms, 50)), p95_ms: round(percentile(ms, 95)), runs: ms.length };
}

export function emit(figure: Record<string, unknown>): void {
  const clean = Object.fromEntries(Object.entries(figure).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
  process.stdout.write(JSON.stringify(clean) + '\n');
}

export function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
