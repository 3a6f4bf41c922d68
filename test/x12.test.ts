// X12 end to end with the real hub: suppliers POST 855/856/810 to /v1/x12/{channel} and get their 997/999 after
// the commit; the events are traceable by PO number; a re-sent interchange has no new effect; a broken envelope
// gets a TA1 and is kept. Purchase orders go out as 850s under control numbers that keep increasing across a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startNetwork } from '../sim/main.ts';
import { api, drained, ledger, restartTestHub, SEED, startSims, startTestHub, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { picks } from './support/picks.ts';
import { functionalAck, poAck, postX12, segmentsOf } from './support/x12.ts';

const fixture = (name: string) => readFileSync(new URL(`../src/codecs/x12/fixtures/${name}`, import.meta.url), 'latin1');
const work = mkdtempSync(join(tmpdir(), 'tendon-x12-e2e-'));
const outbox = join(work, 'outbox');
const dropbox = join(work, 'dropbox');

let sims: Sims;
let hub: TestHub;
let p: ReturnType<typeof picks>;
let supplierId: string;

before(async () => {
  sims = await startSims();
  p = picks(sims);
  supplierId = p.routine.supplierId!;
  hub = await startTestHub(sims, (c) => {
    c.inbound = [
      ...(c.inbound ?? []),
      { kind: 'x12', name: 'suppliers', partners: { MEDSUPPLYCO: supplierId }, facility: p.facility },
      { kind: 'x12', name: 'supplier-files', partners: { MEDSUPPLYCO: supplierId }, facility: p.facility, folder: { path: dropbox, stableMs: 50, pollMs: 20 } },
    ];
    c.destinations.push({
      name: 'medsupply', role: 'supplier', kind: 'x12', url: pathToFileURL(outbox).href, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLYCO' },
    });
  });
});
after(async () => {
  await hub?.stop();
  await sims?.close();
});

type Trace = { events: { id: string; type: string; messageId: string; payload: Record<string, unknown> }[] };
const trace = async (correlationId: string) => (await api<Trace>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${correlationId}`)).body.events ?? [];
const refused = async () => (await api<{ data: { id: string; channel: string; error: string; sourceId: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data
  .filter((m) => m.channel === 'x12:suppliers');

test('855, 856 and 810 (4010 and 5010): 200 with a 997 or 999 accepting each set, and the events traceable by PO number', async () => {
  const ack = await postX12(hub, hub.tokens.operator, 'suppliers', fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi'));
  assert.equal(ack.status, 200, ack.body);
  assert.match(ack.type, /^application\/edi-x12/);
  assert.equal(ack.duplicate, false);
  const segments = segmentsOf(ack.body);
  assert.match(segments[0]!, /^ISA\*00\*          \*00\*          \*ZZ\*TENDONHOSP     \*ZZ\*MEDSUPPLYCO    \*\d{6}\*\d{4}\*U\*00401\*\d{9}\*0\*P\*:$/);
  assert.deepEqual(segments.slice(2, 8), ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);

  const asn = await postX12(hub, hub.tokens.operator, 'suppliers', fixture('856_asn_two-orders_lot-serial-expiry_tilde-element-star-terminator_4010.edi'));
  assert.deepEqual([asn.status, segmentsOf(asn.body).slice(2, 8)], [200, ['ST*997*0001', 'AK1*SH*102', 'AK2*856*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']]);
  const invoices = await postX12(hub, hub.tokens.operator, 'suppliers', fixture('810_invoice-and-credit-memo_5010.edi'), 'text/plain');
  assert.equal(invoices.status, 200);
  assert.deepEqual(segmentsOf(invoices.body).slice(2, 10), ['ST*999*0001*005010X231', 'AK1*IN*103*005010', 'AK2*810*0001', 'IK5*A', 'AK2*810*0002', 'IK5*A', 'AK9*A*2*2*2', 'SE*8*0001']);

  const events = await trace('PO-2026-000123');
  assert.deepEqual(events.map((e) => e.type).sort(), ['invoice.received', 'invoice.received', 'po.acknowledged', 'shipment.noticed']);
  const poAcked = events.find((e) => e.type === 'po.acknowledged')!;
  assert.equal(poAcked.payload.supplierId, supplierId, 'ISA06 MEDSUPPLYCO is this supplier in the channel\'s partner table');
  assert.deepEqual((poAcked.payload.lines as { status: string }[]).map((l) => l.status), ['accepted', 'changed', 'accepted', 'backordered']);
  assert.equal((await trace('PO-2026-000124'))[0]?.type, 'shipment.noticed', 'the 856\'s second order');
  // The message is kept as received and shown as it is: supply documents carry no PHI.
  const message = await api<{ raw: string; contentType: string; sourceId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${poAcked.messageId}`);
  assert.deepEqual([message.body.contentType, message.body.sourceId], ['application/edi-x12', '000000101']);
  assert.ok(message.body.raw.includes('ACK*IB*8*BX*067*20261205'));
  // A stored interchange is read again by its channel's decoder when it is reprocessed.
  const again = await api<{ events: { revision: number; status: string }[] }>(hub, hub.tokens.operator, 'POST', `/v1/messages/${poAcked.messageId}/reprocess`, {});
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.deepEqual(again.body.events.map((e) => e.revision), [2]);
});

