// Delivery outcomes are written in batches: every outcome of one turn of the event loop shares one store job
// (and so one commit). An outcome not yet written when the process dies is harmless: the delivery is still
// unfinished in the store and is sent again with the same idempotency key.
import type { Logger } from 'pino';
import type { BusinessException } from '../core/types.ts';
import type { DeliveryOutcome, Store } from '../store/store.ts';

export class OutcomeWriter {
  private outcomes: DeliveryOutcome[] = [];
  private exceptions: BusinessException[] = [];
  private resolvedBy: string[] = [];
  private pending: Promise<void> | null = null;
  private readonly store: Store;
  private readonly log: Logger;

  constructor(store: Store, log: Logger) {
    this.store = store;
    this.log = log;
  }

  /** `redelivered`: a replayed delivery that now landed; its open rejection exception is resolved. */
  add(outcome: DeliveryOutcome, exception: BusinessException | null, redelivered: string | null): void {
    this.outcomes.push(outcome);
    if (exception) this.exceptions.push(exception);
    if (redelivered) this.resolvedBy.push(redelivered);
    if (!this.pending) this.pending = new Promise((resolve) => setImmediate(() => resolve(this.write())));
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
      await this.store.write(async (tx) => {
        await tx.recordOutcomes(outcomes);
        for (const x of exceptions) await tx.insertException(x);
        if (redelivered.length > 0) await tx.resolveDeliveryExceptions(redelivered, 'delivered on redelivery', new Date().toISOString());
      });
    } catch (error) {
      this.log.error({ err: error, outcomes: outcomes.length }, 'could not record delivery outcomes; they will be sent again after restart');
    } finally {
      this.pending = this.outcomes.length > 0 ? new Promise((resolve) => setImmediate(() => resolve(this.write()))) : null;
    }
  }
}
