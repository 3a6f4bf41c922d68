// The ERP's FHIR door: a SupplyRequest at POST /fhir/SupplyRequest becomes the same requisition body as POST
// /requisitions and goes through the same checks and numbering (checkEffect / recordEffect); setting it to
// entered-in-error cancels the requisition as POST /requisitions/{id}/reversal does (only while it is open).
// The item is the coding in Tendon's item system, the location the deliverTo Location (by identifier or id).
import type { FastifyInstance } from 'fastify';
import { checkEffect, recordEffect, reverseEffect, type EffectSpec } from '../common/effects.ts';
import { fhirDoor, type FhirResource } from '../common/fhir.ts';
import { refuse } from '../common/problem.ts';
import type { SimStore } from '../common/store.ts';
import { keyedRequisitionSchema, type Requisition } from './schemas.ts';

const ITEM = 'urn:tendon:item';
// FHIR's request priorities → the ERP's: stat is an emergency, asap as urgent as urgent.
const PRIORITY: Record<string, string> = { routine: 'routine', urgent: 'urgent', asap: 'urgent', stat: 'emergency' };

const SOURCE: Record<string, string> = {
  locationId: 'SupplyRequest.deliverTo', itemId: 'SupplyRequest.itemCodeableConcept.coding', quantity: 'SupplyRequest.quantity.value',
  uom: 'SupplyRequest.quantity.unit', priority: 'SupplyRequest.priority',
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A SupplyRequest → the requisition body of the REST API, with `via: "fhir"` and its identifier as the reference. */
export function requisitionOf(sr: FhirResource, key: string): Record<string, unknown> {
  const deliverTo = obj(sr.deliverTo);
  const codings = (Array.isArray(obj(sr.itemCodeableConcept).coding) ? obj(sr.itemCodeableConcept).coding : []) as { system?: string; code?: string }[];
  const quantity = obj(sr.quantity);
  return {
    locationId: text(obj(deliverTo.identifier).value) ?? text(deliverTo.reference)?.replace(/^Location\//, '') ?? '',
    itemId: codings.find((c) => c.system === ITEM)?.code ?? '',
    quantity: quantity.value,
    uom: text(quantity.unit) ?? text(quantity.code) ?? '',
    priority: PRIORITY[text(sr.priority) ?? 'routine'] ?? sr.priority,
    reference: { deliveryId: key, eventId: null, correlationId: null },
    via: 'fhir',
  };
}

export function erpFhirDoor(app: FastifyInstance, store: SimStore, requisitions: EffectSpec<Requisition>): void {
  fhirDoor(app, store, '/fhir', {
    type: 'SupplyRequest',
    book(sr, key) {
      if (sr.status !== undefined && sr.status !== 'active') throw refuse(`the ERP takes active supply requests; this one is ${String(sr.status)}`);
      return String(recordEffect(store, requisitions, checkEffect(requisitions, requisitionOf(sr, key), keyedRequisitionSchema), key).id);
    },
    withdraw(id, key) {
      reverseEffect(store, requisitions, id, key, { via: 'fhir', status: 'entered-in-error' });
    },
    expressionOf: (field) => SOURCE[field],
  });
}
