// Signed webhooks both ways, through a real hub. Inbound: canonical events at /v1/webhooks/{name}, taken only with a
// good Tendon-Signature; a missing, forged, stale or future-dated one is 401 and the body kept; a replay inside the
// window is a duplicate. Outbound: a receiver written here checks each signature with its own few lines of
// node:crypto and sees every event once; a 500 is retried; a correction publishes the retracted event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { prng } from '../src/codecs/fuzzing.ts';
import { signatureHeader, verifySignature } from '../src/security/signature.ts';
import { api, drained, used, waitFor, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

const INBOUND_SECRET = 'inbound-webhook-secret-0123456789abcdef';
const OUTBOUND_SECRET = 'outbound-webhook-secret-abcdef0123456789';

// The analytics receiver: verifies like any third party would, with node:crypto and nothing of Tendon's.
interface Received { event: { id: string; idempotencyKey: string; retracted?: boolean; revision: number }; key: string; verified: boolean }
const received: Received[] = [];
let failNext = 0;
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c)).on('end', () => {
    if (failNext > 0) {
      failNext -= 1;
      return res.writeHead(500).end('receiver broken');
    }
    const { t, v1 } = Object.fromEntries(String(req.headers['tendon-signature']).split(',').map((kv) => kv.split('=')));
    const expected = createHmac('sha256', OUTBOUND_SECRET).update(`${t}.${raw}`).digest('hex');
    const verified = v1?.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected)) && Math.abs(Date.now() / 1000 - Number(t)) < 300;
    received.push({ event: JSON.parse(raw), key: String(req.headers['idempotency-key']), verified });
    res.writeHead(verified ? 204 : 401).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tendon`;

let hub: TestHub;
let p: World['p'];
withHub((w) => ({ hub, p } = w), (c) => {
  c.inbound = [...(c.inbound ?? []), { kind: 'webhook', name: 'cabinets', secret: INBOUND_SECRET }];
  c.destinations.push({ name: 'lake', role: 'analytics', kind: 'webhook', url: receiverUrl, webhook: { secret: OUTBOUND_SECRET }, retry: { maxAttempts: 50, baseMs: 20, capMs: 200 } });
});
test.after(() => receiver.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const sign = (body: string, t = nowSeconds(), secret = INBOUND_SECRET) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
async function hook(body: string, signature: string | undefined, channel = 'cabinets') {
  const res = await request(`${hub.url}/v1/webhooks/${channel}`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'tendon-signature': signature }) },
  });
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), body: JSON.parse(text) as { results?: { id: string; duplicate: boolean }[]; messageId?: string; detail?: string } };
}
const event = (key: string) => JSON.stringify([used(key, { item: p.implant.id, location: p.location.id, facility: p.facility, caseId: `CASE-${key}` })]);
const eventsOf = async (caseId: string) => (await api<{ events?: unknown[] }>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${caseId}`)).body.events?.length ?? 0;
const refused = async (messageId: string) =>
  (await api<{ data: { id: string; channel: string; error: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data.find((m) => m.id === messageId);

test('a correctly signed webhook is ingested like POST /v1/events: 202 with per-event results, stored under its channel', async () => {
  const body = event('wh-good');
  const res = await hook(body, sign(body));
  assert.equal(res.status, 202);
  assert.equal(res.body.results?.[0]?.duplicate, false);
  assert.equal(await eventsOf('CASE-wh-good'), 1);
  const stored = await api<{ messageId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${res.body.results![0]!.id}`);
  const message = await api<{ channel: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${stored.body.messageId}`);
  assert.equal(message.body.channel, 'webhook:cabinets');
});

test('a missing, forged, stale (6 minutes) or future-dated signature is 401, nothing ingested, the raw body kept', async () => {
  const body = event('wh-bad');
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /missing/],
    ['another secret', sign(body, nowSeconds(), 'not-the-channel-secret-0123456789abcdef'), /no v1 signature matches/],
    ['another body', sign(event('wh-other')), /no v1 signature matches/],
    ['garbled', 'v1=abc', /not t=<unix seconds>/],
    ['stale', sign(body, nowSeconds() - 360), /36\d s ago/],
    ['future', sign(body, nowSeconds() + 360), /ahead of now/],
  ];
  for (const [what, signature, why] of cases) {
    const res = await hook(body, signature);
    assert.equal(res.status, 401, what);
    assert.match(res.type, /^application\/problem\+json/, what);
    assert.match(res.body.detail ?? '', why, what);
    const kept = await refused(res.body.messageId!);
    assert.equal(kept?.channel, 'webhook:cabinets', what);
    assert.match(kept?.error ?? '', /^401 /, what);
    const raw = await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${res.body.messageId}`);
    assert.match(raw.body.raw, /wh-bad|wh-other/, `${what}: the body as received, for inspection`);
  }
  assert.equal(await eventsOf('CASE-wh-bad'), 0);
  assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/webhooks/cabinets', JSON.parse(body))).status, 401, 'a bearer token is no signature');
});

test('the same signed request replayed within the window is a duplicate: 202, duplicate, no new event', async () => {
  const body = event('wh-replay');
  const signature = sign(body);
  const first = await hook(body, signature);
  const replay = await hook(body, signature);
  assert.deepEqual([first.status, replay.status], [202, 202]);
  assert.equal(replay.body.results![0]!.duplicate, true);
  assert.equal(replay.body.results![0]!.id, first.body.results![0]!.id);
  assert.equal(await eventsOf('CASE-wh-replay'), 1);
});

test('signed but invalid events get the same 400 problem as POST /v1/events, kept; an unknown channel is 404', async () => {
  const body = JSON.stringify([{ type: 'supply.used', idempotencyKey: 'wh-invalid' }]);
  const res = await hook(body, sign(body));
  assert.equal(res.status, 400);
  assert.match(res.type, /^application\/problem\+json/);
  assert.ok(await refused(res.body.messageId!));
  const notJson = await hook('{"type":', sign('{"type":'));
  assert.equal(notJson.status, 400);
  assert.equal((await hook(body, sign(body), 'nobody')).status, 404);
});

test('every accepted event is posted to the analytics webhook once, signed and keyed by its delivery', async () => {
  const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', JSON.parse(event('wh-out-1')).concat(JSON.parse(event('wh-out-2'))));
  await drained(hub);
  for (const { id } of res.body.results) {
    const got = received.filter((r) => r.event.id === id);
    assert.equal(got.length, 1, `event ${id} seen once`);
    assert.equal(got[0]!.verified, true);
    const lake = (await api<{ deliveries: { destination: string; idempotencyKey: string; status: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${id}`)).body.deliveries
      .find((d) => d.destination === 'lake')!;
    assert.deepEqual([lake.status, got[0]!.key], ['delivered', lake.idempotencyKey]);
  }
});