test('the same interchange again: the same acceptance, X-Tendon-Duplicate: true, and no new event', async () => {
  const text = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi');
  const before = (await trace('PO-2026-000123')).length;
  const again = await postX12(hub, hub.tokens.operator, 'suppliers', text);
  assert.equal(again.status, 200);
  assert.equal(again.duplicate, true);
  assert.deepEqual(segmentsOf(again.body).slice(2, 8), ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
  assert.equal((await trace('PO-2026-000123')).length, before);
});

test('a broken envelope is answered 400 with a TA1 and kept; a set Tendon does not take gets a rejecting 997 and is kept', async () => {
  const text = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi').replace('*000000101*', '*000000777*');
  const broken = await postX12(hub, hub.tokens.operator, 'suppliers', text);
  assert.equal(broken.status, 400);
  assert.match(broken.type, /^application\/edi-x12/);
  assert.deepEqual(segmentsOf(broken.body).slice(1), ['TA1*000000777*261121*0930*R*001', segmentsOf(broken.body).at(-1)]);
  assert.match(segmentsOf(broken.body).at(-1)!, /^IEA\*0\*\d{9}$/);
  const claim = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi').replace('ST*855*0001', 'ST*837*0001').replaceAll('101', '131');
  const unsupported = await postX12(hub, hub.tokens.operator, 'suppliers', claim);
  assert.deepEqual([unsupported.status, segmentsOf(unsupported.body).slice(2, 8)], [200, ['ST*997*0001', 'AK1*PR*131', 'AK2*837*0001', 'AK5*R*1', 'AK9*R*1*1*0', 'SE*6*0001']]);
  const kept = await refused();
  assert.ok(kept.some((m) => m.sourceId === '000000777' && m.error.startsWith('TA1 001: IEA02 "000000101" is not ISA13 "000000777"')), JSON.stringify(kept));
  assert.ok(kept.some((m) => m.sourceId === '000000131' && m.error.startsWith('997/999 R: 837 0001 in group 131: Transaction Set Not Supported')));
  const shown = await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${kept.find((m) => m.sourceId === '000000131')!.id}`);
  assert.ok(shown.body.raw.includes('BAK*(masked)*') && !shown.body.raw.includes('PO-2026-000131'), 'a set that may carry PHI is masked');
});

test('the endpoint wants an operator token, a known channel and an X12 body', async () => {
  const body = poAck({ sender: 'MEDSUPPLYCO', controlNumber: 5, poNumber: 'PO-AUTH', facility: p.facility, itemId: p.routine.id });
  assert.equal((await postX12(hub, null, 'suppliers', body)).status, 401);
  assert.equal((await postX12(hub, hub.tokens.viewer, 'suppliers', body)).status, 403);
  assert.equal((await postX12(hub, hub.tokens.operator, 'nobody', body)).status, 404);
  assert.equal((await postX12(hub, hub.tokens.operator, 'suppliers', '{"x":1}', 'application/json')).status, 415);
  assert.deepEqual(await trace('PO-AUTH'), []);
});

test('a folder: each interchange file is read once, archived or put in error/, and its 997 or TA1 written to ack/', async () => {
  const drop = async (name: string, content: string) => {
    writeFileSync(join(dropbox, `.${name}.tmp`), content);
    renameSync(join(dropbox, `.${name}.tmp`), join(dropbox, name));
    await waitFor(`${name} to leave the folder`, async () => !existsSync(join(dropbox, name)), 20_000, 20);
    return { archived: existsSync(join(dropbox, 'archive', name)), failed: existsSync(join(dropbox, 'error', name)), ack: readFileSync(join(dropbox, 'ack', `${name}.ack.edi`), 'latin1') };
  };
  const good = await drop('po-ack-601.edi', poAck({ sender: 'MEDSUPPLYCO', controlNumber: 601, poNumber: 'PO-FILE-601', facility: p.facility, itemId: p.routine.id }));
  assert.deepEqual([good.archived, good.failed], [true, false]);
  assert.ok(segmentsOf(good.ack).includes('AK5*A'), good.ack);
  assert.deepEqual((await trace('PO-FILE-601')).map((e) => e.type), ['po.acknowledged']);
  const bad = await drop('po-ack-602.edi', poAck({ sender: 'MEDSUPPLYCO', controlNumber: 602, poNumber: 'PO-FILE-602', facility: p.facility, itemId: p.routine.id }).replace('GE*1*602', 'GE*1*603'));
  assert.deepEqual([bad.archived, bad.failed], [false, true]);
  assert.ok(segmentsOf(bad.ack).includes('TA1*000000602*261121*0930*R*024'), bad.ack);
  assert.ok((await api<{ data: { channel: string; sourceId: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused')).body.data
    .some((m) => m.channel === 'x12:supplier-files' && m.sourceId === '000000602'));
});

/** The PO number the requisition workflow got for a requisition (the ERP numbers the order). */
const poNumberOf = (h: TestHub, system: string, number: string): Promise<string> => waitFor(`the PO number of ${number}`, async () => {
  const w = await api<{ state?: { poNumber: string | null } }>(h, h.tokens.viewer, 'GET', `/v1/workflows/requisition/${encodeURIComponent(`${system}:${number}:1`)}`);
  return w.body.state?.poNumber ?? undefined;
}, 20_000);

/** Posts a requisition for an item with a supplier; its purchase order goes to the x12 destination as an 850 file. */
async function requisition(number: string): Promise<number> {
  const event = {
    type: 'requisition.created', idempotencyKey: number, occurredAt: '2026-11-21T10:00:00-05:00', facility: p.facility, source: { system: 'x12-test' },
    payload: { item: { system: 'erp', code: p.routine.id }, quantity: { value: 6, unit: 'EA' }, location: p.location.id, priority: 'routine', requisitionNumber: number },
  };
  const res = await api(hub, hub.tokens.operator, 'POST', '/v1/events', [event]);
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const poNumber = await poNumberOf(hub, 'x12-test', number);
  const file = await waitFor(`the 850 for ${number}`, async () => existsSync(outbox) && readdirSync(outbox).find((f) => f.startsWith(`${poNumber}-`)), 20_000);
  const text = readFileSync(join(outbox, file), 'latin1');
  assert.match(text, new RegExp(`\\nBEG\\*00\\*SA\\*${poNumber}\\*\\*\\d{8}~\\n`));
  assert.ok(text.includes(`*BP*${p.routine.id}`));
  const isa13 = Number(text.slice(90, 99));
  assert.equal(file, `${poNumber}-${text.slice(90, 99)}.edi`);
  return isa13;
}

test('control numbers never go back: 850 ISA13s and 997 ISA13s keep increasing across a restart of the hub', async () => {
  const ackNumber = async (n: number) => Number(segmentsOf((await postX12(hub, hub.tokens.operator, 'suppliers',
    poAck({ sender: 'MEDSUPPLYCO', controlNumber: n, poNumber: `PO-R${n}`, facility: p.facility, itemId: p.routine.id }))).body)[0]!.slice(90, 99));
  const po1 = await requisition('REQ-X12-1');
  const po2 = await requisition('REQ-X12-2');
  const ack1 = await ackNumber(501);
  await drained(hub);
  hub = await restartTestHub(hub);
  const po3 = await requisition('REQ-X12-3');
  const ack2 = await ackNumber(502);
  assert.ok(po1 < po2 && po2 < po3, `850 ISA13s ${po1}, ${po2}, ${po3}`);
  assert.ok(ack1 < ack2, `997 ISA13s ${ack1}, ${ack2}`);
  assert.deepEqual((await trace('PO-R501')).map((e) => e.type), ['po.acknowledged'], 'the channel still answers after the restart');
});

test('a supplier\'s later 997 refusing an 850 makes that delivery a rejection, and the order asks a person; ask-again sends a new 850', async () => {
  const first = await requisition('REQ-X12-997');
  const poNumber = await poNumberOf(hub, 'x12-test', 'REQ-X12-997');
  await drained(hub);
  type Po = {
    orderKey: string; stage: string; decisions: string[];
    deliveries: { id: string; destination: string; action: string; status: string; remoteRef: string | null; lastError: string | null }[];
    exceptions: { category: string; status: string; ownerRole: string; detail: { reason?: string } }[];
  };
  const po = async () => (await api<Po>(hub, hub.tokens.viewer, 'GET', `/v1/purchase-orders/${poNumber}`)).body;
  const orders = async () => (await po()).deliveries.filter((d) => d.destination === 'medsupply' && d.action === 'purchase-order.send');
  const ack = (controlNumber: number, group: number, accepted: boolean) => postX12(hub, hub.tokens.operator, 'suppliers', functionalAck({ sender: 'MEDSUPPLYCO', controlNumber, group, accepted }));
  const metric = async (labels: string) => Number((await api<string>(hub, '', 'GET', '/metrics')).body.match(new RegExp(`^tendon_partner_acks_total\\{${labels}\\} (\\d+)`, 'm'))?.[1] ?? 0);

  // An acceptance is counted against the 850 it names; nothing else changes.
  const accepted = await ack(701, first, true);
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body, '', 'an acknowledgment is not acknowledged');
  assert.equal(await metric('destination="medsupply",result="accepted"'), 1);
  assert.deepEqual((await orders()).map((d) => d.status), ['delivered']);

  // The refusal comes later, from the supplier's translator: the delivery is rejected with its words.
  const refusal = await ack(702, first, false);
  assert.equal(refusal.status, 200);
  const [refused] = await orders();
  assert.equal(refused!.status, 'rejected');
  assert.equal(refused!.remoteRef, String(first).padStart(9, '0'));
  assert.match(refused!.lastError ?? '', /^997 rejected; segment PO1 at position 4: .*; element 2: /);
  const after = await po();
  assert.equal(after.stage, 'order-refused');
  assert.deepEqual(after.decisions, ['ask-again', 'cancel']);
  const open = after.exceptions.filter((x) => x.status === 'open');
  assert.deepEqual(open.map((x) => [x.category, x.ownerRole]), [['order_refused', 'integration']]);
  assert.equal(open[0]!.detail.reason, refused!.lastError);
  const rejection = (await api<{ data: { deliveryId: string; status: string; resolution: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?category=delivery_rejected&limit=1000'))
    .body.data.find((x) => x.deliveryId === refused!.id);
  assert.equal(rejection?.status, 'resolved', 'one problem, one exception: the order\'s speaks for the delivery');

  // Fixed at the supplier's end; a person asks again: a new 850 under a new control number.
  const decided = await api(hub, hub.tokens.operator, 'POST', `/v1/workflows/purchase-order/${after.orderKey}/decisions`, { decision: 'ask-again', reason: 'the supplier fixed its map' });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  const resent = await waitFor('the new 850', async () => (await orders()).find((d) => d.status === 'delivered'), 20_000);
  assert.ok(Number(resent.remoteRef) > first, `ISA13 ${resent.remoteRef} after ${first}`);
  assert.equal((await po()).stage, 'awaiting-ack');

  // The same refusal again, and a 997 about a number Tendon never sent: neither changes anything.
  assert.equal((await ack(702, first, false)).status, 200);
  assert.equal((await ack(703, 999_999, false)).status, 200);
  assert.deepEqual((await orders()).map((d) => d.status).sort(), ['delivered', 'rejected']);
  assert.equal((await po()).exceptions.filter((x) => x.status === 'open').length, 0);
  assert.equal(await metric('destination="",result="unmatched"'), 1);
  assert.equal(await metric('destination="medsupply",result="refused"'), 2);
});

test('the procure loop with the supplier simulator: a requisition\'s 850 over HTTP, then its 997, 855, 856 and 810 back as events', async () => {
  const network = await startNetwork({ seed: SEED, host: '127.0.0.1', supplierDelays: { ack: 20, poAck: 20, shipNotice: 20, invoice: 20, backorder: 50 } });
  const q = picks(network);
  const loop = await startTestHub(network, (c) => {
    c.inbound = [...(c.inbound ?? []), { kind: 'x12', name: 'supplier', partners: { MEDSUPPLY: q.routine.supplierId! }, facility: q.facility }];
    c.destinations.push({ name: 'medsupply', role: 'supplier', kind: 'x12', url: `${network.urls.supplier}/x12`, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' } });
  });
  try {
    network.connectSupplier(`${loop.url}/v1/x12/supplier`, loop.tokens.operator);
    const event = {
      type: 'requisition.created', idempotencyKey: 'REQ-LOOP-1', occurredAt: '2026-11-21T10:00:00-05:00', facility: q.facility, source: { system: 'x12-test' },
      payload: { item: { system: 'erp', code: q.routine.id }, quantity: { value: 6, unit: 'EA' }, location: q.location.id, priority: 'routine', requisitionNumber: 'REQ-LOOP-1' },
    };
    assert.equal((await api(loop, loop.tokens.operator, 'POST', '/v1/events', [event])).status, 202);
    const poNumber = await poNumberOf(loop, 'x12-test', 'REQ-LOOP-1');
    type Po = { documents: { type: string }[]; deliveries: { destination: string; status: string; remoteRef: string | null }[] };
    const done = await waitFor('the supplier\'s 855, 856 and 810', async () => {
      const po = (await api<Po>(loop, loop.tokens.viewer, 'GET', `/v1/purchase-orders/${poNumber}`)).body;
      return po.documents?.some((e) => e.type === 'invoice.received') ? po : undefined;
    }, 30_000);
    const types = new Set(done.documents.map((e) => e.type));
    for (const t of ['po.acknowledged', 'shipment.noticed', 'invoice.received']) assert.ok(types.has(t), `${t} in ${[...types]}`);
    const po = done.deliveries.find((d) => d.destination === 'medsupply')!;
    assert.equal(po.status, 'delivered');
    assert.match(po.remoteRef ?? '', /^\d{9}$/, 'the 850\'s ISA13');
    assert.deepEqual(await refusedIn(loop), [], 'every document the supplier sent was taken, its 997 for the 850 too');
    assert.match((await api<string>(loop, '', 'GET', '/metrics')).body, /^tendon_partner_acks_total\{destination="medsupply",result="accepted"\} 1$/m,
      'the supplier\'s 997 was matched to the 850 it accepts');
  } finally {
    await loop.stop();
    await network.close();
  }
});

test('reprocessing a requisition cancels its 850 at the supplier (BEG01 01) before the corrected order goes', async () => {
  const network = await startNetwork({ seed: SEED, host: '127.0.0.1' });
  const q = picks(network);
  const h = await startTestHub(network, (c) => {
    c.destinations.push({ name: 'medsupply', role: 'supplier', kind: 'x12', url: `${network.urls.supplier}/x12`, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' } });
  });
  try {
    const event = {
      type: 'requisition.created', idempotencyKey: 'REQ-CANCEL-1', occurredAt: '2026-11-21T10:00:00-05:00', facility: q.facility, source: { system: 'x12-test' },
      payload: { item: { system: 'erp', code: q.routine.id }, quantity: { value: 6, unit: 'EA' }, location: q.location.id, priority: 'routine' },
    };
    const res = await api<{ results: { id: string }[] }>(h, h.tokens.operator, 'POST', '/v1/events', [event]);
    const key = `x12-test:${res.body.results[0]!.id}:1`;
    const numberOf = () => waitFor('a PO number', async () =>
      (await api<{ state?: { poNumber: string | null; status: string } }>(h, h.tokens.viewer, 'GET', `/v1/workflows/requisition/${key}`)).body.state?.poNumber ?? undefined, 20_000);
    const firstPo = await numberOf();
    await drained(h);
    const { messageId } = (await api<{ messageId: string }>(h, h.tokens.viewer, 'GET', `/v1/events/${res.body.results[0]!.id}`)).body;
    const reprocessed = await api<{ events: { id: string }[] }>(h, h.tokens.operator, 'POST', `/v1/messages/${messageId}/reprocess`, {});
    assert.equal(reprocessed.status, 200, JSON.stringify(reprocessed.body));
    const secondPo = await waitFor('the corrected order', async () => {
      const n = await numberOf();
      return n !== firstPo ? n : undefined;
    }, 20_000);
    await drained(h);
    type Po = { status: string; deliveries: { destination: string; action: string; status: string }[] };
    const first = (await api<Po>(h, h.tokens.viewer, 'GET', `/v1/purchase-orders/${firstPo}`)).body;
    assert.equal(first.status, 'cancelled');
    assert.deepEqual(first.deliveries.filter((d) => d.destination === 'medsupply').map((d) => [d.action, d.status]),
      [['purchase-order.send', 'delivered'], ['reverse', 'delivered']], 'the first order\'s 850, then its cancelling 850');
    const supplier = (await ledger(network, 'supplier')).map((e) => [e.kind, e.body.poNumber]);
    assert.deepEqual(supplier, [['order', firstPo], ['cancel', firstPo], ['order', secondPo]]);
  } finally {
    await h.stop();
    await network.close();
  }
});

async function refusedIn(h: TestHub) {
  return (await api<{ data: { channel: string; error: string }[] }>(h, h.tokens.viewer, 'GET', '/v1/messages/refused')).body.data.filter((m) => m.channel.startsWith('x12:'));
}
