// NATS JetStream channels against the real NATS server on 127.0.0.1:4222 (every stream here has a name unique to
// this run, and is deleted at the end).
//  - out: accepted events are published once each, on <prefix>.<type>.<facility>, with their headers, even when a
//    delivery is sent again; a stream that does not exist yet, or NATS out of reach (a TCP proxy the test cuts),
//    means retries, and every event arrives once when it is back; a reversal republishes the event as retracted;
//  - in: events are ingested once and acked only after the commit; unreadable messages are refused, kept and
//    terminated; a hub restarted in the middle of a stream loses and duplicates nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, restartTestHub, startSims, startTestHub, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { NATS_URL, natsPeer, tcpProxy, uniqueName, type NatsPeer } from './support/nats.ts';
import { picks } from './support/picks.ts';
import { DestinationConfig } from '../src/config/schema.ts';
import type { Delivery } from '../src/core/types.ts';
import { EncodeError } from '../src/codecs/rest/index.ts';
import { createNatsOutbound } from '../src/engine/outbound/nats.ts';
import type { Outbound } from '../src/engine/outbound/index.ts';

interface DeliveryView { id: string; status: string; attempts: number; idempotencyKey: string; lastError: string | null; remoteRef: string | null; body: { event: Record<string, string> } }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NATS JetStream outbound (analytics)', () => {
  let sims: Sims;
  let hub: TestHub;
  let nats: NatsPeer;
  let p: ReturnType<typeof picks>;
  const proxy = tcpProxy(4222);
  // One hub, three analytics destinations: each receives every accepted event.
  const direct = { stream: uniqueName('TENDON_OUT'), prefix: uniqueName('out').replace(/_/g, '-') };
  const operatorMade = { stream: uniqueName('TENDON_OPS'), prefix: uniqueName('ops').replace(/_/g, '-') };
  const proxied = { stream: uniqueName('TENDON_PROXIED'), prefix: uniqueName('prx').replace(/_/g, '-') };

  before(async () => {
    nats = await natsPeer();
    sims = await startSims();
    p = picks(sims);
    await proxy.open();
    await proxy.cut(); // NATS is out of reach through the proxy until the test restores it
    hub = await startTestHub(sims, (c) => {
      const analytics = { role: 'analytics' as const, kind: 'nats' as const, timeoutMs: 1000 };
      c.destinations.push(
        { ...analytics, name: 'stream-direct', url: NATS_URL, nats: { stream: direct.stream, subjectPrefix: direct.prefix } },
        { ...analytics, name: 'stream-operator-made', url: NATS_URL, nats: { stream: operatorMade.stream, subjectPrefix: operatorMade.prefix, createStream: false } },
        { ...analytics, name: 'stream-proxied', url: `nats://127.0.0.1:${proxy.port}`, nats: { stream: proxied.stream, subjectPrefix: proxied.prefix } },
      );
    });
  });
  after(async () => {
    try {
      await hub?.stop();
      await sims?.close();
      await proxy.cut();
    } finally {
      for (const s of [direct.stream, operatorMade.stream, proxied.stream]) await nats.jsm.streams.delete(s).catch(() => {});
      await nats?.close();
    }
  });

  const deliveriesTo = async (destination: string) =>
    (await api<{ data: DeliveryView[] }>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries?destination=${destination}&limit=10000`)).body.data;
  const allDelivered = (destination: string, count: number) => waitFor(`${count} deliveries to ${destination}`, async () => {
    const ds = await deliveriesTo(destination);
    return ds.length === count && ds.every((d) => d.status === 'delivered') && ds;
  }, 30_000);
  const post = async (keys: string[]) => {
    const events = keys.map((k) => used(k, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null }));
    const res = await api(hub, hub.tokens.operator, 'POST', '/v1/events', events);
    assert.equal(res.status, 202);
  };
  /** Each delivery is on the stream exactly once, as its event, under its key: and nothing else is. */
  async function assertOnStreamOnce(stream: string, prefix: string, deliveries: DeliveryView[]) {
    const messages = await nats.messages(stream);
    const ids = messages.map((m) => m.header.get('Nats-Msg-Id'));
    assert.equal(new Set(ids).size, ids.length, 'no message twice');
    assert.deepEqual(ids.sort(), deliveries.map((d) => d.idempotencyKey).sort(), 'one message per delivery, under its key');
    for (const d of deliveries) {
      const m = messages.find((x) => x.header.get('Nats-Msg-Id') === d.idempotencyKey)!;
      const event = d.body.event;
      assert.equal(m.subject, `${prefix}.${event.type}.${event.facility}`);
      assert.deepEqual(m.json(), event, 'the canonical event as stored');
      assert.equal(m.header.get('Tendon-Event-Type'), event.type);
      assert.equal(m.header.get('Tendon-Correlation-Id'), event.correlationId);
      assert.equal(m.header.get('Content-Type'), 'application/json');
      assert.equal(d.remoteRef, `${stream}:${m.seq}`);
    }
  }

  test('events posted to the hub are on the stream once each, on their subjects, with their headers', async () => {
    await post(['nats-out-1', 'nats-out-2', 'nats-out-3']);
    const delivered = await allDelivered('stream-direct', 3);
    await assertOnStreamOnce(direct.stream, direct.prefix, delivered);
    const info = await nats.jsm.streams.info(direct.stream);
    assert.deepEqual(info.config.subjects, [`${direct.prefix}.>`], 'the hub created the stream');
    assert.equal(info.config.duplicate_window, 600 * 1e9, 'with a ten-minute duplicate window');
  });

  test('a delivery sent again (redeliver) is still on the stream once: JetStream drops the duplicate', async () => {
    const [first] = await deliveriesTo('stream-direct');
    const res = await api(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${first!.id}/replay`);
    assert.equal(res.status, 200);
    await waitFor('the redelivery', async () => {
      const d = (await api<DeliveryView>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries/${first!.id}`)).body;
      return d.status === 'delivered' && d.attempts === 2;
    }, 30_000);
    await assertOnStreamOnce(direct.stream, direct.prefix, await deliveriesTo('stream-direct'));
  });

  test('no stream for the subject: deliveries retry, saying so, and land once an operator creates it', async () => {
    const waiting = await waitFor('deliveries waiting for the stream', async () => {
      const ds = await deliveriesTo('stream-operator-made');
      // One partition (same location and item): the first retries, the others wait behind it in order.
      const retrying = ds.find((d) => d.status === 'retrying' && /no JetStream stream takes subject/.test(d.lastError ?? ''));
      return ds.length === 3 && ds.every((d) => d.status !== 'delivered') && retrying;
    }, 30_000);
    assert.match(waiting.lastError!, /an operator must create one/);
    await nats.stream(operatorMade.stream, operatorMade.prefix);
    await assertOnStreamOnce(operatorMade.stream, operatorMade.prefix, await allDelivered('stream-operator-made', 3));
  });

  test('NATS out of reach: deliveries retry, and every event lands once when it is back, also after a cut mid-connection', async () => {
    const retrying = await waitFor('deliveries retrying while NATS is out of reach', async () => {
      const ds = await deliveriesTo('stream-proxied');
      return ds.length === 3 && ds.every((d) => d.status !== 'delivered') && ds.find((d) => d.status === 'retrying' && d.attempts >= 1);
    }, 30_000);
    assert.match(retrying.lastError!, /connection refused/);
    await proxy.restore();
    await assertOnStreamOnce(proxied.stream, proxied.prefix, await allDelivered('stream-proxied', 3));

    await proxy.cut(); // the hub's open connection breaks
    await post(['nats-out-4', 'nats-out-5']);
    await waitFor('the new deliveries failing', async () => (await deliveriesTo('stream-proxied')).some((d) => d.status === 'retrying'), 30_000);
    await proxy.restore(); // the client reconnects by itself
    await assertOnStreamOnce(proxied.stream, proxied.prefix, await allDelivered('stream-proxied', 5));
  });

  test('reprocessing an event publishes it again as retracted, then its new revision', async () => {
    const [d] = await deliveriesTo('stream-direct');
    const event = d!.body.event;
    const rep = await api(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${d!.id}/replay`, { mode: 'reprocess' });
    assert.equal(rep.status, 200);
    // Every event of that message is reprocessed: each is retracted, then published as its revision 2.
    const published = await waitFor('the retraction and the new revision', async () => {
      const ms = (await nats.messages(direct.stream)).map((m) => m.json<Record<string, unknown>>());
      const retraction = ms.findIndex((e) => e.id === event.id && e.retracted === true);
      const revision = ms.findIndex((e) => e.causationId === event.id && e.revision === 2);
      return retraction >= 0 && revision >= 0 && { ms, retraction, revision };
    }, 30_000);
    assert.deepEqual(published.ms[published.retraction], { ...event, retracted: true });
    assert.ok(published.retraction < published.revision, 'the retraction comes first');
    assert.equal(published.ms[published.revision]!.idempotencyKey, `${event.idempotencyKey}#r2`);
  });
});

