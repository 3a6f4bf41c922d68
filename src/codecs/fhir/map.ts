// Valid R4 resource → one canonical event:
//   SupplyDelivery, completed, with a patient    → supply.used     (an item went into a patient's care)
//   SupplyDelivery, completed, without a patient → stock.received  (a receipt into the destination par location)
//   SupplyRequest, active                         → requisition.created
//   ChargeItem, billable                          → charge.posted
// R4 has no resource for "consumed": the patient is the one element that says a delivery went into care, and a
// delivery to a Location without one is stock arriving there. Other statuses are not facts yet (in-progress, draft,
// planned) or are someone else's (billed), so they are 422 business-rule rather than guessed into an event.
// Whatever cannot be mapped is a 422 issue at its element; a mapped event still has to pass the canonical schema,
// and a failure there is pointed back at the FHIR element it came from.
import { createHash } from 'node:crypto';
import Big from 'big.js';
import type { ChargeItem, Procedure, Reference, SupplyDelivery, SupplyRequest } from './r4.ts';
import { InboundEvent, type EventType, type InboundEventT } from '../../model/events.ts';
import {
  at, businessKey, facilityOf, instant, itemOf, itemOfConcept, keyIdentifier, literal, locationOf, patientOf, problem, quantityOf, refCode,
  type MapContext,
} from './elements.ts';
import { issue } from './outcome.ts';
import { CPT_SYSTEMS, HCPCS_SYSTEMS, type FhirDecodeOptions, type FhirIssue, type SupportedResource } from './types.ts';

export type Mapped = { ok: true; event: InboundEventT } | { ok: false; issues: FhirIssue[] };

type Draft = { type: EventType; occurredAt: string | undefined; locationRef?: Reference | undefined; payload: Record<string, unknown> };

const usable = (status: string | undefined, wanted: string, ctx: MapContext, why: string) =>
  status === wanted || problem(ctx, 'business-rule', `status "${status}" is not an event Tendon records: ${why}`, 'status');

