// charge.posted and charge.credited from another charge source (an EHR charge router, a lab): passed to billing in
// order per patient account. Tendon does not price these; the sender did.
import { PRIORITIES } from '../core/types.ts';
import type { ChargeCreditedPayload, ChargePostedPayload } from '../model/events.ts';
import { resolveItem } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import { accountPartition, type FlowEvent, type Plan } from './plan.ts';

/** One billing delivery on the patient account's partition: charges and credits of an account stay in order. */
function toBilling(e: FlowEvent, p: ChargeCreditedPayload, action: 'charge.post' | 'charge.credit', fields: Record<string, unknown>): Plan {
  const partitionKey = accountPartition(e.facility, p.account);
  const common = {
    account: p.account, patient: { token: p.patient.token }, facilityId: e.facility, chargeCode: p.chargeCode,
    quantity: p.quantity.value, serviceDate: p.serviceDate,
  };
  return {
    partitionKey, priority: PRIORITIES.normal, problems: [],
    deliveries: [{ role: 'billing', action, partitionKey, body: { ...common, ...fields } }],
  };
}

/** How the charge workflow of a use is found by a charge from another source: facility, account and item. */
export const chargeRef = (facility: string, account: string, itemId: string): string => `charge:${facility}:${account}:${itemId}`;

export const chargePosted = (e: FlowEvent, s: Snapshot): Plan => {
  const p = e.payload as ChargePostedPayload;
  // The ERP item when Tendon knows it; otherwise the sender's own code, as the sender gave it.
  const itemId = p.item ? resolveItem(s, p.item, e.sourceSystem)?.id ?? p.item.code ?? null : null;
  const plan = toBilling(e, p, 'charge.post', {
    revenueCode: p.revenueCode ?? null, hcpcs: p.hcpcs ?? null, unitPrice: p.unitPrice.amount, itemId, performer: p.performer?.id ?? null,
  });
  // The use this charges, if Tendon follows one (a use whose charge comes from this source, not from Tendon).
  return itemId ? { ...plan, signals: [{ workflow: 'charge', ref: chargeRef(e.facility, p.account, itemId), data: {} }] } : plan;
};

export const chargeCredited = (e: FlowEvent): Plan => {
  const p = e.payload as ChargeCreditedPayload;
  return toBilling(e, p, 'charge.credit', { reason: p.reason ?? null });
};
