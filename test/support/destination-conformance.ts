// The outbound channel conformance suite: every destination kind (REST JSON, HL7 v2 over MLLP, FHIR R4, X12 850,
// NATS JetStream, signed webhooks, CSV files) passes the same checks against a real receiver, each through its own
// protocol. A kind brings a driver that configures one destination and can count, at the receiver, the effects of
// a delivery; the suite asks only what the receiving system's owner would notice:
//  - an accepted event's delivery arrives, once, and is recorded as delivered;
//  - a redelivery of the same delivery has no second effect (the idempotency key travels with it);
//  - while the receiver is down the delivery waits and retries, and arrives once when it is back;
//  - a stop and start of the hub with a delivery still waiting loses nothing and duplicates nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HubConfigInput } from '../../src/config/schema.ts';
import { api, drained, restartTestHub, startSims, startTestHub, waitFor, type Sims, type TestHub } from './hub.ts';
import { picks } from './picks.ts';

export type Delivery = { id: string; eventId: string; destination: string; status: string; idempotencyKey: string; attempts: number; body: Record<string, unknown> };

export interface DestinationDriver {
  /** The destination under test, as `tune` names it. */
  destination: string;
  /** Adds or changes the destination in the test hub's configuration. */
  tune(config: HubConfigInput, sims: Sims): void;
  /** A canonical inbound event whose flow delivers to this destination; `key` makes it unique. */
  event(key: string): unknown;
  /** How many times the receiver holds the effect of this delivery (0, 1, or more if it was doubled). */
  received(delivery: Delivery): Promise<number>;
  /** Makes the receiver unavailable in its protocol's way, and available again. */
  down(): Promise<void>;
  up(): Promise<void>;
  close?(): Promise<void>;
}

export type DestinationDriverOf = (sims: Sims, p: ReturnType<typeof picks>) => DestinationDriver | Promise<DestinationDriver>;

export function destinationConformance(name: string, driverOf: DestinationDriverOf): void {
  describe(`destination ${name}`, () => {
    let sims: Sims;
    let hub: TestHub;
    let driver: DestinationDriver;
    before(async () => {
      sims = await startSims();
      driver = await driverOf(sims, picks(sims));
      hub = await startTestHub(sims, (c, s) => driver.tune(c, s));
    });
    after(async () => {
      await hub?.stop();
      await driver?.close?.();
      await sims?.close();
    });

    const send = async (key: string): Promise<Delivery> => {
      const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', [driver.event(key)]);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return deliveryOf(res.body.results[0]!.id);
    };
    // A workflow's delivery (a purchase order's 850) follows a step of its own (the ERP numbering the order).
    const deliveryOf = (eventId: string): Promise<Delivery> => waitFor(`the event's delivery to ${driver.destination}`, async () => {
      const { body } = await api<{ deliveries: Delivery[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${eventId}`);
      return body.deliveries.find((x) => x.destination === driver.destination);
    }, 15_000);
    const now = async (d: Delivery) => (await api<Delivery>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries/${d.id}`)).body;

    test(`${name}: a delivery arrives once and is recorded as delivered`, async () => {
      const d = await send(`${name}-once`);
      await drained(hub);
      assert.equal((await now(d)).status, 'delivered');
      assert.equal(await driver.received(d), 1);
    });

    test(`${name}: a redelivery has no second effect`, async () => {
      const d = await send(`${name}-again`);
      await drained(hub);
      const res = await api(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${d.id}/replay`, {});
      assert.equal(res.status, 200);
      await drained(hub);
      assert.equal((await now(d)).status, 'delivered');
      assert.ok((await now(d)).attempts >= 2, 'it was sent again');
      assert.equal(await driver.received(d), 1);
    });

    test(`${name}: while the receiver is down the delivery retries, and arrives once when it is back`, async () => {
      await driver.down();
      let d: Delivery;
      try {
        d = await send(`${name}-outage`);
        await waitFor('a failed attempt', async () => (await now(d)).attempts >= 2, 30_000);
        assert.notEqual((await now(d)).status, 'delivered');
        assert.equal(await driver.received(d), 0);
      } finally {
        await driver.up();
      }
      await drained(hub);
      assert.equal((await now(d)).status, 'delivered');
      assert.equal(await driver.received(d), 1);
    });

    test(`${name}: a stop and start with a delivery waiting loses nothing and doubles nothing`, async () => {
      await driver.down();
      let d: Delivery;
      try {
        d = await send(`${name}-restart`);
        await waitFor('a failed attempt', async () => (await now(d)).attempts >= 1 && (await now(d)).status !== 'delivered', 30_000);
        hub = await restartTestHub(hub);
      } finally {
        await driver.up();
      }
      await drained(hub);
      assert.equal((await now(d)).status, 'delivered');
      assert.equal(await driver.received(d), 1);
    });
  });
}
