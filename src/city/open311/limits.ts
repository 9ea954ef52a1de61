// Open311 POST rate limits: a sliding window per API key and per client address. Bounded memory:
// each key keeps at most `limit` timestamps, and the table is pruned when it grows large.

export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one hit for `key`; returns 0 when allowed, else the seconds to wait (nothing counted). */
  take(key: string): number {
    const now = this.now();
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((list[list.length - this.limit]! + this.windowMs - now) / 1000));
    }
    list.push(now);
    if (!this.hits.has(key) && this.hits.size >= this.maxKeys) this.prune(now);
    this.hits.set(key, list);
    return 0;
  }

  private prune(now: number): void {
    for (const [k, v] of this.hits) if (!v.some((t) => t > now - this.windowMs)) this.hits.delete(k);
    for (const k of this.hits.keys()) {
      if (this.hits.size < this.maxKeys / 2) break;
      this.hits.delete(k);
    }
  }
}
