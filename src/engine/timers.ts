// Durable workflow timers: a timer is a row (workflow_timers) written with the step that set it; this loop fires
// what is due. Firing takes the row and runs the instance's step in one transaction, so a timer fires once, and a
// crash before commit leaves the row to fire after restart. The loop sleeps until the earliest due time (at most
// `pollMs`, so a timer set by another node or a clock jump is not missed) and fires in batches, each one commit.
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Delivery } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import type { Committed, WorkflowEngine } from './workflows.ts';

export interface TimerLoopDeps {
  store: Store;
  engine: () => WorkflowEngine;
  log: Logger;
  /** The deliveries the fired steps made: the dispatcher's. */
  onCommitted: (deliveries: Delivery[]) => void;
  clock?: Clock;
  pollMs?: number;
  batch?: number;
}

export function startTimerLoop(deps: TimerLoopDeps) {
  const clock = deps.clock ?? systemClock;
  const pollMs = deps.pollMs ?? 1000;
  const batch = deps.batch ?? 1000;
  let wake: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const out: Committed = { deliveries: [], events: [] };
      const n = await deps.store.write((tx) => deps.engine().fireTimers(tx, clock.now(), batch, out));
      if (out.deliveries.length > 0) deps.onCommitted(out.deliveries);
      fired += n;
      if (n < batch || stopped) return fired;
    }
  }

  async function tick(): Promise<void> {
    wake = null;
    try {
      await fireDue();
    } catch (error) {
      deps.log.error({ err: error }, 'firing workflow timers failed; trying again shortly');
    }
    if (stopped) return;
    const next = await deps.store.nextTimerDue().catch(() => null);
    const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - clock.now()));
    wake = setTimeout(() => void (running = tick()), wait);
  }

  running = tick();
  return {
    /** Fires what is due now and waits for it (tests with a controlled clock). */
    fireDue,
    async stop(): Promise<void> {
      stopped = true;
      if (wake) clearTimeout(wake);
      await running;
    },
  };
}

export type TimerLoop = ReturnType<typeof startTimerLoop>;
