// HL7 v2 over MLLP end to end: a perioperative system sends DFT^P03 usage to Tendon's listener; the answers are
// read with a client written from the framing rules. ACK after commit, AE/AR only when no event can be made,
// duplicates answered AA without a second effect, broken frames and stalled senders handled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, drained, ledger, type Sims, type TestHub } from './support/hub.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
withHub((w) => ({ sims, hub, p } = w), (c) => {
  c.inbound = [{ name: 'ehr', kind: 'mllp', host: '127.0.0.1', port: 0, stalledFrameMs: 500, maxFrameBytes: 64 * 1024 }];
});

const connect = () => MllpTestClient.connect(hub.ports.ehr!);

/** An Epic-OpTime-style supply usage message: one FT1 per item, ZQD lot/serial after each, ZPA location. */
function dft(controlId: string, lines: { item: string; lot?: string; serial?: string; qty?: number; type?: string }[], over: { msh15?: string; msh16?: string; account?: string; mrn?: string } = {}) {
  const segs = [
    `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NETWORK|20261121091500-0500||DFT^P03|${controlId}|P|2.5.1|||${over.msh15 ?? ''}|${over.msh16 ?? ''}`,
    `EVN|P03|20261121091500-0500`,
    `PID|1||${over.mrn ?? 'MRN00055501'}^^^HOSP^MR||DOE^JANE||19600101|F||||||||||${over.account ?? 'ENC-5500001'}`,
    `PV1|1|O|${p.location.id}^^^${p.facility}||||||||||||||||CASE-${controlId}`,
    `ZPA|${p.location.id}`,
  ];
  lines.forEach((l, i) => {
    segs.push(`FT1|${i + 1}|||20261121091400-0500||${l.type ?? 'CG'}|CDM${i}|||${l.qty ?? 1}|||SURG||||||||NPI1234567^SMITH^ANNA||CASE-${controlId}||C1776|||||||||${l.item}^implant^erp`);
    if (l.lot || l.serial) segs.push(`ZQD|${l.serial ?? ''}|${l.lot ?? ''}|20290131`);
  });
  return segs.join('\r');
}

test('a DFT^P03 is acknowledged AA after commit and its implants reach the ERP, inventory and billing once', async () => {
  const client = await connect();
  const ack = await client.request(dft('MSG-0001', [{ item: p.implant.id, lot: 'LOT-A1', serial: 'SN-A1' }, { item: p.otherImplant.id, lot: 'LOT-B1', serial: 'SN-B1' }]));
  assert.equal(field(ack, 'MSA', 1), 'AA');
  assert.equal(field(ack, 'MSA', 2), 'MSG-0001');
  assert.equal(field(ack, 'MSH', 5), 'OPTIME', 'the ACK is addressed back to the sender');
  // Committed before the ACK: the events can be read at once.
  const trace = await api<{ events: { id: string; type: string; payload: Record<string, unknown> }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/trace/CASE-MSG-0001');
  assert.equal(trace.status, 200);
  assert.deepEqual(trace.body.events.map((e) => e.type), ['supply.used', 'supply.used']);
  assert.equal(trace.body.events[0]!.payload.lot, 'LOT-A1');
  await drained(hub);
  const ids = new Set(trace.body.events.map((e) => e.id));
  for (const name of ['erp', 'inventory', 'billing'] as const) {
    assert.equal((await ledger(sims, name)).filter((e) => ids.has(String(e.body.reference?.eventId))).length, 2, `${name}: two effects`);
  }
  const charge = (await ledger(sims, 'billing')).find((e) => ids.has(String(e.body.reference?.eventId)))!;
  assert.deepEqual(charge.body.patient, { mrn: 'MRN00055501' }, 'billing gets the MRN from PID-3');
  assert.equal(charge.body.account, 'ENC-5500001');

  // The same message again (same MSH-4 and MSH-10): AA, and no new effect.
  const again = await client.request(dft('MSG-0001', [{ item: p.implant.id, lot: 'LOT-A1', serial: 'SN-A1' }, { item: p.otherImplant.id, lot: 'LOT-B1', serial: 'SN-B1' }]));
  assert.equal(field(again, 'MSA', 1), 'AA');
  await drained(hub);
  assert.equal((await ledger(sims, 'erp')).filter((e) => ids.has(String(e.body.reference?.eventId))).length, 2);
  const message = await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${[...ids][0]}`).then((r) => api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${(r.body as unknown as { messageId: string }).messageId}`));
  assert.ok(message.body.raw.startsWith('MSH|') && !message.body.raw.includes('MRN00055501') && !message.body.raw.includes('DOE'), 'raw shown with PHI masked');
  client.close();
});