describe('NATS JetStream outbound, one delivery at a time', () => {
  let nats: NatsPeer;
  const stream = uniqueName('TENDON_UNIT');
  const prefix = uniqueName('unit').replace(/_/g, '-');
  let outbound: Outbound;
  before(async () => {
    nats = await natsPeer();
    outbound = createNatsOutbound(DestinationConfig.parse({ name: 'lake', role: 'analytics', kind: 'nats', url: NATS_URL, nats: { stream, subjectPrefix: prefix } }));
  });
  after(async () => {
    await outbound?.close();
    await nats.jsm.streams.delete(stream).catch(() => {});
    await nats.close();
  });
  const event = { id: 'EV-1', type: 'supply.used', facility: 'FAC.NORTH 2', correlationId: 'CASE-1', revision: 1, payload: { quantity: { value: 1, unit: 'EA' } } };
  const delivery = (over: Partial<Delivery>): Delivery => ({
    id: 'D-1', seq: 1, eventId: 'EV-1', correlationId: 'CASE-1', destination: 'lake', action: 'event.publish', partitionKey: 'p',
    priority: 1, idempotencyKey: 'tdn-D-1', status: 'in_flight', attempts: 0, nextAttemptAt: 0, createdAt: '', updatedAt: '',
    body: { event }, reverses: null, remoteRef: null, lastError: null, ...over,
  });

  test('a facility code with dots and spaces stays one subject token; the same key twice is one message', async () => {
    const first = await outbound.deliver(delivery({}), { revealed: new Map() });
    const again = await outbound.deliver(delivery({}), { revealed: new Map() });
    assert.equal(first.outcome, 'success');
    assert.equal(again.remoteRef, first.remoteRef, 'the duplicate PubAck names the first message');
    const [m, ...more] = await nats.messages(stream);
    assert.equal(more.length, 0);
    assert.equal(m!.subject, `${prefix}.supply.used.FAC%2ENORTH%202`);
  });

  test('a reversal is the same event marked retracted, under its own key; other actions cannot be encoded', async () => {
    const reversed = { action: 'event.publish', remoteRef: `${stream}:1`, body: { event } };
    const r = await outbound.deliver(delivery({ id: 'D-2', idempotencyKey: 'tdn-D-2', action: 'reverse', body: {} }), { revealed: new Map(), reversed });
    assert.equal(r.outcome, 'success');
    const m = (await nats.messages(stream)).at(-1)!;
    assert.deepEqual(m.json(), { ...event, retracted: true });
    assert.equal(m.header.get('Nats-Msg-Id'), 'tdn-D-2');
    await assert.rejects(outbound.deliver(delivery({ action: 'inventory.issue' }), { revealed: new Map() }), EncodeError);
  });
});

