// Picks from the seeded network the records a test needs (an implant at a Tendon-managed OR location, a routine
// supply with a par level, …), so tests read as scenarios and not as ids.
import type { Sims } from './hub.ts';

export function picks(sims: Sims) {
  const m = sims.network.master;
  const activeCc = new Set(m['cost-centers'].filter((c) => c.status === 'active').map((c) => c.id));
  const goodDept = new Set(m.departments.filter((d) => activeCc.has(d.costCenterId)).map((d) => d.id));
  const locations = m.locations.filter((l) => l.managedBy === 'tendon' && goodDept.has(l.departmentId));
  const charged = new Set(m.chargemaster.filter((c) => c.status === 'active').map((c) => c.itemId));
  const implants = m.items.filter((i) => i.implant && !i.consigned && i.status === 'active' && charged.has(i.id) && i.gtin);
  const consigned = m.items.filter((i) => i.implant && i.consigned && i.status === 'active' && charged.has(i.id));
  const routine = m.items.filter((i) => !i.implant && !i.chargeable && !i.lotControlled && !i.serialControlled && i.status === 'active');
  const location = locations[0]!;
  const par = m['par-levels'].find((p) => locations.some((l) => l.id === p.locationId) && routine.some((i) => i.id === p.itemId))!;
  const parLocation = m.locations.find((l) => l.id === par.locationId)!;
  return {
    location,
    facility: location.facilityId,
    implant: implants[0]!,
    otherImplant: implants[1]!,
    consignedImplant: consigned[0]!,
    routine: routine[0]!,
    charge: (itemId: string) => m.chargemaster.find((c) => c.itemId === itemId && c.status === 'active')!,
    par,
    parLocation,
  };
}
