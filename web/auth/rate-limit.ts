/** Fixed-window counters per key (an address, a client), bounded in memory however many keys an attacker invents. */

/** How many tries per key in a window. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** Counts tries per key; {@link take} says whether one more is allowed. */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly rule: RateLimit, private readonly maxKeys = 10_000) {
    if (!(rule.limit > 0) || !(rule.windowMs > 0)) throw new RangeError('a rate limit needs a positive limit and window');
  }

  /** Counts a try for `key` at `now`; false when the key has used up its window. */
  take(key: string, now: number): boolean {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.evict(now);
      window = { count: 0, resetAt: now + this.rule.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.rule.limit;
  }

  /** Seconds until `key` may try again (for Retry-After). */
  retryAfterSeconds(key: string, now: number): number {
    const window = this.windows.get(key);
    return window ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 1;
  }

  private evict(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full of live windows: drop the oldest (Map keeps insertion order), so memory stays bounded.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
