// The inbound channel conformance suite: every inbound channel (canonical JSON over HTTP, HL7 v2 over MLLP, FHIR
// R4, NATS JetStream, …) passes the same checks, each through its own protocol. A channel brings a driver that
// speaks it; the suite asks only what a sender would notice:
//  - a positive answer means committed: what was acknowledged can be read at once;
//  - the same message again is answered positively and has no second effect;
//  - malformed input gets the protocol's own error, and the raw input is kept for inspection;
//  - a stop and start of the hub loses nothing acknowledged, and the channel answers again.
// (Killing the hub with SIGKILL is covered per channel in crash.test.ts and mllp-crash.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HubConfigInput } from '../../src/config/schema.ts';
import { api, restartTestHub, startSims, startTestHub, type Sims, type TestHub } from './hub.ts';
import { picks } from './picks.ts';

export type Answer = 'accepted' | 'refused';

export interface ChannelDriver {
  /** Sends one valid supply use whose case id is `caseId`; the answer as the protocol gave it, classified. */
  send(hub: TestHub, caseId: string): Promise<Answer>;
  /** Sends something malformed in this channel's way. */
  sendMalformed(hub: TestHub): Promise<Answer>;
  /** The channel name messages are stored under. */
  channel: string;
  /** For a channel the hub must be configured with: makes what it needs first (a stream, a folder), then adds it. */
  setup?(): Promise<(config: HubConfigInput) => void>;
  /** Removes what setup made, once the hub has stopped. */
  teardown?(): Promise<void>;
}

export type Driver = (p: ReturnType<typeof picks>) => ChannelDriver;

export function channelConformance(name: string, driverOf: Driver): void {
  describe(`channel ${name}`, () => {
    let sims: Sims;
    let hub: TestHub;
    let driver: ChannelDriver;
    before(async () => {
      sims = await startSims();
      driver = driverOf(picks(sims));
      hub = await startTestHub(sims, await driver.setup?.());
    });
    after(async () => {
      await hub?.stop();
      await driver?.teardown?.();
      await sims?.close();
    });
    const eventsOf = async (caseId: string) =>
      (await api<{ events?: unknown[] }>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${caseId}`)).body.events?.length ?? 0;

    test(`${name}: a positive answer means the message is committed`, async () => {
      assert.equal(await driver.send(hub, `${name}-C1`), 'accepted');
      assert.equal(await eventsOf(`${name}-C1`), 1, 'readable at once after the answer');
    });

    test(`${name}: the same message again is accepted and has no second effect`, async () => {
      assert.equal(await driver.send(hub, `${name}-C2`), 'accepted');
      assert.equal(await driver.send(hub, `${name}-C2`), 'accepted');
      assert.equal(await eventsOf(`${name}-C2`), 1);
    });

    test(`${name}: malformed input gets the protocol's error and is kept`, async () => {
      const before = (await api<{ data: { channel: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data
        .filter((m) => m.channel === driver.channel).length;
      assert.equal(await driver.sendMalformed(hub), 'refused');
      const kept = (await api<{ data: { channel: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data
        .filter((m) => m.channel === driver.channel).length;
      assert.equal(kept, before + 1);
    });

    test(`${name}: a stop and start loses nothing acknowledged, and the channel answers again`, async () => {
      assert.equal(await driver.send(hub, `${name}-C3`), 'accepted');
      hub = await restartTestHub(hub);
      assert.equal(await eventsOf(`${name}-C3`), 1);
      assert.equal(await driver.send(hub, `${name}-C4`), 'accepted');
      assert.equal(await driver.send(hub, `${name}-C3`), 'accepted', 'a re-send after the restart is still a duplicate');
      assert.equal(await eventsOf(`${name}-C3`), 1);
    });
  });
}
