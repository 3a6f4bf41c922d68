// Charge follow-up: a chargeable use of a supply on a patient account must end as a charge billing took. Keyed by
// the use (its first revision's id). When Tendon posts the charge itself, the billing delivery's outcome comes back
// here: taken → charged; refused (a closed account, a missing MRN) → charge_rejected for revenue cycle. When no
// billing destination serves the facility, the charge is expected from another charge source (an EHR charge
// router) as charge.posted on the same account and item; none within the SLA → charge_missing. A person answers
// either with a decision: `resolved` (fixed and charged in billing), `write-off`, or `wait` (another SLA period).
import { chargeRef } from '../flows/charges.ts';
import { hoursAfter, type Step, type WorkflowDefinition, type WorkflowInput, type WorkflowSettings } from './types.ts';

export const CHARGE = 'charge';

/** What the use's flow tells the workflow (see flows/supply.ts). */
export interface ChargeableUse {
  facility: string;
  account: string;
  itemId: string;
  chargeCode: string;
  quantity: number;
  serviceDate: string;
  /** How many billing deliveries the use's charge went out as (0: no billing destination serves the facility). */
  routed: number;
}

export interface ChargeState {
  settings: WorkflowSettings;
  use: ChargeableUse | null;
  phase: 'new' | 'posting' | 'awaiting-charge' | 'rejected' | 'missing' | 'charged' | 'written-off';
  reason: string | null;
}


export const chargeWorkflow: WorkflowDefinition<ChargeState> = {
  type: CHARGE,
  version: 1,
  initial: (_key, settings) => ({ settings, use: null, phase: 'new', reason: null }),
  decisions: (s) => (s.phase === 'rejected' ? ['resolved', 'write-off'] : s.phase === 'missing' ? ['resolved', 'write-off', 'wait'] : []),
  reduce(s, input) {
    switch (input.kind) {
      case 'event': return input.event.type === 'supply.used' ? used(s, input) : charged(s, 'a charge for the use arrived from another source');
      case 'outcome': return input.name === 'charge.post' ? outcome(s, input) : step(s, []);
      case 'timer': return input.name === 'charge-due' && (s.phase === 'awaiting-charge' || s.phase === 'posting') ? missing(s) : step(s, []);
      case 'decision': return decided(s, input);
      default: return step(s, []);
    }
  },
};

function used(s: ChargeState, input: Extract<WorkflowInput, { kind: 'event' }>): Step<ChargeState> {
  if (s.use) return step(s, []); // the same use again (a reprocessed revision)
  const use = input.data as unknown as ChargeableUse;
  // Tendon posts the charge itself: its delivery's outcome is all that is needed (a delivery that never lands ends
  // dead, which is an outcome too). This is every chargeable use of a busy hub, so it costs nothing more.
  if (use.routed > 0) return step({ ...s, use, phase: 'posting' }, []);
  const due = hoursAfter(input.at, s.settings.chargeSlaHours);
  return step({ ...s, use, phase: 'awaiting-charge' }, [
    { kind: 'bind', ref: chargeRef(use.facility, use.account, use.itemId) },
    { kind: 'timer', name: 'charge-due', at: due },
  ]);
}

function outcome(s: ChargeState, o: Extract<WorkflowInput, { kind: 'outcome' }>): Step<ChargeState> {
  if (o.status === 'delivered') return charged(s, 'billing took the charge');
  if (o.status === 'unrouted') return step({ ...s, phase: 'awaiting-charge' }, []);
  const reason = o.reason ?? `the charge ended ${o.status}`;
  return step({ ...s, phase: 'rejected', reason }, [
    { kind: 'cancelTimer', name: 'charge-due' },
    {
      kind: 'raise', category: 'charge_rejected', decisions: ['resolved', 'write-off'],
      message: `billing refused the charge for ${s.use?.itemId} on account ${s.use?.account}: ${reason}`, detail: { ...s.use, reason },
    },
  ]);
}

function missing(s: ChargeState): Step<ChargeState> {
  return step({ ...s, phase: 'missing' }, [{
    kind: 'raise', category: 'charge_missing', decisions: ['resolved', 'write-off', 'wait'],
    message: `no charge for ${s.use?.itemId} on account ${s.use?.account} within ${s.settings.chargeSlaHours} h of its use`, detail: { ...s.use },
  }]);
}

function charged(s: ChargeState, why: string): Step<ChargeState> {
  if (s.phase === 'charged' || s.phase === 'written-off') return step(s, []);
  // Only what was set or raised is undone: the common case (posted, taken) writes nothing more than its step.
  const undo: Step<ChargeState>['effects'] = s.phase === 'posting' ? [] : [
    { kind: 'cancelTimer', name: 'charge-due' },
    ...(s.phase === 'missing' ? [{ kind: 'resolve', category: 'charge_missing', resolution: why } as const] : []),
    ...(s.phase === 'rejected' ? [{ kind: 'resolve', category: 'charge_rejected', resolution: why } as const] : []),
  ];
  return step({ ...s, phase: 'charged', reason: why }, undo);
}

function decided(s: ChargeState, d: Extract<WorkflowInput, { kind: 'decision' }>): Step<ChargeState> {
  if (d.decision === 'resolved') return charged(s, d.reason ?? `charged in billing (${d.actor})`);
  if (d.decision === 'write-off') return step({ ...s, phase: 'written-off', reason: d.reason ?? `written off by ${d.actor}` }, [{ kind: 'cancelTimer', name: 'charge-due' }]);
  if (d.decision === 'wait') {
    const due = hoursAfter(d.at, s.settings.chargeSlaHours);
    return step({ ...s, phase: 'awaiting-charge' }, [{ kind: 'timer', name: 'charge-due', at: due }]);
  }
  return step(s, []);
}

function step(s: ChargeState, effects: Step<ChargeState>['effects']): Step<ChargeState> {
  const done = s.phase === 'charged' || s.phase === 'written-off';
  return { state: s, status: done ? 'completed' : 'running', stage: s.phase, effects };
}