describe('NATS JetStream inbound', () => {
  let sims: Sims;
  let hub: TestHub;
  let nats: NatsPeer;
  let p: ReturnType<typeof picks>;
  const stream = uniqueName('TENDON_IN');
  const subject = `${stream}.supply.used`;
  const durable = 'tendon-feed';

  before(async () => {
    nats = await natsPeer();
    await nats.stream(stream, stream);
    sims = await startSims();
    p = picks(sims);
    hub = await startTestHub(sims, (c) => {
      c.inbound = [...(c.inbound ?? []), { kind: 'nats', name: 'feed', url: NATS_URL, stream, subjects: [`${stream}.>`], durable, ackWaitMs: 5000, batch: 20 }];
    });
  });
  after(async () => {
    try {
      await hub?.stop();
      await sims?.close();
    } finally {
      await nats?.close(); // deletes the stream
    }
  });

  const use = (key: string, caseId: string) =>
    used(key, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null, caseId });
  const eventsOf = async (caseId: string) =>
    ((await api<{ events?: { type: string; idempotencyKey: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${caseId}`)).body.events ?? [])
      .filter((e) => e.type === 'supply.used'); // not a requisition a use may have raised
  const consumer = () => nats.jsm.consumers.info(stream, durable);
  const refusedOnChannel = async () =>
    (await api<{ data: { channel: string; error: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data.filter((m) => m.channel === 'nats:feed');

  test('valid events are ingested once each and acked only after the commit', async () => {
    const answers = [
      await nats.publishAndAnswer(stream, durable, subject, JSON.stringify(use('in-1', 'IN-CASE-1'))),
      await nats.publishAndAnswer(stream, durable, subject, JSON.stringify([use('in-2', 'IN-CASE-1'), use('in-3', 'IN-CASE-1')])),
    ];
    assert.deepEqual(answers, ['+ACK', '+ACK']);
    assert.deepEqual((await eventsOf('IN-CASE-1')).map((e) => e.idempotencyKey), ['in-1', 'in-2', 'in-3'], 'committed when acked, in order');
    const info = await consumer();
    assert.equal(info.num_ack_pending, 0);
    assert.equal(info.num_pending, 0);
    assert.equal(info.ack_floor.stream_seq, (await nats.jsm.streams.info(stream)).state.last_seq);
  });

  test('the same events published again are acked and have no new effect', async () => {
    assert.equal(await nats.publishAndAnswer(stream, durable, subject, JSON.stringify([use('in-2', 'IN-CASE-1'), use('in-3', 'IN-CASE-1')])), '+ACK');
    assert.equal((await eventsOf('IN-CASE-1')).length, 3);
  });

  test('a message that is not JSON, or not valid events, is refused and kept, and terminated: never delivered again', async () => {
    const before = (await refusedOnChannel()).length;
    assert.equal(await nats.publishAndAnswer(stream, durable, subject, 'not json at all'), '+TERM');
    assert.equal(await nats.publishAndAnswer(stream, durable, subject, JSON.stringify({ ...use('in-bad', 'IN-CASE-2'), occurredAt: 'yesterday' })), '+TERM');
    const refused = await refusedOnChannel();
    assert.equal(refused.length, before + 2);
    assert.match(refused[0]!.error, /\/occurredAt/, 'the refusal names the bad field');
    assert.match(refused[0]!.error, new RegExp(`subject ${subject}`));
    const info = await consumer();
    assert.equal(info.num_ack_pending + info.num_pending, 0, 'nothing left to deliver');
    // A good message after them still goes in: a bad one does not block the stream.
    assert.equal(await nats.publishAndAnswer(stream, durable, subject, JSON.stringify(use('in-4', 'IN-CASE-1'))), '+ACK');
  });

  test('a hub restarted in the middle of a stream loses nothing and duplicates nothing, in stream order', async () => {
    const count = 300;
    const keys = Array.from({ length: count }, (_, i) => `in-restart-${i}`);
    const publishing = (async () => {
      for (const key of keys) {
        await nats.js.publish(subject, JSON.stringify(use(key, 'IN-CASE-RESTART')));
        await sleep(2);
      }
    })();
    await waitFor('some of the stream ingested', async () => (await eventsOf('IN-CASE-RESTART')).length >= 50, 30_000, 20);
    hub = await restartTestHub(hub);
    await publishing;
    const last = (await nats.jsm.streams.info(stream)).state.last_seq;
    await waitFor('the whole stream acknowledged', async () => {
      const info = await consumer();
      return info.ack_floor.stream_seq === last && info.num_ack_pending === 0;
    }, 60_000);
    const ingested = (await eventsOf('IN-CASE-RESTART')).map((e) => e.idempotencyKey);
    assert.deepEqual(ingested, keys, 'every event once, in the order published');
  });
});

describe('NATS JetStream inbound, NATS out of reach', () => {
  let sims: Sims;
  let hub: TestHub | undefined;
  let nats: NatsPeer;
  let p: ReturnType<typeof picks>;
  const proxy = tcpProxy(4222);
  const stream = uniqueName('TENDON_IN_CUT');
  const durable = 'tendon-cut';
  const event = (key: string) => JSON.stringify(used(key, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null }));

  before(async () => {
    nats = await natsPeer();
    await nats.stream(stream, stream);
    await proxy.open();
    sims = await startSims();
    p = picks(sims);
    hub = await startTestHub(sims, (c) => {
      c.inbound = [...(c.inbound ?? []), { kind: 'nats', name: 'behind-proxy', url: `nats://127.0.0.1:${proxy.port}`, stream, durable }];
    });
  });
  after(async () => {
    try {
      await hub?.stop();
      await sims?.close();
      await proxy.cut();
    } finally {
      await nats?.close();
    }
  });

  test('the channel reads again once NATS is back, and a hub stopped while NATS is out of reach stops', async () => {
    assert.equal(await nats.publishAndAnswer(stream, durable, `${stream}.x`, event('cut-1')), '+ACK');
    await proxy.cut();
    const { seq } = await nats.js.publish(`${stream}.x`, event('cut-2'));
    await sleep(500);
    assert.equal(nats.answers(stream, durable).get(seq), undefined, 'nothing reaches the hub while NATS is out of reach');
    await proxy.restore();
    await waitFor('the message read after the reconnection', async () => nats.answers(stream, durable).get(seq)?.[0] === '+ACK', 30_000);

    await proxy.cut();
    const stopped = hub!.stop().then(() => 'stopped');
    hub = undefined;
    const deadline = new Promise((r) => setTimeout(r, 20_000, 'still stopping after 20 s').unref());
    assert.equal(await Promise.race([stopped, deadline]), 'stopped');
  });
});
