// A load of realistic, valid uses for the outage, crash and priority tests, with what each must cause: every use
// issues stock in the ERP and decrements the inventory system; a chargeable one also charges billing.
import type { Network } from '../../sim/network/types.ts';
import { used } from './hub.ts';

export interface Planned {
  key: string;
  event: ReturnType<typeof used>;
  expect: { erp: number; inventory: number; billing: number };
}

/** `chargeableOnly`: every use is of a chargeable item with a patient account, so each has three deliveries. */
export function plannedUses(network: Network, count: number, prefix: string, chargeableOnly = false): Planned[] {
  const m = network.master;
  const activeCc = new Set(m['cost-centers'].filter((c) => c.status === 'active').map((c) => c.id));
  const dept = new Map(m.departments.map((d) => [d.id, d]));
  const locations = m.locations.filter((l) => activeCc.has(dept.get(l.departmentId)!.costCenterId));
  const charged = new Set(m.chargemaster.filter((c) => c.status === 'active').map((c) => c.itemId));
  // A chargeable item without a chargemaster line is held (charge_without_cdm), and a consigned implant is bought on a
  // bill-only order instead of issued: neither is the load these tests are about.
  const items = m.items.filter((i) => i.status === 'active' && !i.consigned && (i.chargeable ? charged.has(i.id) : !chargeableOnly));
  return Array.from({ length: count }, (_, n) => {
    const item = items[(n * 7) % items.length]!;
    const location = locations[n % locations.length]!;
    const key = `${prefix}-${n}`;
    const event = used(key, {
      item: item.id, location: location.id, facility: location.facilityId, encounter: `ENC-${8_000_000 + (n % 500)}`,
      mrn: `MRN${String(10_000_000 + (n % 500))}`, caseId: `CASE-${prefix}-${Math.floor(n / 4)}`,
    });
    const billing = item.chargeable && charged.has(item.id) ? 1 : 0;
    return { key, event, expect: { erp: 1, inventory: 1, billing } };
  });
}
