// Every destination kind passes the one outbound conformance suite (test/support/destination-conformance.ts).
import { fault, ledger, used } from './support/hub.ts';
import { destinationConformance } from './support/destination-conformance.ts';

destinationConformance('http-rest', (sims, p) => ({
  destination: 'inventory',
  tune: () => {},
  event: (key) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility }),
  received: async (d) => (await ledger(sims, 'inventory')).filter((e) => e.idempotencyKey === d.idempotencyKey).length,
  down: () => fault(sims, 'inventory', { errorRate: 1 }),
  up: () => fault(sims, 'inventory', { reset: true }),
}));

destinationConformance('hl7-mllp', (sims, p) => ({
  destination: 'billing',
  tune: (c, s) => Object.assign(c.destinations.find((d) => d.name === 'billing')!, { kind: 'mllp', url: s.urls.billingMllp, timeoutMs: 1000 }),
  event: (key) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: `ENC-${key}` }),
  received: async (d) => (await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === d.idempotencyKey).length,
  down: () => fault(sims, 'billing', { errorRate: 1 }),
  up: () => fault(sims, 'billing', { reset: true }),
}));
