// Stock events of the traffic generator: the initial count of every par-level row, and the receipt the
// warehouse reports when it delivers a requisition. Pure, like the rest of the generator.
import type { Location } from '../network/types.ts';
import type { CanonicalEvent, SourceSystem } from './events.ts';
import { localTime, type TrafficState } from './generator.ts';

/** One stock.counted per par-level row (on hand = par), so the hub starts knowing what the shelves hold. */
export function initialCounts(state: TrafficState): CanonicalEvent[] {
  const locations = new Map(state.network.master.locations.map((l) => [l.id, l]));
  const at = state.now();
  return state.network.master['par-levels'].map((p) => {
    const location = locations.get(p.locationId) as Location;
    const source: SourceSystem = location.managedBy === 'cabinet' ? 'cabinet-omnicell' : 'scanner';
    return {
      type: 'stock.counted',
      idempotencyKey: `${source}:count:${state.tag}${p.locationId}:${p.itemId}`,
      occurredAt: localTime(state, location.facilityId, at),
      facility: location.facilityId,
      source: { system: source },
      payload: { item: { system: 'erp', code: p.itemId }, location: p.locationId, quantity: { value: p.par, unit: 'EA' } },
    };
  });
}

export type OpenRequisition = { requisitionNumber: string; locationId: string; itemId: string; quantity: number; uom: string };

/** The warehouse delivered a requisition: stock.received, keyed by the requisition so re-sends dedupe. */
export function receiptFor(state: TrafficState, req: OpenRequisition): CanonicalEvent {
  const location = state.network.master.locations.find((l) => l.id === req.locationId);
  const facility = location?.facilityId ?? `FAC-${req.locationId.split('-')[1] ?? 'A'}`;
  return {
    type: 'stock.received',
    idempotencyKey: `scanner:receipt:${req.requisitionNumber}`,
    occurredAt: localTime(state, facility, state.now()),
    facility,
    source: { system: 'scanner' },
    payload: {
      item: { system: 'erp', code: req.itemId },
      location: req.locationId,
      quantity: { value: req.quantity, unit: req.uom },
      requisitionNumber: req.requisitionNumber,
    },
  };
}
