// Master-data drift: where the systems' data has drifted apart, before it becomes held events. Pure over the
// snapshot, plus the volumes the store counts (how often each unmapped code arrives, how many item events came).
import type { Snapshot } from './snapshot.ts';
import { priceOn } from './enrich.ts';
import type { DriftVolumes } from '../store/store.ts';

export interface Drift {
  mappingCoveragePercent: number | null;
  unmappedCodes: DriftVolumes['unmappedCodes'];
  inactiveItemsReferenced: { itemId: string; referencedBy: string[] }[];
  inactiveSuppliersReferenced: { supplierId: string; activeItems: string[] }[];
  invalidFinancialDimensions: { kind: 'department' | 'cost-center'; id: string; problem: string }[];
  chargeableWithoutChargemaster: { itemId: string; description: string }[];
}

export function driftOf(s: Snapshot, v: DriftVolumes, today: string): Drift {
  const refs = new Map<string, Set<string>>();
  const refer = (itemId: string, by: string) => refs.set(itemId, (refs.get(itemId) ?? new Set()).add(by));
  for (const [key, itemId] of s.xrefs) refer(itemId, `xref ${key}`);
  for (const p of s.parLevels.values()) refer(p.itemId, `par level at ${p.locationId}`);
  for (const c of s.charges.values()) refer(c.itemId, `chargemaster line ${c.chargeCode}`);
  for (const [itemId, prices] of s.prices) if (priceOn(prices, today)) refer(itemId, 'a contract price in force');

  const activeItems = [...s.items.values()].filter((i) => i.status === 'active');
  const invalid: Drift['invalidFinancialDimensions'] = [];
  for (const d of s.departments.values()) {
    const cc = d.costCenterId ? s.costCenters.get(d.costCenterId) : undefined;
    if (!d.costCenterId) invalid.push({ kind: 'department', id: d.id, problem: 'no cost center' });
    else if (!cc) invalid.push({ kind: 'department', id: d.id, problem: `cost center ${d.costCenterId} does not exist` });
    else if (cc.status !== 'active') invalid.push({ kind: 'department', id: d.id, problem: `cost center ${cc.id} is inactive` });
  }
  for (const cc of s.costCenters.values()) {
    if (cc.status !== 'active' || !cc.glAccountId) continue;
    const gl = s.glAccounts.get(cc.glAccountId);
    if (!gl) invalid.push({ kind: 'cost-center', id: cc.id, problem: `GL account ${cc.glAccountId} does not exist` });
    else if (gl.status !== 'active') invalid.push({ kind: 'cost-center', id: cc.id, problem: `GL account ${gl.id} is inactive` });
  }

  return {
    mappingCoveragePercent: v.itemEvents === 0 ? null : Number((100 * (1 - v.unmappedEvents / v.itemEvents)).toFixed(2)),
    unmappedCodes: v.unmappedCodes,
    inactiveItemsReferenced: [...refs].filter(([id]) => s.items.get(id)?.status === 'inactive')
      .map(([itemId, by]) => ({ itemId, referencedBy: [...by].sort() })),
    inactiveSuppliersReferenced: [...s.suppliers.values()].filter((sup) => sup.status !== 'active')
      .map((sup) => ({ supplierId: sup.id, activeItems: activeItems.filter((i) => i.supplierId === sup.id).map((i) => i.id) }))
      .filter((r) => r.activeItems.length > 0),
    invalidFinancialDimensions: invalid,
    chargeableWithoutChargemaster: activeItems.filter((i) => i.chargeable && !s.charges.has(i.id))
      .map((i) => ({ itemId: i.id, description: i.description })),
  };
}
