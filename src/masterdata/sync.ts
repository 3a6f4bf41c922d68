// Master data from its system of record: incremental, paged pulls from the ERP API (`updatedSince` + cursor),
// stored in Tendon's store (so a restart works even while the ERP is down), then indexed into a new snapshot.
import { request } from 'undici';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ERP_FEED_SCHEMAS, MASTER_ENTITIES, MASTER_SCHEMAS, type ErpFeed, type MasterEntity } from '../model/masterdata.ts';
import type { Store } from '../store/store.ts';
import { buildSnapshot, emptySnapshot, type MasterRecords, type Snapshot } from './snapshot.ts';

export interface SyncReport {
  entity: MasterEntity | ErpFeed;
  received: number;
  rejected: number;
  /** Why this entity could not be pulled this time (the others still were). */
  error?: string;
}

interface Page {
  data: unknown[];
  nextCursor: string | null;
}

/** Changes a pull brought, after they are stored and in the snapshot: the hub announces them as events. */
export type OnPulled = (changed: Partial<Record<MasterEntity | ErpFeed, unknown[]>>, snapshot: Snapshot) => Promise<void>;

export class MasterData {
  private snapshot: Snapshot = emptySnapshot();
  /** Set by the hub. Only incremental pulls are announced: a first full load is what every system started from. */
  onPulled: OnPulled | null = null;
  private readonly store: Store;
  private readonly url: string;
  private readonly log: Logger;

  constructor(store: Store, url: string, log: Logger) {
    this.store = store;
    this.url = url.replace(/\/$/, '');
    this.log = log;
  }

  /** The snapshot flows read. Swapped whole, never mutated: a flow always sees one consistent version. */
  current = (): Snapshot => this.snapshot;

  private reloading: NodeJS.Timeout | null = null;

  /** Items arrived from another source (MFN^M16, CSV): rebuild the snapshot once they settle, at most every 250 ms. */
  reloadSoon(): void {
    this.reloading ??= setTimeout(() => {
      this.reloading = null;
      this.reload().catch((e: Error) => this.log.warn({ err: e.message }, 'master data reload failed; the previous snapshot stays'));
    }, 250);
    this.reloading.unref();
  }

  async reload(): Promise<Snapshot> {
    const records: MasterRecords = {};
    for (const entity of MASTER_ENTITIES) records[entity] = await this.store.masterRecords(entity);
    this.snapshot = buildSnapshot(records, await this.store.xrefs());
    return this.snapshot;
  }

  /**
   * Pulls every entity changed since the last pull; answers what arrived. An entity the ERP does not serve (404)
   * or fails to serve is reported and skipped, so one missing endpoint never stops items and prices from
   * arriving. Throws when the ERP cannot be reached at all.
   */
  async sync(): Promise<SyncReport[]> {
    const reports: SyncReport[] = [];
    const changed: Partial<Record<MasterEntity | ErpFeed, unknown[]>> = {};
    const pulls = [
      ...MASTER_ENTITIES.map((entity) => ({ entity, schema: MASTER_SCHEMAS[entity] as z.ZodType, keep: true })),
      ...(Object.keys(ERP_FEED_SCHEMAS) as ErpFeed[]).map((entity) => ({ entity, schema: ERP_FEED_SCHEMAS[entity] as z.ZodType, keep: false })),
    ];
    const cursors: [MasterEntity | ErpFeed, string][] = [];
    for (const { entity, schema, keep } of pulls) {
      try {
        const { report, records, incremental, cursor } = await this.pull(entity, schema, keep);
        reports.push(report);
        if (cursor) cursors.push([entity, cursor]);
        // A feed's records are events (a payment), announced even on the first pull; master data only when it changed.
        if ((incremental || !keep) && records.length > 0) changed[entity] = records;
      } catch (error) {
        if (!(error instanceof EntityUnavailable)) throw error;
        reports.push({ entity, received: 0, rejected: 0, error: error.message });
      }
    }
    const failed = reports.filter((r) => r.error);
    if (failed.length > 0) this.log.warn({ entities: failed.map((r) => r.entity), errors: failed.map((r) => r.error) }, 'some master data could not be pulled; using the stored copy of those');
    if (reports.some((r) => r.received > 0)) await this.reload();
    if (this.onPulled && Object.keys(changed).length > 0) await this.onPulled(changed, this.snapshot);
    // The cursors move only once what the pull brought is announced: a crash before (or a failed announcement)
    // pulls the same records again, and their events' keys make the second announcement a duplicate, not a loss.
    if (cursors.length > 0) await this.store.write(async (tx) => {
      for (const [entity, cursor] of cursors) await tx.setSyncCursor(entity, cursor);
    });
    return reports;
  }

  private async pull(entity: MasterEntity | ErpFeed, schema: z.ZodType, keep: boolean): Promise<{ report: SyncReport; records: unknown[]; incremental: boolean; cursor: string | null }> {
    const since = await this.store.syncCursor(entity);
    const records: unknown[] = [];
    let cursor: string | null = null;
    let received = 0;
    let rejected = 0;
    let newest = since ?? '';
    do {
      const query = new URLSearchParams({ limit: '1000' });
      if (since) query.set('updatedSince', since);
      if (cursor) query.set('cursor', cursor);
      const res = await request(`${this.url}/api/${entity}?${query}`, { headersTimeout: 15_000, bodyTimeout: 30_000 });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new EntityUnavailable(`ERP ${entity} pull answered HTTP ${res.statusCode}`);
      }
      const page = (await res.body.json()) as Page;
      const valid: { id: string; updatedAt: string; data: unknown }[] = [];
      for (const raw of page.data) {
        const parsed = schema.safeParse(raw) as z.ZodSafeParseResult<{ id: string; updatedAt: string }>;
        if (!parsed.success) {
          rejected++;
          this.log.warn({ entity, id: (raw as { id?: unknown })?.id, issues: parsed.error.issues.slice(0, 3) }, 'master record rejected');
          continue;
        }
        valid.push({ id: parsed.data.id, updatedAt: parsed.data.updatedAt, data: parsed.data });
        if (parsed.data.updatedAt > newest) newest = parsed.data.updatedAt;
      }
      if (keep) await this.store.write((tx) => tx.upsertMasterRecords(entity, valid));
      for (const v of valid) records.push(v.data);
      received += valid.length;
      cursor = page.nextCursor;
    } while (cursor);
    // The cursor moves only after the whole pull (and its announcement, see sync): a pull cut off halfway starts again.
    return { report: { entity, received, rejected }, records, incremental: since !== null, cursor: newest && newest !== since ? newest : null };
  }
}

/** The ERP answered, but not with this entity's records. */
class EntityUnavailable extends Error {}
