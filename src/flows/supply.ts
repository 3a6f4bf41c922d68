// supply.used and supply.returned: the usage-to-charge flow. A use issues stock in the ERP (valued at the contract
// price on the date of use, charged to the department's cost center), decrements the inventory system, and for a
// chargeable item with a patient account posts a charge to billing. A return reverses each of those. A rep's consigned
// implant is not the hospital's stock until used: the ERP gets no issue; the use starts a bill-only purchase order
// instead (the requisition workflow, with case, patient token, lot and serial), which the supplier then invoices.
import { PRIORITIES } from '../core/types.ts';
import { enrichLine, localDate, type Enriched } from '../masterdata/enrich.ts';
import { parKey, type Snapshot } from '../masterdata/snapshot.ts';
import type { SupplyUsedPayload } from '../model/events.ts';
import type { RequisitionLine } from './signals.ts';
import { accountPartition, held, stockPartition, type FlowEvent, type Plan, type PlannedDelivery, type WorkflowSignal } from './plan.ts';
import { orderKeyOf } from './requisition.ts';

const traceability = (p: SupplyUsedPayload) => ({ lot: p.lot ?? null, serial: p.serial ?? null, expiry: p.expiry ?? null });

/** The quantity as the ERP, inventory and billing count it: in the item's base unit. */
const baseOf = (p: SupplyUsedPayload, x: Enriched) => x.baseQuantity ?? p.quantity;

function erpAndInventory(e: FlowEvent, p: SupplyUsedPayload, x: Enriched, returned: boolean): PlannedDelivery[] {
  const partitionKey = stockPartition(e.facility, x.location.id, x.item.id);
  const q = baseOf(p, x);
  const line = {
    itemId: x.item.id, quantity: q.value, uom: q.unit, locationId: x.location.id, occurredAt: e.occurredAt,
    ...traceability(p),
  };
  const inventory: PlannedDelivery = { role: 'inventory', action: returned ? 'stock.increment' : 'stock.decrement', partitionKey, body: line };
  if (x.item.consigned) return [inventory];
  return [
    {
      role: 'erp', action: returned ? 'inventory.return' : 'inventory.issue', partitionKey,
      body: {
        ...line, costCenterId: x.costCenter?.id ?? null, unitCost: x.unitCost?.amount ?? null,
        currency: x.unitCost?.currency ?? 'USD',
      },
    },
    inventory,
  ];
}

/** The bill-only requisition of a consigned implant's use: ordered after the fact, on its own purchase order. */
function billOnly(e: FlowEvent, p: SupplyUsedPayload, x: Enriched): WorkflowSignal[] {
  if (!x.item.consigned || !x.item.supplierId) return [];
  const q = baseOf(p, x);
  const line: RequisitionLine = {
    facility: e.facility, itemId: x.item.id, description: x.item.description, supplierId: x.item.supplierId, vendorItem: x.item.catalogNumber ?? null,
    gtin: x.item.gtin ?? null, quantity: q.value, uom: q.unit, unitPrice: x.unitCost?.amount ?? null, currency: x.unitCost?.currency ?? 'USD',
    locationId: x.location.id, costCenterId: x.costCenter?.id ?? null, budgetAvailable: null, period: localDate(e.occurredAt).slice(0, 7),
    priority: 'routine', requisitionNumber: null, line: null, replyTo: null, orderKey: orderKeyOf(e.revisionOf ?? e.id),
    billOnly: {
      caseId: p.caseId ?? null, encounter: p.encounter ?? null, patient: p.patient?.token ?? null, lot: p.lot ?? null, serial: p.serial ?? null,
      surgeon: p.surgeon?.id ?? null, serviceDate: localDate(e.occurredAt),
    },
  };
  return [{ workflow: 'requisition', key: `bill-only:${e.revisionOf ?? e.id}`, start: true, data: { ...line } }];
}

/** A charge only when billing can take it: a chargeable item with a chargemaster line, a patient and an account. */
function billing(e: FlowEvent, p: SupplyUsedPayload, x: Enriched, returned: boolean): PlannedDelivery[] {
  if (!x.charge || !p.encounter || !p.patient?.token) return [];
  const common = {
    account: p.encounter, patient: { token: p.patient.token }, facilityId: e.facility, chargeCode: x.charge.chargeCode,
    quantity: baseOf(p, x).value, serviceDate: localDate(e.occurredAt), itemId: x.item.id,
  };
  const body = returned
    ? { ...common, reason: (p as { reason?: string | null }).reason ?? 'supply returned' }
    : {
        ...common, revenueCode: x.charge.revenueCode, hcpcs: x.charge.hcpcs ?? null, unitPrice: x.chargePrice,
        performer: p.surgeon?.id ?? null, ...traceability(p),
      };
  return [{ role: 'billing', action: returned ? 'charge.credit' : 'charge.post', partitionKey: accountPartition(e.facility, p.encounter), body }];
}

function supplyFlow(returned: boolean) {
  return (e: FlowEvent, s: Snapshot): Plan => {
    const p = e.payload as SupplyUsedPayload;
    // A use must be traceable and in date, and a chargeable item on a patient account must be billable; a return
    // reverses what was done and is not held for those.
    const charged = !returned && Boolean(p.encounter && p.patient?.token);
    const enriched = enrichLine(s, p, e, { traceability: true, expiry: !returned, charge: charged });
    const fallbackKey = stockPartition(e.facility, p.location, p.item.code ?? p.item.gtin ?? '?');
    if (!enriched.ok) return held(fallbackKey, PRIORITIES.normal, enriched.problems);
    const x = enriched.value;
    const par = s.parLevels.get(parKey(x.location.id, x.item.id));
    return {
      partitionKey: stockPartition(e.facility, x.location.id, x.item.id),
      // Implants go first: they carry the charges payers audit and the stock surgeons wait for.
      priority: x.item.implant ? PRIORITIES.critical : PRIORITIES.normal,
      problems: [],
      deliveries: [...erpAndInventory(e, p, x, returned), ...billing(e, p, x, returned)],
      stock: { location: x.location.id, itemId: x.item.id, delta: returned ? baseOf(p, x).value : -baseOf(p, x).value },
      // A serial number is used once: the engine checks it against earlier uses (a return frees it again).
      ...(x.item.serialControlled && p.serial ? { serial: { itemId: x.item.id, serial: p.serial, release: returned } } : {}),
      // Cabinet-managed locations reorder themselves: Tendon never orders for them (nothing is ordered twice).
      ...(par && x.location.managedBy === 'tendon' && !returned ? { replenish: par } : {}),
      // A chargeable use is followed until billing has taken its charge (workflows/charge.ts); a consigned one is
      // also bought, after the fact, on a bill-only purchase order.
      ...(charged && x.charge ? { signals: [...(returned ? [] : billOnly(e, p, x)), {
        workflow: 'charge', key: e.revisionOf ?? e.id, start: true, follow: 'charge.post', lazy: true,
        data: { facility: e.facility, account: p.encounter!, itemId: x.item.id, chargeCode: x.charge.chargeCode, quantity: baseOf(p, x).value, serviceDate: localDate(e.occurredAt) },
      }] } : returned ? {} : { signals: billOnly(e, p, x) }),
    };
  };
}

export const supplyUsed = supplyFlow(false);
export const supplyReturned = supplyFlow(true);