/** The surgery a use was part of (a contained Procedure): its encounter is the account a charge lands on. */
function procedureContext(ctx: MapContext, sd: SupplyDelivery) {
  const ref = sd.partOf?.find((r) => /^#|(^|\/)Procedure\//.test(literal(r) ?? ''));
  const p = ctx.resource.contained?.find((r): r is Procedure => r.resourceType === 'Procedure' && `#${r.id}` === literal(ref));
  const code = p?.code?.coding?.find((c) => c.system && CPT_SYSTEMS.has(c.system))?.code ?? p?.code?.coding?.[0]?.code;
  const surgeon = refCode(p?.performer?.[0]?.actor, 'Practitioner');
  return {
    encounter: refCode(p?.encounter, 'Encounter') ?? null,
    caseId: p?.identifier?.[0]?.value ?? refCode(ref, 'Procedure') ?? null,
    procedureCode: code ?? null,
    surgeon: surgeon ? { id: surgeon, name: p?.performer?.[0]?.actor?.display ?? null } : null,
  };
}

function supplyDelivery(ctx: MapContext, sd: SupplyDelivery): Draft {
  usable(sd.status, 'completed', ctx, 'only a completed delivery has happened (in-progress is a shipment on its way)');
  if (sd.occurrenceTiming) problem(ctx, 'not-supported', 'a delivery happens once: send occurrenceDateTime', 'occurrenceTiming');
  if (!sd.suppliedItem) problem(ctx, 'required', 'suppliedItem (the item and its quantity) is needed', 'suppliedItem');
  const supplied = sd.suppliedItem;
  const traced = supplied ? itemOf(ctx, supplied.itemCodeableConcept, supplied.itemReference, 'suppliedItem.item') : {};
  const common = {
    ...traced,
    quantity: supplied && quantityOf(ctx, supplied.quantity, 'suppliedItem.quantity'),
    location: locationOf(ctx, sd.destination, 'destination'),
  };
  const occurredAt = instant(ctx, 'occurredAt', [['occurrenceDateTime', sd.occurrenceDateTime], ['occurrencePeriod.start', sd.occurrencePeriod?.start]]);
  const draft = { occurredAt, locationRef: sd.destination };
  if (sd.patient) {
    return { ...draft, type: 'supply.used', payload: { ...common, patient: patientOf(ctx, sd.patient, 'patient'), ...procedureContext(ctx, sd) } };
  }
  ctx.sources.set('payload.requisitionNumber', 'basedOn');
  return { ...draft, type: 'stock.received', payload: { ...common, requisitionNumber: refCode(sd.basedOn?.[0], 'SupplyRequest') ?? null } };
}

// Tendon has three lanes; stat is the only FHIR priority that means "now", the critical lane.
const PRIORITY = { routine: 'routine', urgent: 'urgent', asap: 'urgent', stat: 'emergency' } as const;

function supplyRequest(ctx: MapContext, sr: SupplyRequest): Draft {
  usable(sr.status, 'active', ctx, 'only an active request is a requisition (a draft is not yet one)');
  const traced = itemOf(ctx, sr.itemCodeableConcept, sr.itemReference, 'item');
  const reason = sr.reasonCode?.[0];
  ctx.sources.set('payload.reason', 'reasonCode');
  ctx.sources.set('payload.requisitionNumber', 'identifier');
  return {
    type: 'requisition.created',
    // The fact is the request being made (authoredOn); occurrence[x] is when the goods are wanted.
    occurredAt: instant(ctx, 'occurredAt', [['authoredOn', sr.authoredOn]]),
    locationRef: sr.deliverTo,
    payload: {
      item: traced.item,
      quantity: quantityOf(ctx, sr.quantity, 'quantity'),
      location: locationOf(ctx, sr.deliverTo, 'deliverTo'),
      priority: PRIORITY[sr.priority ?? 'routine'] ?? 'routine',
      reason: reason?.text ?? reason?.coding?.[0]?.display ?? reason?.coding?.[0]?.code ?? null,
      requisitionNumber: keyIdentifier(sr)?.value ?? null,
    },
  };
}

const isBillingCode = (system: string | undefined) => !!system && (CPT_SYSTEMS.has(system) || HCPCS_SYSTEMS.has(system));

/** priceOverride is the charge's total (R4); the event carries the unit price, so it is divided back, exactly. */
function unitPrice(ctx: MapContext, ci: ChargeItem, quantity: number | undefined) {
  ctx.sources.set('payload.unitPrice', 'priceOverride');
  const money = ci.priceOverride;
  if (typeof money?.value !== 'number') return problem(ctx, 'required', 'priceOverride (the charge amount) is needed', 'priceOverride');
  if (!quantity || quantity <= 0) return undefined; // the quantity's own issue says why
  const unit = new Big(money.value).div(quantity);
  if (!unit.eq(unit.round(4))) {
    return problem(ctx, 'value', `priceOverride ${money.value} does not divide into ${quantity} equal unit prices`, 'priceOverride');
  }
  // Money without a currency is the US hub's dollars, as on the HL7 side.
  return { amount: unit.toFixed(unit.eq(unit.round(2)) ? 2 : 4), currency: money.currency ?? 'USD' };
}

function chargeItem(ctx: MapContext, ci: ChargeItem): Draft {
  usable(ci.status, 'billable', ctx, 'only a billable item is a charge to post');
  const codings = ci.code.coding?.filter((c) => c.code) ?? [];
  ctx.sources.set('payload.chargeCode', 'code.coding');
  ctx.sources.set('payload.hcpcs', 'code.coding');
  ctx.sources.set('payload.account', ci.account?.length ? 'account' : 'context');
  ctx.sources.set('payload.serviceDate', 'occurrence');
  // A chargemaster code is the hospital's own; a CPT/HCPCS coding beside it is what the claim reports.
  const chargeCode = (codings.find((c) => !isBillingCode(c.system)) ?? codings[0])?.code;
  const quantity = ci.quantity ? quantityOf(ctx, ci.quantity, 'quantity') : { value: 1, unit: 'EA' };
  const account = refCode(ci.account?.[0], 'Account') ?? refCode(ci.context, 'Encounter') ?? refCode(ci.context, 'EpisodeOfCare');
  const subjectIsPatient = !literal(ci.subject) || /(^|\/)Patient\/|^#/.test(literal(ci.subject)!);
  const performer = refCode(ci.performer?.[0]?.actor, 'Practitioner');
  const service = ci.occurrenceDateTime ?? ci.occurrencePeriod?.start ?? ci.enteredDate;
  const product = { ...ctx, issues: [] as FhirIssue[] }; // the product is extra detail: a bad one never blocks the charge
  const item = ci.productCodeableConcept ? itemOfConcept(product, ci.productCodeableConcept, 'productCodeableConcept')
    : ci.productReference ? itemOf(product, undefined, ci.productReference, 'product').item : undefined;
  const occurredAt = instant(ctx, 'occurredAt', [
    ['occurrenceDateTime', ci.occurrenceDateTime], ['occurrencePeriod.start', ci.occurrencePeriod?.start], ['enteredDate', ci.enteredDate],
  ]);
  return {
    type: 'charge.posted',
    occurredAt,
    payload: {
      account: account ?? problem(ctx, 'required', 'the patient account is needed: account[0], or context (the Encounter)', 'account'),
      patient: subjectIsPatient
        ? patientOf(ctx, ci.subject, 'subject')
        : problem(ctx, 'not-supported', 'a charge is for one Patient, not a Group', 'subject'),
      chargeCode: chargeCode ?? problem(ctx, 'required', 'a charge code (code.coding[].code) is needed', 'code'),
      hcpcs: codings.find((c) => isBillingCode(c.system))?.code ?? null,
      quantity,
      unitPrice: unitPrice(ctx, ci, quantity?.value),
      serviceDate: service && /^\d{4}-\d{2}-\d{2}/.test(service)
        ? service.slice(0, 10)
        : problem(ctx, 'required', 'a date of service (occurrence[x]) is needed', 'occurrence'),
      ...(item ? { item } : {}),
      performer: performer ? { id: performer, name: ci.performer?.[0]?.actor.display ?? null } : null,
    },
  };
}

/** The event field a canonical-schema failure names → the element it came from (the longest known prefix). */
function elementOf(ctx: MapContext, path: PropertyKey[]): string {
  for (let n = path.length; n > 0; n--) {
    const source = ctx.sources.get(path.slice(0, n).join('.'));
    if (source) return at(ctx, source);
  }
  return ctx.base;
}

/**
 * Scoped by resource type: senders reuse one number for a request and its delivery (the R4 examples do). A key
 * longer than the canonical 128 characters (long identifier systems) is replaced by its SHA-256, still stable.
 */
function idempotencyKey(type: string, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const full = `${type}/${key}`;
  return full.length <= 128 ? full : `${type}/sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function mapResource(base: string, resource: SupportedResource, options: FhirDecodeOptions): Mapped {
  const ctx: MapContext = { base, resource, issues: [], sources: new Map() };
  const draft = resource.resourceType === 'SupplyDelivery' ? supplyDelivery(ctx, resource)
    : resource.resourceType === 'SupplyRequest' ? supplyRequest(ctx, resource)
    : chargeItem(ctx, resource);
  const key = businessKey(ctx);
  const facility = facilityOf(ctx, draft.locationRef, options);
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const parsed = InboundEvent.safeParse({
    type: draft.type,
    idempotencyKey: idempotencyKey(resource.resourceType, key),
    occurredAt: draft.occurredAt,
    facility,
    source: { system: options.sourceSystem },
    payload: draft.payload,
  });
  if (parsed.success) return { ok: true, event: parsed.data as InboundEventT };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => issue('value', `${i.message} (Tendon's ${draft.type} field ${i.path.join('.')})`, [elementOf(ctx, i.path)])),
  };
}
