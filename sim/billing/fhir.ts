// Billing's FHIR door: a ChargeItem at POST /fhir/ChargeItem becomes the same charge body as POST /charges (or, with
// a negative quantity, the offsetting credit as POST /credits) and goes through the same checks and ledger
// (checkEffect / recordEffect); setting it to entered-in-error is the same reversal as POST /charges/{id}/reversal.
// The sim reads ChargeItems the way a billing system set up for Tendon's profile would: the charge code is the
// coding without a known system, the HCPCS/CPT and NUBC revenue codes are codings with theirs, the MRN is the
// subject's identifier typed MR, and the item, lot and serial come from the product.
import Big from 'big.js';
import { checkEffect, recordEffect, reverseEffect } from '../common/effects.ts';
import { fhirDoor, type FhirResource } from '../common/fhir.ts';
import { refuse } from '../common/problem.ts';
import { keyedChargeSchema, keyedCreditSchema } from './accounts.ts';
import type { BillingSim } from './server.ts';

const BILLING_CODE_SYSTEMS = new Set([
  'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  'urn:oid:2.16.840.1.113883.6.285', 'http://www.ama-assn.org/go/cpt', 'urn:oid:2.16.840.1.113883.6.12',
]);
const REVENUE_CODES = 'https://www.nubc.org/CodeSystem/RevenueCodes';
const ITEM = 'urn:tendon:item';
const FACILITY = 'urn:tendon:extension:facility';

/** Where each charge field is read from, for the expression of a 400. */
const SOURCE: Record<string, string> = {
  account: 'ChargeItem.account[0].identifier.value', patient: 'ChargeItem.subject.identifier', facilityId: `ChargeItem.extension('${FACILITY}')`,
  chargeCode: 'ChargeItem.code.coding', revenueCode: 'ChargeItem.code.coding', hcpcs: 'ChargeItem.code.coding',
  quantity: 'ChargeItem.quantity.value', unitPrice: 'ChargeItem.priceOverride', serviceDate: 'ChargeItem.occurrenceDateTime',
  itemId: 'ChargeItem.product', lot: 'ChargeItem.contained.lotNumber', serial: 'ChargeItem.contained.serialNumber',
  performer: 'ChargeItem.performer[0].actor.identifier.value', reason: 'ChargeItem.note[0].text',
};

type Coding = { system?: string; code?: string };
type Identifier = { system?: string; value?: string; type?: { coding?: Coding[] } };
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const orNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The MRN: the subject's identifier typed MR. A pseudonym (Tendon's token) is no MRN, and billing refuses without one. */
function mrnOf(ci: FhirResource): string | null {
  const id = obj(obj(ci.subject).identifier) as Identifier;
  return id.type?.coding?.some((c) => c.code === 'MR') ? orNull(id.value) : null;
}

/** priceOverride is the line's total (R4): the ledger keeps the unit price, as the REST and HL7 doors do. */
function unitPriceOf(ci: FhirResource, quantity: unknown): string | undefined {
  const total = obj(ci.priceOverride).value;
  if (typeof total !== 'number' || typeof quantity !== 'number' || quantity === 0) return undefined;
  const unit = new Big(total).div(quantity);
  return unit.eq(unit.round(2)) ? unit.toFixed(2) : unit.toString();
}

/** The item, lot and serial: a contained Device named by productReference, or a productCodeableConcept. */
function productOf(ci: FhirResource): { itemId: string | null; lot: string | null; serial: string | null } {
  const local = orNull(obj(ci.productReference).reference)?.replace(/^#/, '');
  const device = obj(list(ci.contained).find((r) => obj(r).resourceType === 'Device' && obj(r).id === local));
  const codings = list(obj(device.type ?? ci.productCodeableConcept).coding) as Coding[];
  return { itemId: orNull(codings.find((c) => c.system === ITEM)?.code), lot: orNull(device.lotNumber), serial: orNull(device.serialNumber) };
}

/** A ChargeItem → the charge or credit body of the REST API, with `via: "fhir"` and its identifier as the reference. */
export function chargeLine(ci: FhirResource, key: string): { kind: 'charge' | 'credit'; body: Record<string, unknown> } {
  const codings = list(obj(ci.code).coding) as Coding[];
  const quantity = obj(ci.quantity).value;
  const occurrence = orNull(ci.occurrenceDateTime);
  const common = {
    account: orNull(obj((list(ci.account)[0] as Record<string, unknown> | undefined)?.identifier).value) ?? '',
    patient: { mrn: mrnOf(ci) },
    facilityId: orNull(obj(list(ci.extension).find((e) => obj(e).url === FACILITY)).valueCode) ?? '',
    chargeCode: codings.find((c) => !BILLING_CODE_SYSTEMS.has(c.system ?? '') && c.system !== REVENUE_CODES)?.code ?? '',
    serviceDate: occurrence && /^\d{4}-\d{2}-\d{2}/.test(occurrence) ? occurrence.slice(0, 10) : occurrence,
    reference: { deliveryId: key, eventId: null, correlationId: null },
    via: 'fhir',
  };
  if (typeof quantity === 'number' && quantity < 0) {
    return { kind: 'credit', body: { ...common, quantity: -quantity, reason: orNull(obj(list(ci.note)[0]).text) } };
  }
  const product = productOf(ci);
  return {
    kind: 'charge',
    body: {
      ...common,
      revenueCode: codings.find((c) => c.system === REVENUE_CODES)?.code,
      hcpcs: codings.find((c) => BILLING_CODE_SYSTEMS.has(c.system ?? ''))?.code ?? null,
      quantity,
      unitPrice: unitPriceOf(ci, quantity),
      itemId: product.itemId ?? '',
      lot: product.lot,
      serial: product.serial,
      performer: orNull(obj(obj(obj(list(ci.performer)[0]).actor).identifier).value),
    },
  };
}

export function billingFhirDoor(sim: BillingSim): void {
  fhirDoor(sim.app, sim.store, '/fhir', {
    type: 'ChargeItem',
    book(ci, key) {
      if (ci.status !== 'billable') throw refuse(`billing books billable charge items; this one is ${String(ci.status)}`);
      const line = chargeLine(ci, key);
      const booked = line.kind === 'charge'
        ? recordEffect(sim.store, sim.charges, checkEffect(sim.charges, line.body, keyedChargeSchema), key)
        : recordEffect(sim.store, sim.credits, checkEffect(sim.credits, line.body, keyedCreditSchema), key);
      return String(booked.id);
    },
    withdraw(id, key) {
      const withdrawal = { via: 'fhir', status: 'entered-in-error' };
      if (id.startsWith(`${sim.credits.prefix}-`)) reverseEffect(sim.store, sim.credits, id, key, withdrawal);
      else reverseEffect(sim.store, sim.charges, id, key, withdrawal);
    },
    expressionOf: (field) => SOURCE[field],
  });
}
