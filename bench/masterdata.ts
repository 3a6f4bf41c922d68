// The master-data part of the benchmark: enrichment (resolve the item, location → department → cost center,
// contract price at the date of use, base-unit quantity, chargemaster line) and the flow's decisions, for
// realistic uses, on one core: the pure work every event needs before its transaction.
import { MASTER_ENTITIES, MASTER_SCHEMAS } from '../src/model/masterdata.ts';
import { buildSnapshot, type MasterRecords } from '../src/masterdata/snapshot.ts';
import { FLOWS, type FlowEvent } from '../src/flows/index.ts';
import type { Network } from '../sim/network/types.ts';

/** The network's master data as the hub holds it after a pull: every record through its schema. */
export function snapshotOf(network: Network) {
  const records: MasterRecords = {};
  const master = network.master as unknown as Record<string, unknown[]>;
  for (const entity of MASTER_ENTITIES) records[entity] = (master[entity] ?? []).map((r) => MASTER_SCHEMAS[entity].parse(r));
  return buildSnapshot(records);
}

/** Uses of every active item at every usable location, with lot, serial, expiry and a patient account. */
function uses(network: Network, count: number): FlowEvent[] {
  const m = network.master;
  const items = m.items.filter((i) => i.status === 'active');
  return Array.from({ length: count }, (_, n) => {
    const item = items[(n * 7) % items.length]!;
    const location = m.locations[n % m.locations.length]!;
    return {
      id: `bench-${n}`, type: 'supply.used', facility: location.facilityId, occurredAt: '2026-11-21T09:14:03.000-05:00',
      sourceSystem: 'ehr-optime', correlationId: `CASE-${n >> 2}`,
      payload: {
        item: { system: 'erp', code: item.id }, quantity: { value: 1, unit: 'EA' }, location: location.id,
        lot: `L${n}`, serial: `S${n}`, expiry: '2029-01-31', patient: { token: `pt_${n % 500}` }, encounter: `ENC-${n % 500}`,
      },
    };
  });
}

/** Events enriched and planned per second on this thread, over `seconds`; and how many were held (bad data). */
export function enrichmentRate(network: Network, seconds: number): { eventsPerSecond: number; heldShare: number } {
  const snapshot = snapshotOf(network);
  const events = uses(network, 50_000);
  for (const e of events.slice(0, 5000)) FLOWS['supply.used'](e, snapshot); // warm the JIT
  let done = 0;
  let held = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (const e of events) if (FLOWS['supply.used'](e, snapshot).problems.length > 0) held++;
    done += events.length;
  }
  return { eventsPerSecond: Math.round(done / ((performance.now() - started) / 1000)), heldShare: +(held / done).toFixed(3) };
}

/** An item master of `count` items as an ERP or cabinet system exports it (the built-in `items` CSV layout). */
export function itemMasterCsv(count: number, tag: string): { csv: string; lastId: string } {
  const rows = ['Facility,ItemID,Description,UOM,GTIN,Manufacturer,CatalogNumber,Implant,Chargeable,Status'];
  for (let n = 0; n < count; n++) {
    rows.push(`FAC-A,LD-${tag}-${n},"Suture, absorbable, size ${n % 7}-0, ${n % 90 + 10} cm",EA,,Acme Surgical,AC-${n},false,false,active`);
  }
  return { csv: `${rows.join('\r\n')}\r\n`, lastId: `LD-${tag}-${count - 1}` };
}
