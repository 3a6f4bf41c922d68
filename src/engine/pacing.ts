// Pacing of deliveries. Written by hand because both are a few lines and must read the injected clock (a library
// limiter keeps its own timers, which would fight the dispatcher's scheduling and durable retry times).

/** Exponential backoff with full jitter (a random wait in [0, min(cap, base·2^(n-1))]): retries of many
 *  deliveries spread out instead of arriving at a recovering system in waves. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(random() * ceiling));
}

/** A token bucket: `rate` requests per second with bursts up to `rate` (at least 1). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly capacity: number;

  constructor(rate: number, now: number) {
    this.rate = rate;
    this.capacity = Math.max(1, rate);
    this.tokens = this.capacity;
    this.last = now;
  }

  /** Takes one token if there is one; otherwise answers how many ms until there will be. */
  take(now: number): number {
    if (this.rate <= 0) return 0;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}