test('a receiver answering 500 is retried until it takes the event', async () => {
  failNext = 2;
  const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', JSON.parse(event('wh-out-retry')));
  const id = res.body.results[0]!.id;
  await waitFor('the event to reach the receiver', async () => received.some((r) => r.event.id === id), 20_000);
  await drained(hub);
  const lake = (await api<{ deliveries: { destination: string; attempts: number; status: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${id}`)).body.deliveries
    .find((d) => d.destination === 'lake')!;
  assert.deepEqual([lake.status, lake.attempts], ['delivered', 3]);
  assert.equal(received.filter((r) => r.event.id === id).length, 1);
});

test('reprocessing publishes the first revision again with "retracted": true, then the new revision', async () => {
  const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', JSON.parse(event('wh-out-reprocess')));
  await drained(hub);
  const first = res.body.results[0]!.id;
  const { messageId } = (await api<{ messageId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${first}`)).body;
  await api(hub, hub.tokens.operator, 'POST', `/v1/messages/${messageId}/reprocess`);
  await drained(hub);
  const retraction = received.find((r) => r.event.id === first && r.event.retracted === true);
  assert.ok(retraction?.verified, 'the first revision, retracted');
  assert.ok(received.some((r) => r.event.revision === 2 && r.event.idempotencyKey === 'wh-out-reprocess#r2'), 'the new revision');
});

test('the secrets are not shown by GET /v1/config', async () => {
  const config = await api<{ inbound: { name: string; secret?: string }[]; destinations: { name: string; webhook?: { secret: string } }[] }>(hub, hub.tokens.admin, 'GET', '/v1/config');
  assert.equal(config.body.inbound.find((c) => c.name === 'cabinets')?.secret, '[redacted]');
  assert.equal(config.body.destinations.find((d) => d.name === 'lake')?.webhook?.secret, '[redacted]');
  assert.doesNotMatch(JSON.stringify(config.body), new RegExp(`${INBOUND_SECRET}|${OUTBOUND_SECRET}`));
});

test('10,000 seeded mutations of a signed request: verification never throws, and accepts only the original', () => {
  const random = prng(0x5161);
  const body = '[{"type":"supply.used","idempotencyKey":"fuzz-1","payload":{"quantity":{"value":1,"unit":"EA"}}}]';
  const t = 1_790_000_000;
  const header = signatureHeader(INBOUND_SECRET, t, body);
  const mutate = (text: string) => {
    const chars = [...text];
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const at = Math.floor(random() * (chars.length + 1));
      const r = random();
      if (r < 0.4) chars[at] = String.fromCharCode(Math.floor(random() * 128));
      else if (r < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, ',=v1t '[Math.floor(random() * 6)]!);
    }
    return chars.join('');
  };
  for (let i = 0; i < 10_000; i++) {
    const [h, b] = random() < 0.5 ? [mutate(header), body] : [header, mutate(body)];
    const result = verifySignature(h, b, INBOUND_SECRET, { nowSeconds: t, toleranceSeconds: 300 });
    if (result.ok) {
      // Only a change the scheme ignores: the same body, the same t and v1 (hex is case-blind), spaces, an extra part.
      assert.equal(b, body, `case ${i}`);
      assert.ok(h.toLowerCase().replaceAll(' ', '').includes(header.split(',')[1]!), `case ${i}: ${h}`);
    } else {
      assert.ok(['missing', 'malformed', 'mismatch', 'expired'].includes(result.problem), `case ${i}`);
    }
  }
});
