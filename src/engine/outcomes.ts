// Delivery outcomes are written in batches, one store job (one commit, one fsync) every few milliseconds. Unlike
// an inbound message, nobody waits for an outcome to be durable: one not yet written when the process dies is
// harmless, because the delivery is still unfinished in the store and is sent again with the same idempotency
// key. Committing every turn of the event loop instead cost a third of the hub's time in fsyncs under load.
import type { Logger } from 'pino';
import type { BusinessException, Delivery } from '../core/types.ts';
import type { DeliveryOutcome, Store, Tx } from '../store/store.ts';

/** A final outcome as the workflow engine takes it (see engine/workflows.ts). */
export interface FinalOutcome {
  deliveryId: string;
  status: 'delivered' | 'rejected' | 'dead';
  remoteRef: string | null;
  reason: string | null;
}
/** Runs in the outcomes' transaction; answers the deliveries it made. */
export type OutcomeHook = (tx: Tx, finals: FinalOutcome[], at: string) => Promise<Delivery[]>;

const FINAL = new Set(['delivered', 'rejected', 'dead']);

export class OutcomeWriter {
  private outcomes: DeliveryOutcome[] = [];
  private exceptions: BusinessException[] = [];
  private resolvedBy: string[] = [];
  private pending: Promise<void> | null = null;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly everyMs: number;
  private readonly hook: OutcomeHook | undefined;
  private readonly made: (deliveries: Delivery[]) => void;

  constructor(store: Store, log: Logger, hook?: OutcomeHook, made: (deliveries: Delivery[]) => void = () => {}, everyMs = 20) {
    this.store = store;
    this.log = log;
    this.hook = hook;
    this.made = made;
    this.everyMs = everyMs;
  }

  private later(): Promise<void> {
    return new Promise((resolve) => setTimeout(() => resolve(this.write()), this.everyMs));
  }

  /** `redelivered`: a replayed delivery that now landed; its open rejection exception is resolved. */
  add(outcome: DeliveryOutcome, exception: BusinessException | null, redelivered: string | null): void {
    this.outcomes.push(outcome);
    if (exception) this.exceptions.push(exception);
    if (redelivered) this.resolvedBy.push(redelivered);
    if (!this.pending) this.pending = this.later();
  }

  async flush(): Promise<void> {
    while (this.pending) await this.pending;
  }

  private async write(): Promise<void> {
    const outcomes = this.outcomes;
    const exceptions = this.exceptions;
    const redelivered = this.resolvedBy;
    this.outcomes = [];
    this.exceptions = [];
    this.resolvedBy = [];
    try {
      const made = await this.store.write(async (tx) => {
        const at = new Date().toISOString();
        await tx.recordOutcomes(outcomes);
        for (const x of exceptions) await tx.insertException(x);
        if (redelivered.length > 0) await tx.resolveDeliveryExceptions(redelivered, 'delivered on redelivery', at);
        if (!this.hook) return [];
        const finals = outcomes.filter((o) => FINAL.has(o.status)).map((o) => ({
          deliveryId: o.deliveryId, status: o.status as FinalOutcome['status'], remoteRef: o.remoteRef ?? null, reason: o.lastError,
        }));
        return this.hook(tx, finals, at);
      });
      if (made.length > 0) this.made(made);
    } catch (error) {
      this.log.error({ err: error, outcomes: outcomes.length }, 'could not record delivery outcomes; they will be sent again after restart');
    } finally {
      this.pending = this.outcomes.length > 0 ? this.later() : null;
    }
  }
}
