// The supplier simulator against a stand-in for the hub's X12 endpoint (test-hub.ts): document order and content,
// 4010 and 5010, duplicates, TA1s, outage and retries, cancellation, restart, 832 catalogs and the CLI. The
// procure-to-pay paths (quantity changes, partial shipments, invoice variances, credit memos) are in paths.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { planCatalog } from './catalog.ts';
import { startSupplier } from './server.ts';
import {
  all, catalogueLines, cents, FAST, first, getJson, network, PLAIN, po850, postX12, QUICK_RETRY, settled, startHub, ta1Of, waitFor, type Delims, type Doc, type Hub,
} from './test-hub.ts';

// ---------------------------------------------------------------------------------------------------------

test('a 4010 850 gets a 997, an 855, and an 856 and 810 per shipment, consistent line by line', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, network, delays: FAST, rates: { ...PLAIN, priceChange: 0.25, backorder: 0.2, reject: 0.15 }, retry: QUICK_RETRY, log: () => {} });
  try {
    sim.connect(hub.url, 'tok-1');
    const answer = await postX12(sim, po850({ control: '000000101', poNumber: '4500000101' }));
    assert.equal(answer.status, 202);
    assert.equal(answer.body, '');
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders')).data[0]?.state === 'invoiced' || undefined);
    await settled(sim);

    for (const r of hub.requests) {
      assert.equal(r.auth, 'Bearer tok-1');
      assert.equal(r.type, 'application/edi-x12');
    }
    const kinds = hub.docs.map((d) => d.st[0]);
    assert.deepEqual(kinds, ['997', '855', '856', '810', '856', '810']);
    assert.equal(new Set(hub.docs.map((d) => d.isa13)).size, hub.docs.length, 'each interchange has its own ISA13');
    for (const d of hub.docs) {
      assert.equal(d.receiver, 'TENDON');
      assert.equal(d.gs[2], 'TENDON');
      assert.equal(d.gs[7], '004010');
      assert.equal(Number(d.gs[5]), Number(d.isa13));
    }

    const [ack, poAck, asn1, inv1, asn2, inv2] = hub.docs as [Doc, Doc, Doc, Doc, Doc, Doc];
    assert.equal(ack.gs[0], 'FA');
    assert.deepEqual(first(ack, 'AK1'), ['AK1', 'PO', '101']);
    assert.deepEqual(first(ack, 'AK2'), ['AK2', '850', '0001']);
    assert.deepEqual(first(ack, 'AK5'), ['AK5', 'A']);
    assert.deepEqual(first(ack, 'AK9'), ['AK9', 'A', '1', '1', '1']);

    // 855: every PO line echoed with its ACK; the seeded draw gave each kind of answer at least once.
    const ordered = catalogueLines(12);
    const bak = first(poAck, 'BAK');
    assert.equal(poAck.gs[0], 'PR');
    assert.deepEqual(bak.slice(0, 5), ['BAK', '00', 'AC', '4500000101', '20261121']);
    const po1s = all(poAck, 'PO1');
    const acks = all(poAck, 'ACK');
    assert.equal(po1s.length, 12);
    assert.equal(acks.length, 12);
    const status = new Map(po1s.map((p, i) => [p[1], (acks[i] as string[])[1]]));
    assert.deepEqual([...new Set(status.values())].sort(), ['IA', 'IB', 'IP', 'IR']);
    const ackPrice = new Map(po1s.map((p) => [p[1] as string, p[4] as string]));
    po1s.forEach((p, i) => {
      const o = ordered[i] as string[];
      const a = acks[i] as string[];
      assert.deepEqual([p[1], p[2], p[3]], [o[1], o[2], o[3]]);
      assert.deepEqual(p.slice(6, 12), ['VC', o[7], 'UK', o[9], 'IN', o[11]]);
      assert.deepEqual([a[2], a[3]], [o[2], o[3]]);
      const ratio = Number(p[4]) / Number(o[4]);
      if (a[1] === 'IP') assert.ok(ratio >= 1.025 && ratio <= 1.085, `price change ${ratio}`);
      else assert.equal(p[4], o[4]);
      if (a[1] === 'IB') assert.match(`${a[4]} ${a[5]}`, /^068 2026(11|12)\d\d$/);
    });

    // 856s: the accepted lines now, the backordered ones later; never a rejected line.
    const shipped = (asn: Doc) => {
      const qty = new Map<string, number>();
      const lins = all(asn, 'LIN');
      const sn1s = all(asn, 'SN1');
      lins.forEach((lin, i) => qty.set(lin[1] as string, (qty.get(lin[1] as string) ?? 0) + Number((sn1s[i] as string[])[2])));
      return qty;
    };
    for (const [asn, wanted] of [[asn1, ['IA', 'IP']], [asn2, ['IB']]] as const) {
      assert.equal(asn.gs[0], 'SH');
      assert.deepEqual(first(asn, 'PRF').slice(0, 2), ['PRF', '4500000101']);
      assert.deepEqual(first(asn, 'TD5').slice(0, 3), ['TD5', 'B', '2']);
      assert.ok((first(asn, 'REF')[2] ?? '').length >= 10, 'REF*CN tracking number');
      assert.deepEqual(all(asn, 'HL').slice(0, 2).map((h) => h[3]), ['S', 'O']);
      const expected = new Map(ordered.filter((o) => wanted.includes(status.get(o[1] as string) as never)).map((o) => [o[1], Number(o[2])]));
      assert.deepEqual(shipped(asn), expected);
      for (const lin of all(asn, 'LIN')) {
        const o = ordered.find((x) => x[1] === lin[1]) as string[];
        assert.deepEqual(lin.slice(2, 6), ['VC', o[7], 'UK', o[9]]);
        const item = network.master.items.find((it) => it.id === o[11]);
        const pairs = new Map(lin.slice(2).flatMap((_, k, a) => (k % 2 === 0 ? [[a[k], a[k + 1]] as [string, string]] : [])));
        assert.equal(pairs.has('LT'), item?.lotControlled, `lot on ${o[11]}`);
        assert.equal(pairs.has('SN'), item?.serialControlled, `serial on ${o[11]}`);
      }
    }
    // A serialised implant ships one HL item per unit, each with its own serial.
    const serials = [asn1, asn2].flatMap((a) => all(a, 'LIN')).flatMap((lin) => (lin.includes('SN') ? [lin[lin.indexOf('SN') + 1]] : []));
    assert.equal(new Set(serials).size, serials.length);
    assert.ok(all(asn1, 'DTM').some((d) => d[1] === '036'), 'expiry DTM*036');

    // 810s: invoice what shipped, at the acknowledged price; TDS is the total in cents.
    for (const [inv, asn] of [[inv1, asn1], [inv2, asn2]] as const) {
      assert.equal(inv.gs[0], 'IN');
      const big = first(inv, 'BIG');
      assert.equal(big[4], '4500000101');
      assert.match(big[2] ?? '', /^INV-\d+$/);
      const it1s = all(inv, 'IT1');
      const qty = shipped(asn);
      assert.deepEqual(new Map(it1s.map((l) => [l[1], Number(l[2])])), qty);
      for (const l of it1s) assert.equal(l[4], ackPrice.get(l[1] as string));
      const total = it1s.reduce((sum, l) => sum + Number(l[2]) * cents(l[4] as string), 0);
      assert.deepEqual(first(inv, 'TDS'), ['TDS', String(total)]);
    }
    assert.notEqual(first(inv1, 'BIG')[2], first(inv2, 'BIG')[2]);

    // The sim read the hub's 997s (written with other delimiters) and says so.
    const { data } = await getJson(sim, '/orders');
    assert.equal(data.length, 1);
    assert.equal(data[0].documents.length, 5);
    for (const doc of data[0].documents) {
      assert.equal(doc.state, 'sent');
      assert.equal(doc.answer.accepted, true);
      assert.match(doc.answer.detail, /^997 AK9 A; AK5 A$/);
    }
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('a 5010 850 gets a 999 and 5010 documents; ISA14=1 gets a TA1 on the 202', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, network, delays: FAST, rates: PLAIN, retry: QUICK_RETRY, log: () => {} });
  try {
    sim.connect(hub.url, 'tok-2');
    const caret: Delims = { e: '^', c: '>', r: '{', s: '~', nl: '\n  ' };
    const answer = await postX12(sim, po850({ control: '000000202', poNumber: 'PO-5010-1', version: '5010', ack: true, delims: caret, lines: catalogueLines(3) }));
    assert.equal(answer.status, 202);
    assert.equal(answer.type, 'application/edi-x12');
    assert.deepEqual(ta1Of(answer.body), ['TA1', '000000202', '261121', '0930', 'A', '000']);
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders')).data[0]?.state === 'invoiced' || undefined);
    await settled(sim);

    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['999', '855', '856', '810']);
    const [ack, poAck, , inv] = hub.docs as [Doc, Doc, Doc, Doc];
    assert.equal(ack.isaVersion, '00501');
    assert.equal(ack.gs[7], '005010X231');
    assert.deepEqual(ack.st, ['999', ack.st[1], '005010X231']);
    assert.deepEqual(first(ack, 'AK1'), ['AK1', 'PO', '202', '005010']);
    assert.deepEqual(first(ack, 'IK5'), ['IK5', 'A']);
    assert.deepEqual(first(ack, 'AK9'), ['AK9', 'A', '1', '1', '1']);
    for (const d of hub.docs.slice(1)) assert.equal(d.gs[7], '005010');
    assert.equal(first(poAck, 'BAK')[2], 'AD');
    assert.deepEqual(all(poAck, 'ACK').map((a) => a[1]), ['IA', 'IA', 'IA']);
    const total = catalogueLines(3).reduce((sum, l) => sum + Number(l[2]) * cents(l[4] as string), 0);
    assert.deepEqual(first(inv, 'TDS'), ['TDS', String(total)]);
    const { data } = await getJson(sim, '/orders');
    assert.match(data[0].documents[0].answer.detail, /^999 AK9 A; IK5 A$/);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('a resent interchange and a second 850 for the same PO number have no new effect', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, network, delays: FAST, rates: PLAIN, retry: QUICK_RETRY, log: () => {} });
  try {
    sim.connect(hub.url, 'tok');
    const text = po850({ control: '000000301', poNumber: 'PO-DUP', ack: true, lines: catalogueLines(2) });
    const once = await postX12(sim, text);
    const again = await postX12(sim, text);
    assert.equal(once.status, 202);
    assert.deepEqual(again, once, 'the same answer, byte for byte');
    const renumbered = await postX12(sim, po850({ control: '000000302', poNumber: 'PO-DUP', lines: catalogueLines(2) }));
    assert.equal(renumbered.status, 202);
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders')).data[0]?.state === 'invoiced' || undefined);
    await settled(sim);
    await sleep(100);
    // One 997 per interchange received (two), one document set for the order.
    assert.deepEqual(hub.docs.map((d) => d.st[0]).sort(), ['810', '855', '856', '997', '997']);
    assert.deepEqual(hub.docs.filter((d) => d.st[0] === '997').map((d) => first(d, 'AK1')[2]), ['301', '302']);
    assert.equal((await getJson(sim, '/orders')).data.length, 1);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('a broken envelope is refused with 400 and a TA1; errors inside a set come back in the 997', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, delays: FAST, retry: QUICK_RETRY, log: () => {} });
  try {
    sim.connect(hub.url, 'tok');
    const good = po850({ control: '000000401', poNumber: 'PO-401', lines: catalogueLines(2) });
    const cases: [string, string, string][] = [
      [good.replace('IEA*1*000000401', 'IEA*1*000000999'), '000000401', '001'],
      [good.replace('GE*1*401', 'GE*2*401'), '000000401', '024'],
      [good.replace(/SE\*\d+\*0001~\r\n/, ''), '000000401', '024'],
      [good.replace('IEA*1*000000401~\r\n', ''), '000000401', '023'],
      [po850({ control: '000000402', poNumber: 'PO-402', to: 'SOMEONEELSE', lines: catalogueLines(1) }), '000000402', '009'],
      [good.replace('*P*:~', '*X*:~'), '000000401', '020'],
      ['PO1*1*2*EA*10', '000000000', '022'],
      [good.slice(0, 80), '000000000', '023'],
    ];
    for (const [text, control, note] of cases) {
      const answer = await postX12(sim, text);
      assert.equal(answer.status, 400, `${note}: ${answer.body}`);
      assert.equal(answer.type, 'application/edi-x12');
      assert.deepEqual(ta1Of(answer.body).slice(0, 2), ['TA1', control]);
      assert.deepEqual(ta1Of(answer.body).slice(4), ['R', note]);
    }
    const noType = await fetch(`${sim.url}/x12`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(noType.status, 400);

    // A readable envelope whose 850 lacks its PO number and has a bad quantity: 202, then a 997 that says where.
    const bad = po850({
      control: '000000403', poNumber: '', lines: [['PO1', '1', 'two', 'EA', '10.00', 'PE', 'VC', 'X-1'], ['PO1', '2', '1', 'EA', '5.00', 'PE', 'VC', 'X-2']],
    });
    assert.equal((await postX12(sim, bad)).status, 202);
    await waitFor('the 997', () => hub.docs.length === 1 || undefined);
    await settled(sim);
    const ack = hub.docs[0] as Doc;
    assert.equal(ack.st[0], '997');
    assert.deepEqual(all(ack, 'AK3'), [['AK3', 'BEG', '2', '', '8'], ['AK3', 'PO1', '8', '', '8']]);
    assert.deepEqual(all(ack, 'AK4'), [['AK4', '3', '324', '1'], ['AK4', '2', '330', '6', 'two']]);
    assert.deepEqual(first(ack, 'AK5'), ['AK5', 'R', '5']);
    assert.deepEqual(first(ack, 'AK9'), ['AK9', 'R', '1', '1', '0']);
    await sleep(50);
    assert.equal(hub.docs.length, 1, 'no 855 for a rejected set');
    assert.deepEqual((await getJson(sim, '/orders')).data, []);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('while the hub is down the documents wait and are retried, and each arrives once', async () => {
  // A port with nobody listening yet: connection refused until the hub starts there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const lines: string[] = [];
  const sim = await startSupplier({ seed: 7, network, delays: FAST, rates: PLAIN, retry: QUICK_RETRY, log: (l) => lines.push(l) });
  let hub: Hub | undefined;
  try {
    // Connected through the control plane, as a hub started after the simulators would be.
    const connected = await fetch(`${sim.url}/_sim/hub`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${port}/v1/x12/supplier`, token: 'tok' }),
    });
    assert.equal(connected.status, 200);
    assert.equal((await postX12(sim, po850({ control: '000000501', poNumber: 'PO-501', lines: catalogueLines(2) }))).status, 202);
    await waitFor('two refused attempts', async () => ((await getJson(sim, '/outbox')).data[0]?.attempts ?? 0) >= 2 || undefined);
    hub = await startHub({ port, unavailable: 3 });
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders')).data[0]?.state === 'invoiced' || undefined);
    await settled(sim);

    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810']);
    assert.equal(new Set(hub.docs.map((d) => d.isa13)).size, 4);
    // The 503s went to the first document; its retries were the very same interchange.
    const refused = hub.requests.filter((r) => r.status === 503);
    assert.equal(refused.length, 3);
    for (const r of refused) assert.equal(r.raw, hub.docs[0]?.raw);
    assert.ok(lines.some((l) => /sending 997 .* failed/.test(l)), lines.join('\n'));
  } finally {
    await sim.close();
    await hub?.close();
  }
});

test('a cancellation 850 (BEG01=01) cancels an open order: nothing ships or is invoiced', async () => {
  const hub = await startHub();
  const sim = await startSupplier({
    seed: 7, network, delays: { ...FAST, shipNotice: 60_000 }, rates: PLAIN, retry: QUICK_RETRY, log: () => {},
  });
  try {
    sim.connect(hub.url, 'tok');
    assert.equal((await postX12(sim, po850({ control: '000000601', poNumber: 'PO-601', lines: catalogueLines(2) }))).status, 202);
    await waitFor('the 855', () => hub.docs.some((d) => d.st[0] === '855') || undefined);
    assert.equal((await postX12(sim, po850({ control: '000000602', poNumber: 'PO-601', purpose: '01', lines: [] }))).status, 202);
    await settled(sim);
    const order = (await getJson(sim, '/orders')).data[0];
    assert.equal(order.state, 'cancelled');
    assert.deepEqual(order.documents.map((d: any) => `${d.document} ${d.state}`), ['855 sent', '856 cancelled', '810 cancelled']);
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '997']);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('the outbox survives a restart: documents owed before it are sent after it', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'supplier-')), 'supplier.sqlite');
  const options = { seed: 7, network, stateFile, delays: FAST, rates: PLAIN, retry: QUICK_RETRY, log: () => {} };
  const before = await startSupplier(options);
  assert.equal((await postX12(before, po850({ control: '000000701', poNumber: 'PO-701', lines: catalogueLines(2) }))).status, 202);
  await before.close(); // never connected: all four documents are still owed
  const hub = await startHub();
  const after = await startSupplier(options);
  try {
    assert.equal((await getJson(after, '/healthz')).outbox.pending, 4);
    after.connect(hub.url, 'tok');
    await settled(after);
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810']);
    // The same interchange again after the restart is still a duplicate.
    assert.equal((await postX12(after, po850({ control: '000000701', poNumber: 'PO-701', lines: catalogueLines(2) }))).status, 202);
    await sleep(100);
    assert.equal(hub.docs.length, 4);
  } finally {
    await after.close();
    await hub.close();
  }
});

test('a 997 that rejects a document settles it as rejected, logged, not resent', async () => {
  const hub = await startHub({ reject: true });
  const lines: string[] = [];
  const sim = await startSupplier({ seed: 7, delays: FAST, rates: PLAIN, retry: QUICK_RETRY, log: (l) => lines.push(l) });
  try {
    sim.connect(hub.url, 'tok');
    await postX12(sim, po850({ control: '000000801', poNumber: 'PO-801', lines: catalogueLines(1) }));
    await settled(sim);
    assert.equal(hub.docs.length, 4);
    const { data } = await getJson(sim, '/outbox');
    assert.deepEqual(data.map((e: any) => e.state), ['rejected', 'rejected', 'rejected', 'rejected']);
    assert.match(data[1].answer.detail, /^997 AK9 R; AK5 R 5$/);
    assert.ok(lines.some((l) => /the hub rejected 855 for PO PO-801/.test(l)));
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('price catalogs (832) go to the hub on an interval, one waiting at a time, with the prices planned for them', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, network, catalog: { intervalMs: 30, items: 10, varianceRate: 0.5 }, retry: QUICK_RETRY, log: () => {} });
  try {
    sim.connect(hub.url, 'tok-832');
    const catalogs = await waitFor('three catalogs', () => {
      const docs = hub.docs.filter((d) => d.st[0] === '832');
      return docs.length >= 3 ? docs.slice(0, 3) : undefined;
    });
    const entries = (await getJson(sim, '/outbox')).data.filter((e: any) => e.document === '832');
    assert.ok(entries.filter((e: any) => e.state === 'pending').length <= 1, 'one catalog waits at a time');
    assert.deepEqual(entries.slice(0, 3).map((e: any) => [e.state, e.answer.detail]), Array(3).fill(['sent', '997 AK9 A; AK5 A']));
    assert.deepEqual(catalogs.map((d) => first(d, 'BCT')[2]), ['CAT-000001', 'CAT-000002', 'CAT-000003']);
    let off = 0;
    for (const doc of catalogs) {
      assert.deepEqual([doc.gs[0], doc.receiver, doc.gs[2], doc.gs[7]], ['SC', 'TENDON', 'TENDON', '004010']);
      const date = first(doc, 'DTM')[2] as string;
      assert.equal(first(doc, 'DTM')[1], '007');
      // The catalog node-x12 read is the one the supplier planned from its seed and the catalog's id and date.
      const planned = planCatalog(network, {
        seed: 7, id: first(doc, 'BCT')[2] as string, at: Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T12:00:00Z`), items: 10, varianceRate: 0.5,
      });
      assert.deepEqual(first(doc, 'N1'), ['N1', 'ST', planned.facility.name, '92', planned.facility.id]);
      const lins = all(doc, 'LIN');
      const ctps = all(doc, 'CTP');
      assert.deepEqual(lins.map((l) => l[3]), planned.lines.map((l) => l.itemId));
      assert.deepEqual(ctps.map((c) => [c[3], c[5]]), planned.lines.map((l) => [l.price, l.unit]));
      off += planned.lines.filter((l) => l.price !== l.contractPrice).length;
    }
    assert.ok(off > 0, 'some prices are off the contract');
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('POST /_sim/catalog sends a catalog now; a supplier without a network has nothing to price', async () => {
  const hub = await startHub();
  const sim = await startSupplier({ seed: 7, network, retry: QUICK_RETRY, log: () => {} });
  const bare = await startSupplier({ seed: 7, log: () => {} });
  try {
    sim.connect(hub.url, 'tok');
    const res = await fetch(`${sim.url}/_sim/catalog`, { method: 'POST' });
    assert.equal(res.status, 201);
    const body = (await res.json()) as any;
    assert.match(body.label, /^832 price catalog CAT-000001 for FAC-[ABC] \(20 prices, \d+ off contract\)$/);
    await waitFor('the catalog', () => hub.docs.some((d) => d.st[0] === '832') || undefined);
    await settled(sim);
    assert.deepEqual(all(hub.docs[0] as Doc, 'CTP').map((c) => c[3]), body.catalog.lines.map((l: any) => l.price));
    // Without an interval no other catalog follows.
    assert.equal((await getJson(sim, '/healthz')).outbox.pending ?? 0, 0);
    assert.equal((await fetch(`${bare.url}/_sim/catalog`, { method: 'POST' })).status, 400);
  } finally {
    await sim.close();
    await bare.close();
    await hub.close();
  }
});

test('a catalog owed before a restart is still owed after it, and not twice', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'supplier-')), 'supplier.sqlite');
  const options = { seed: 7, network, stateFile, catalog: { intervalMs: 3_600_000 }, log: () => {} };
  const before = await startSupplier(options);
  const owed = (await getJson(before, '/outbox')).data;
  await before.close();
  const after = await startSupplier(options);
  try {
    const again = (await getJson(after, '/outbox')).data;
    assert.deepEqual(owed.map((e: any) => [e.document, e.state, e.label]), [['832', 'pending', again[0]?.label]]);
    assert.equal(again.length, 1);
  } finally {
    await after.close();
  }
});

test('node sim/main.ts --only supplier --supplier-hub … sends the documents to the hub with the token', async () => {
  const hub = await startHub();
  const main = join(import.meta.dirname, '..', 'main.ts');
  const child = spawn(process.execPath, [main, '--only', 'supplier', '--supplier-hub', hub.url, '--supplier-token', 'cli-token', '--supplier-delay-ms', '5'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const line = (await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value as string;
    const urls = JSON.parse(line);
    assert.deepEqual(Object.keys(urls), ['supplier']);
    const res = await fetch(`${urls.supplier}/x12`, { method: 'POST', headers: { 'content-type': 'application/edi-x12' }, body: po850({ control: '000000901', poNumber: 'PO-901', lines: catalogueLines(3) }) });
    assert.equal(res.status, 202);
    await waitFor('the invoice', () => hub.docs.some((d) => d.st[0] === '810') || undefined);
    assert.deepEqual(hub.docs.slice(0, 3).map((d) => d.st[0]), ['997', '855', '856']);
    assert.ok(hub.requests.every((r) => r.auth === 'Bearer cli-token'));
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await hub.close();
  }
});
