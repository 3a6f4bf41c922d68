// What a flow decides for one event. A flow is a pure function (event, master data) → Plan; the engine carries
// the plan out in one transaction (events, deliveries, exceptions, stock) and the dispatcher sends it.
import type { Priority } from '../core/types.ts';
import type { ParLevel } from '../model/masterdata.ts';
import type { Problem } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';

/**
 * The kinds of system a flow delivers to; configuration maps each role to named destinations (see routes). A
 * `clinical` destination (the EHR, a cabinet system) keeps a copy of the item master. An `analytics` destination
 * receives every accepted canonical event as it is (the stream for other consumers). A `procurement` destination (a
 * requisitioning tool) is sent the status of the requisitions it submitted.
 */
export const ROLES = ['erp', 'inventory', 'billing', 'supplier', 'clinical', 'analytics', 'procurement'] as const;
export type DestinationRole = (typeof ROLES)[number];

export interface PlannedDelivery {
  role: DestinationRole;
  action: string; // e.g. "inventory.issue", "stock.decrement", "charge.post"
  partitionKey: string; // order is kept per (destination, partitionKey)
  body: Record<string, unknown>;
}

export interface Plan {
  partitionKey: string;
  priority: Priority;
  /** Data problems: when any, the event is held and nothing else in the plan happens. */
  problems: Problem[];
  deliveries: PlannedDelivery[];
  stock?: { location: string; itemId: string; delta?: number; set?: number };
  /** When set, the engine checks replenishment against this par level after applying `stock`. */
  replenish?: ParLevel;
  closeRequisition?: { location: string; itemId: string };
  /** A master record this event offers to Tendon's master data (the ERP's own records are never overwritten). */
  master?: { entity: 'items'; record: { id: string; updatedAt: string; data: unknown } };
  /** A serialised item used (or, with release, returned): the engine holds a second use of the same serial. */
  serial?: { itemId: string; serial: string; release: boolean };
  /** Inputs for workflows: this event, with what the workflow needs from master data (it reads none itself). */
  signals?: WorkflowSignal[];
}

/**
 * An event for a workflow instance, named by its key (created when `start` is set and it does not exist yet) or by
 * a ref an instance bound (a PO number); an event for a ref nobody bound is recorded and goes no further.
 */
export type WorkflowSignal = { workflow: string; data: Record<string, unknown> }
  & ({ key: string; start: boolean; follow?: string; lazy?: boolean } | { ref: string });
// `follow`: the plan's deliveries of that action report their outcome to the instance (named after the action), and
// the instance is told how many there were (`data.routed`; 0 when no destination serves them). `lazy`: when there
// are such deliveries, the instance starts only if one of them fails (most land: they cost no instance).

/** The event as flows see it: canonical, PHI already tokenised. */
export interface FlowEvent {
  id: string;
  /** Set on a reprocessed revision: the first revision's id, which names the business fact across corrections. */
  revisionOf?: string | null;
  type: string;
  facility: string;
  occurredAt: string;
  sourceSystem: string;
  correlationId: string;
  payload: Record<string, unknown>;
}

/** The business settings of the event's facility that a flow may need (see thresholds in the configuration). */
export interface FlowSettings {
  priceVariancePercent?: number;
}

export type Flow = (event: FlowEvent, snapshot: Snapshot, settings?: FlowSettings) => Plan;

export const held = (partitionKey: string, priority: Priority, problems: Problem[]): Plan => ({
  partitionKey, priority, problems, deliveries: [],
});

/** Facility + location + item: stock movements of one item at one place stay in order. */
export const stockPartition = (facility: string, location: string, itemId: string): string => `${facility}|${location}|${itemId}`;
/** Charges and credits on one patient account stay in order (a credit never overtakes its charge). */
export const accountPartition = (facility: string, account: string): string => `${facility}|acct|${account}`;
