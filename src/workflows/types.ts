// The workflow vocabulary. A workflow is a pure reducer (state, input) → (state, effects) per business key; the
// engine (engine/workflows.ts) persists the input, the new state and the effects in one transaction and carries
// the effects out. Reducers never read the clock, draw random numbers or make ids: time comes from the input
// (`at`), ids from the key and the step number, master data from the flow that signalled the input. That is what
// makes a stored history replay to the same state (see replay.ts and the determinism test).
import type { DestinationRole, FlowEvent } from '../flows/plan.ts';
import type { EventType } from '../model/events.ts';
import type { ProcessExceptionCategory } from '../model/exceptions.ts';

/**
 * An event as a workflow sees it: as flows see it (canonical, PHI tokenised), except that `id` is the first
 * revision's: a reprocessed revision is the same event, corrected, and `revision` counts up.
 */
export type WorkflowEvent = Omit<FlowEvent, 'revisionOf'> & { revision: number };

export type OutcomeStatus = 'delivered' | 'rejected' | 'dead' | 'unrouted';

export type WorkflowInput =
  /** An event a flow signalled, with what the flow looked up in master data for this workflow (`data`). */
  | { kind: 'event'; at: string; event: WorkflowEvent; data: Record<string, unknown> }
  | { kind: 'timer'; at: string; name: string }
  /** A person's answer through the API; `exceptionId` is the process exception it answers, if any. */
  | { kind: 'decision'; at: string; decision: string; actor: string; reason: string | null; exceptionId: string | null; data: Record<string, unknown> }
  /** What became of a delivery this workflow named: `unrouted` when no destination serves it. */
  | { kind: 'outcome'; at: string; name: string; status: OutcomeStatus; remoteRef: string | null; reason: string | null }
  /** A message from another workflow instance (a requisition's approved line to the order that gathers it). */
  | { kind: 'signal'; at: string; name: string; from: { type: string; key: string }; data: Record<string, unknown> };

/** Where a signal goes: an instance by key, or by one of its refs; `start` creates it under that key if absent. */
export type SignalTarget = { type: string; key: string } | { type: string; ref: string; start?: string };

export type Effect =
  /** A delivery of the instance's origin event; named ones report their outcome back as an input. */
  | { kind: 'deliver'; name?: string; role: DestinationRole; action: string; partitionKey: string; body: Record<string, unknown>;
    /** Only to the destination named after this source system (status updates go back to the system that asked). */
    replyTo?: string }
  /** Reverse the named delivery (a cancelling 850, the ERP's PO cancelled). */
  | { kind: 'reverse'; name: string }
  /** A new canonical event, run through its flow like any other (a receipt from a ship notice). */
  | { kind: 'emit'; type: EventType; idempotencyKey: string; facility: string; occurredAt: string; payload: Record<string, unknown> }
  | { kind: 'timer'; name: string; at: string }
  | { kind: 'cancelTimer'; name: string }
  /** A process exception pointing at this instance, answered by a decision. */
  | { kind: 'raise'; category: ProcessExceptionCategory; message: string; detail: Record<string, unknown>; decisions: string[] }
  /** Close this instance's open exceptions of a category (the late 855 arrived after all). */
  | { kind: 'resolve'; category: ProcessExceptionCategory; resolution: string }
  | { kind: 'signal'; to: SignalTarget; name: string; data: Record<string, unknown> }
  /** A replenishment requisition that ends without stock (rejected, cancelled): the location may reorder again. */
  | { kind: 'reopenReplenishment'; location: string; itemId: string }
  | { kind: 'bind'; ref: string }
  | { kind: 'unbind'; ref: string };

export type WorkflowStatus = 'running' | 'completed' | 'cancelled';

export interface Step<S> {
  state: S;
  status: WorkflowStatus;
  /** Where the instance is, in the workflow's own words (listed and filtered by the API). */
  stage: string;
  effects: Effect[];
}

/** What the reducer may know beyond state and input: who it is and which step this is (for derived ids). */
export interface StepContext {
  type: string;
  key: string;
  seq: number;
}

export interface WorkflowDefinition<S = unknown> {
  type: string;
  version: number;
  /** The state before the first input; settings are copied in, so a replay does not depend on today's configuration. */
  initial(key: string, settings: WorkflowSettings): S;
  reduce(state: S, input: WorkflowInput, ctx: StepContext): Step<S>;
  /** The decisions a person may take on this instance now (shown by the API and the workbench). */
  decisions(state: S): string[];
  /** Why an allowed decision cannot be taken as asked (it names nothing, or something that is not waiting), if so. */
  refuse?(state: S, decision: string, data: Record<string, unknown>): string | null;
}

/** Business settings of a facility that workflows take at start (thresholds in the configuration). */
export interface WorkflowSettings {
  /** Requisitions at or under this amount are approved without a person. */
  autoApproveLimit: number;
  /** Routine lines for one supplier gather this long before the PO goes; emergencies go at once. */
  consolidationMinutes: number;
  /** No 855 within this → supplier_ack_late. */
  supplierAckHours: number;
  /** 855 or invoice price further than this from the PO price → an exception. */
  priceVariancePercent: number;
  /** Invoice line amount may differ from PO price × received quantity by this much (percent, then absolute). */
  matchTolerancePercent: number;
  matchToleranceAmount: number;
  /** An invoice waiting for its goods is matched when they arrive, or reported after this. */
  invoiceWaitHours: number;
  /** A ship notice is also the goods receipt (no separate dock receipt is expected). */
  receiveOnShipNotice: boolean;
  /** A chargeable use without a charge billing took within this → charge_missing. */
  chargeSlaHours: number;
}

/** A due time: `hours` after an input's time (reducers never read the clock: time comes from the input). */
export const hoursAfter = (at: string, hours: number): string => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

export const DEFAULT_WORKFLOW_SETTINGS: WorkflowSettings = {
  autoApproveLimit: 5000,
  consolidationMinutes: 0,
  supplierAckHours: 24,
  priceVariancePercent: 2,
  matchTolerancePercent: 2,
  matchToleranceAmount: 5,
  invoiceWaitHours: 72,
  receiveOnShipNotice: true,
  chargeSlaHours: 24,
};
