// Trace search by business key through real HTTP, against a hub on a real SQLite file: a surgical case sent as
// HL7 v2 over MLLP is found by its MSH-10, lot, serial, item and patient (the clear identifier or its token, the clear
// one never echoed back); supplier documents posted as canonical events are found by PO number, the request's
// Idempotency-Key, and their lines' lots. Unknown keys answer an empty list; bad input answers problem+json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { HL7_CONTENT_TYPE } from '../src/engine/inbound/mllp.ts';
import { HL7_V2_CONTENT_TYPE } from '../src/model/search-keys.ts';
import { api, type TestHub } from './support/hub.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';
import { withHub, type World } from './support/world.ts';

let hub: TestHub;
let p: World['p'];
withHub((w) => ({ hub, p } = w), (c) => {
  c.inbound = [{ name: 'ehr', kind: 'mllp', host: '127.0.0.1', port: 0, stalledFrameMs: 500, maxFrameBytes: 64 * 1024 }];
});

type Hit = { correlationId: string; kind: string; value: string; firstAt: string; lastAt: string; eventTypes: string[]; facility: string };
type Answer = { kind: string; q: string; results: Hit[]; refused: { id: string; sourceId: string; error: string; channel: string }[]; elapsedMs: number };

async function search(query: string): Promise<Answer> {
  const res = await api<Answer>(hub, hub.tokens.viewer, 'GET', `/v1/search?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}
const found = async (query: string) => (await search(query)).results.map((h) => h.correlationId);

const MRN = 'MRN00077701';

/** A perioperative system's DFT^P03: one implant, its lot and serial in ZQD, the patient in PID-3. */
function dft(controlId: string, item: string, lot: string, serial: string) {
  return [
    `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NETWORK|20261121091500-0500||DFT^P03|${controlId}|P|2.5.1`,
    `EVN|P03|20261121091500-0500`,
    `PID|1||${MRN}^^^HOSP^MR||DOE^JANE||19600101|F||||||||||ENC-7700001`,
    `PV1|1|O|${p.location.id}^^^${p.facility}||||||||||||||||CASE-${controlId}`,
    `ZPA|${p.location.id}`,
    `FT1|1|||20261121091400-0500||CG|CDM0|||1|||SURG||||||||NPI1234567^SMITH^ANNA||CASE-${controlId}||C1776|||||||||${item}^implant^erp`,
    `ZQD|${serial}|${lot}|20290131`,
  ].join('\r');
}

test('an HL7 case is found by its MSH-10, lot, serial, item and patient, and each hit opens its trace', async () => {
  assert.equal(HL7_V2_CONTENT_TYPE, HL7_CONTENT_TYPE, 'the search keys know HL7 messages by the listener\'s content type');
  const client = await MllpTestClient.connect(hub.ports.ehr!);
  try {
    assert.equal(field(await client.request(dft('SRCH-0001', p.implant.id, 'LOT-SRCH-1', 'SN-SRCH-1')), 'MSA', 1), 'AA');
  } finally {
    client.close();
  }
  const byMsh10 = await search('kind=msh10&q=SRCH-0001');
  assert.deepEqual(byMsh10.results.map((h) => [h.correlationId, h.kind, h.value, h.eventTypes, h.facility]),
    [['CASE-SRCH-0001', 'msh10', 'SRCH-0001', ['supply.used'], p.facility]]);
  assert.ok(byMsh10.elapsedMs >= 0);
  const trace = await api<{ events: { payload: { patient: { token: string } } }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${byMsh10.results[0]!.correlationId}`);
  assert.equal(trace.status, 200);

  assert.deepEqual(await found('kind=lot&q=LOT-SRCH-1'), ['CASE-SRCH-0001']);
  assert.deepEqual(await found('kind=serial&q=sn-srch-1'), ['CASE-SRCH-0001'], 'whatever the case typed');
  assert.ok((await found(`kind=item&q=${p.implant.id}`)).includes('CASE-SRCH-0001'));
  assert.deepEqual(await found('kind=source&q=SRCH-0001'), [], 'an MSH-10 is its own kind');
  assert.deepEqual(byMsh10.refused, [], 'accepted: not among the refused');
  const auto = await search('q=SRCH-0001');
  assert.deepEqual([auto.kind, auto.results.map((h) => [h.correlationId, h.kind])], ['auto', [['CASE-SRCH-0001', 'msh10']]]);

  // The patient: by the clear identifier, which the answer never carries, or by the token events carry.
  const token = trace.body.events[0]!.payload.patient.token;
  const byClear = await api<Answer>(hub, hub.tokens.viewer, 'GET', `/v1/search?kind=patient&q=${MRN}`);
  assert.equal(byClear.status, 200);
  assert.deepEqual(byClear.body.results.map((h) => [h.correlationId, h.value]), [['CASE-SRCH-0001', token]]);
  assert.equal(byClear.body.q, '***');
  assert.ok(!JSON.stringify(byClear.body).includes(MRN), 'the clear identifier is not sent back');
  const byToken = await search(`kind=patient&q=${token}`);
  assert.deepEqual([byToken.q, byToken.results.map((h) => h.correlationId)], [token, ['CASE-SRCH-0001']]);
  const autoClear = await search(`q=${MRN}`);
  assert.deepEqual([autoClear.q, autoClear.results.map((h) => [h.correlationId, h.kind])], ['***', [['CASE-SRCH-0001', 'patient']]]);
});

