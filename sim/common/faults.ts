// Fault injection, as pure data and a pure decision function. The HTTP gate (http.ts) asks `decideFault`
// what to do with each request before the router sees it, so a faulty sim costs nothing extra when healthy.
import { z } from 'zod';

export type FaultState = {
  /** Every non-/_sim request gets its socket destroyed: looks like a dead server to the client. */
  down: boolean;
  /** Fraction (0..1) of non-/_sim requests answered with `errorStatus` instead of being handled. */
  errorRate: number;
  errorStatus: number;
  /** When set, the injected error carries `Retry-After: <seconds>`. */
  retryAfterSeconds: number | null;
  /** Delay before every non-/_sim request is handled (or failed). */
  latencyMs: number;
};

export const NO_FAULTS: FaultState = Object.freeze({
  down: false,
  errorRate: 0,
  errorStatus: 503,
  retryAfterSeconds: null,
  latencyMs: 0,
});

/** One sim's live fault state, set by POST /_sim/faults and read by each of its listeners (HTTP, billing's MLLP). */
export type FaultSwitch = { state: FaultState };

export const faultPatchSchema = z
  .object({
    down: z.boolean().optional(),
    errorRate: z.number().min(0).max(1).optional(),
    errorStatus: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).nullable().optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    reset: z.literal(true).optional(),
  })
  .strict();

export type FaultPatch = z.infer<typeof faultPatchSchema>;

/** `reset` clears everything first, so `{ reset: true, down: true }` means "only down". */
export function applyFaultPatch(state: FaultState, patch: FaultPatch): FaultState {
  const base = patch.reset ? NO_FAULTS : state;
  return {
    down: patch.down ?? base.down,
    errorRate: patch.errorRate ?? base.errorRate,
    errorStatus: patch.errorStatus ?? base.errorStatus,
    retryAfterSeconds: patch.retryAfterSeconds === undefined ? base.retryAfterSeconds : patch.retryAfterSeconds,
    latencyMs: patch.latencyMs ?? base.latencyMs,
  };
}

export type FaultDecision =
  | { action: 'pass'; delayMs: number }
  | { action: 'reset' }
  | { action: 'error'; delayMs: number; status: number; retryAfterSeconds: number | null };

/** The control plane stays reachable whatever the faults, so a test can always heal the sim. */
export function isControlPath(url: string): boolean {
  return url === '/_sim' || url.startsWith('/_sim/') || url.startsWith('/_sim?');
}

/** `random` is a draw in [0,1) supplied by the caller (seeded), keeping this function pure. */
export function decideFault(state: FaultState, url: string, random: number): FaultDecision {
  if (isControlPath(url)) return { action: 'pass', delayMs: 0 };
  if (state.down) return { action: 'reset' };
  if (state.errorRate > 0 && random < state.errorRate) {
    return {
      action: 'error',
      delayMs: state.latencyMs,
      status: state.errorStatus,
      retryAfterSeconds: state.retryAfterSeconds,
    };
  }
  return { action: 'pass', delayMs: state.latencyMs };
}
