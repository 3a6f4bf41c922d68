// Latency histograms as Prometheus keeps them, read back into numbers: cumulative counts per upper bound (the last
// one +Inf), the increase of counters over a rolling window, a quantile and the share within a target. Pure: the
// monitor (engine/monitor.ts) samples prom-client and hands the numbers in, with the time.

/**
 * Upper bounds, in seconds, of the service-level latency histogram (tendon_delivery_latency_seconds): from a tenth
 * of a second to a day, because business targets are minutes and hours and an outage's deliveries land hours late.
 */
export const SERVICE_LATENCY_BOUNDS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
];

/** Cumulative counts: counts[i] observations ≤ bounds[i]; counts[bounds.length] is every observation (+Inf). */
export type Cumulative = number[];

export const total = (counts: Cumulative): number => counts[counts.length - 1] ?? 0;

export function minus(a: Cumulative, b: Cumulative | undefined): Cumulative {
  // A counter never goes down; a smaller value means the process restarted, and then all of `a` is new.
  return a.map((v, i) => Math.max(0, v - (b?.[i] ?? 0)));
}

export function plus(a: Cumulative, b: Cumulative): Cumulative {
  return a.map((v, i) => v + (b[i] ?? 0));
}

/**
 * The q-quantile (0..1), interpolated linearly within its bucket as Prometheus's histogram_quantile does; a quantile
 * in the +Inf bucket answers the largest finite bound (it is at least that). Null when nothing was observed.
 */
export function quantile(bounds: readonly number[], counts: Cumulative, q: number): number | null {
  const n = total(counts);
  if (n === 0) return null;
  const rank = q * n;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i]! >= rank) {
      const below = i === 0 ? 0 : counts[i - 1]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const inBucket = counts[i]! - below;
      return inBucket === 0 ? lower : lower + ((bounds[i]! - lower) * (rank - below)) / inBucket;
    }
  }
  return bounds[bounds.length - 1] ?? null;
}

/** How many observations were at most `limit`, interpolated within the bucket that holds it. */
export function countWithin(bounds: readonly number[], counts: Cumulative, limit: number): number {
  for (let i = 0; i < bounds.length; i++) {
    if (bounds[i]! >= limit) {
      const below = i === 0 ? 0 : counts[i - 1]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return below + ((counts[i]! - below) * (limit - lower)) / (bounds[i]! - lower);
    }
  }
  return counts[bounds.length - 1] ?? 0; // beyond the largest bound: what is in +Inf is counted outside
}

/**
 * Samples of something cumulative taken over time, at most one per `everyMs`, kept for `keepMs`: the baseline to
 * subtract for "the increase over the last N" is the newest sample at least N old (or the oldest there is, while
 * the process is younger than the window).
 */
export class Samples<V> {
  private readonly list: { at: number; value: V }[] = [];
  private readonly everyMs: number;
  private readonly keepMs: number;

  constructor(everyMs: number, keepMs: number) {
    this.everyMs = everyMs;
    this.keepMs = keepMs;
  }

  add(at: number, value: V): void {
    const last = this.list[this.list.length - 1];
    if (last && at - last.at < this.everyMs) return;
    this.list.push({ at, value });
    // One sample older than keepMs stays: it is the baseline of the longest window.
    while (this.list.length > 2 && this.list[1]!.at <= at - this.keepMs) this.list.shift();
  }

  baseline(at: number, windowMs: number): { at: number; value: V } | undefined {
    let found = this.list[0];
    for (const s of this.list) {
      if (s.at > at - windowMs) break;
      found = s;
    }
    return found;
  }
}
