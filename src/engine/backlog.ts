// What one destination's queue still holds, summarised for the monitor: per (action, facility), how many deliveries
// were created in each ten-second bucket. The dispatcher keeps it in step with its queue (one map update when a
// delivery is queued, one when it leaves), so the service levels can count "waiting longer than the target" every
// second without walking a backlog that an outage may have grown to a million deliveries.
import type { Delivery } from '../core/types.ts';
import type { WaitingGroup } from '../monitoring/service-levels.ts';

export const BACKLOG_BUCKET_MS = 10_000;

type Group = Omit<WaitingGroup, 'destination' | 'role' | 'buckets'> & { buckets: Map<number, number> };
type Queued = Pick<Delivery, 'action' | 'partitionKey' | 'createdAt'>;

export class Backlog {
  private readonly groups = new Map<string, Group>();

  add(d: Queued): void {
    const g = this.groupOf(d);
    const bucket = bucketOf(d.createdAt);
    g.buckets.set(bucket, (g.buckets.get(bucket) ?? 0) + 1);
  }

  remove(d: Queued): void {
    const g = this.groupOf(d);
    const bucket = bucketOf(d.createdAt);
    const left = (g.buckets.get(bucket) ?? 0) - 1;
    if (left > 0) g.buckets.set(bucket, left);
    else g.buckets.delete(bucket);
  }

  /** The groups that hold anything; their bucket maps are live (read them before the next turn of the event loop). */
  list(): readonly Group[] {
    return [...this.groups.values()].filter((g) => g.buckets.size > 0);
  }

  private groupOf(d: Queued): Group {
    // Partition keys start with the facility (flows/plan.ts: facility|location|item, facility|acct|account, …).
    const bar = d.partitionKey.indexOf('|');
    const facility = bar < 0 ? d.partitionKey : d.partitionKey.slice(0, bar);
    const key = `${d.action}\u0000${facility}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { action: d.action, facility, buckets: new Map() }));
    return g;
  }
}

const bucketOf = (createdAt: string): number => Math.floor(Date.parse(createdAt) / BACKLOG_BUCKET_MS) * BACKLOG_BUCKET_MS;