test('supplier documents are found by PO number, by the Idempotency-Key they were posted with, and by their lines\' lots', async () => {
  const supplier = { source: { system: 'supplier-x12' }, facility: p.facility, occurredAt: '2026-11-21T09:14:03-05:00' };
  const line = { item: { system: 'MEDSUPPLY', code: 'VND-1001' }, quantity: { value: 2, unit: 'EA' } };
  const events = [
    { ...supplier, type: 'po.acknowledged', idempotencyKey: 'srch-855', payload: { poNumber: 'PO-SRCH-1', supplierId: 'SUP-1', status: 'accepted', lines: [{ ...line, status: 'accepted' }] } },
    { ...supplier, type: 'shipment.noticed', idempotencyKey: 'srch-856', payload: { shipmentId: 'SH-SRCH-1', poNumber: 'PO-SRCH-1', supplierId: 'SUP-1', lines: [{ ...line, lot: 'LOT-ASN-1', serial: 'SN-ASN-1' }] } },
  ];
  const res = await request(`${hub.url}/v1/events`, {
    method: 'POST', body: JSON.stringify(events),
    headers: { authorization: `Bearer ${hub.tokens.operator}`, 'content-type': 'application/json', 'idempotency-key': 'idem-srch-1' },
  });
  assert.equal(res.statusCode, 202, await res.body.text());

  const byPo = await search('kind=po&q=PO-SRCH-1');
  assert.deepEqual(byPo.results.map((h) => [h.correlationId, h.eventTypes]), [['PO-SRCH-1', ['po.acknowledged', 'shipment.noticed']]]);
  assert.deepEqual(await found('kind=source&q=idem-srch-1'), ['PO-SRCH-1']);
  assert.deepEqual(await found('kind=lot&q=LOT-ASN-1'), ['PO-SRCH-1']);
  assert.deepEqual(await found('kind=serial&q=SN-ASN-1'), ['PO-SRCH-1']);
  assert.deepEqual(await found('kind=item&q=VND-1001'), ['PO-SRCH-1']);
  assert.deepEqual((await search('q=PO-SRCH-1&limit=5')).results.length, 1, 'auto: one hit per trace');
});

test('an unknown key answers 200 with no results; bad input answers problem+json naming the field', async () => {
  const unknown = await search('kind=lot&q=NO-SUCH-LOT');
  assert.deepEqual(unknown, { ...unknown, kind: 'lot', q: 'NO-SUCH-LOT', results: [] });
  assert.deepEqual((await search('q=NO-SUCH-ANYTHING')).results, []);

  for (const [query, path] of [['kind=invoice&q=X', '/kind'], ['kind=lot', '/q'], ['q=X&limit=0', '/limit'], ['q=X&limit=many', '/limit']] as const) {
    const res = await api<{ status: number; errors: { path: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/search?${query}`);
    assert.equal(res.status, 400, query);
    assert.match(res.type, /application\/problem\+json/);
    assert.deepEqual(res.body.errors.map((e) => e.path), [path], query);
  }
  const anonymous = await request(`${hub.url}/v1/search?q=X`);
  assert.equal(anonymous.statusCode, 401);
  await anonymous.body.dump();
});

test('a message that was refused (AE) has no trace, and is found by its MSH-10 among the refused', async () => {
  const client = await MllpTestClient.connect(hub.ports.ehr!);
  let ack: string;
  try {
    // No FT1: nothing to turn into an event, so AE, and the raw message kept.
    ack = await client.request([
      `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NETWORK|20261121091500-0500||DFT^P03|SRCH-BAD-1|P|2.5.1`,
      `PID|1||${MRN}^^^HOSP^MR||DOE^JANE`,
    ].join('\r'));
  } finally {
    client.close();
  }
  assert.equal(field(ack, 'MSA', 1), 'AE');
  for (const query of ['kind=msh10&q=SRCH-BAD-1', 'q=srch-bad-1']) {
    const answer = await search(query);
    assert.deepEqual(answer.results, []);
    assert.deepEqual(answer.refused.map((m) => [m.sourceId, m.channel]), [['SRCH-BAD-1', 'mllp:ehr']], query);
    assert.ok(answer.refused[0]!.error.length > 0, 'with why it was refused');
    // Its raw content is one click away, PHI masked.
    const message = await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${answer.refused[0]!.id}`);
    assert.match(message.body.raw, /SRCH-BAD-1/);
    assert.doesNotMatch(message.body.raw, new RegExp(MRN));
  }
  assert.deepEqual((await search('kind=lot&q=SRCH-BAD-1')).refused, [], 'only source ids find refused messages');
});