test('a credit line (FT1-6 CD) is a return; an unknown item is accepted and held, not refused', async () => {
  const client = await connect();
  const ret = await client.request(dft('MSG-0002', [{ item: p.implant.id, lot: 'L', serial: 'S', type: 'CD' }]));
  assert.equal(field(ret, 'MSA', 1), 'AA');
  const held = await client.request(dft('MSG-0003', [{ item: 'NOT-AN-ITEM', lot: 'L', serial: 'S' }]));
  assert.equal(field(held, 'MSA', 1), 'AA', 'a business problem is an exception, not an AE');
  const trace = await api<{ events: { type: string; status: string }[]; exceptions: { category: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/trace/CASE-MSG-0003');
  assert.deepEqual(trace.body.events.map((e) => e.status), ['held']);
  assert.deepEqual(trace.body.exceptions.map((x) => x.category), ['unmapped_item']);
  const returned = await api<{ events: { type: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/trace/CASE-MSG-0002');
  assert.deepEqual(returned.body.events.map((e) => e.type), ['supply.returned']);
  client.close();
});

test('a message that cannot become events gets AE with an ERR segment, and is kept; an unsupported type gets AR', async () => {
  const client = await connect();
  const noFt1 = dft('MSG-0004', []);
  const ae = await client.request(noFt1);
  assert.equal(field(ae, 'MSA', 1), 'AE');
  assert.ok(field(ae, 'ERR', 3)?.startsWith('101') || field(ae, 'ERR', 3)?.startsWith('100'), `ERR-3 names the error: ${field(ae, 'ERR', 3)}`);
  const refused = await api<{ data: { sourceId: string; error: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused');
  assert.ok(refused.body.data.some((m) => m.sourceId === 'MSG-0004' && /^AE/.test(m.error)), 'the refused message is kept with why');

  const adt = readFileSync(new URL('../src/codecs/hl7v2/fixtures/adt_a01_wikipedia-sample_via-elixir-hl7_v2.5_CR_utf8.hl7', import.meta.url), 'utf8');
  const ar = await client.request(adt);
  assert.equal(field(ar, 'MSA', 1), 'AR');
  assert.match(field(ar, 'ERR', 3) ?? '', /^200/);
  client.close();
});

test('enhanced mode: MSH-15 AL gets a commit accept (CA) after commit; MSH-16 NE asks for no application ACK', async () => {
  const client = await connect();
  const ca = await client.request(dft('MSG-0005', [{ item: p.implant.id, lot: 'L5', serial: 'S5' }], { msh15: 'AL', msh16: 'NE' }));
  assert.equal(field(ca, 'MSA', 1), 'CA');
  await assert.rejects(client.next(300), 'nothing more is sent');
  const both = await client.request(dft('MSG-0006', [{ item: p.implant.id, lot: 'L6', serial: 'S6' }], { msh15: 'AL', msh16: 'AL' }));
  assert.equal(field(both, 'MSA', 1), 'CA');
  assert.equal(field(await client.next(), 'MSA', 1), 'AA');
  client.close();
});

test('garbage between frames is ignored, an oversized frame is refused, and the connection keeps working', async () => {
  const client = await connect();
  client.writeRaw('this is not MLLP\r\n');
  client.writeRaw(Buffer.concat([Buffer.from([0x0b]), Buffer.alloc(100 * 1024, 0x41), Buffer.from([0x1c, 0x0d])]));
  assert.equal(field(await client.next(), 'MSA', 1), 'AR');
  const ok = await client.request(dft('MSG-0007', [{ item: p.implant.id, lot: 'L7', serial: 'S7' }]));
  assert.equal(field(ok, 'MSA', 1), 'AA');
  client.close();
});

test('a sender that stops in the middle of a frame is disconnected', async () => {
  const client = await connect();
  client.writeRaw(Buffer.from([0x0b, ...Buffer.from('MSH|^~\\&|HALF')]));
  const { waitFor } = await import('./support/hub.ts');
  await waitFor('the stalled connection to be closed', async () => client.closed, 5000, 50);
});
