// The procure-to-pay paths end to end, each chosen by forcing its rate to 1 (the others 0): what the stand-in hub
// reads with node-x12 (an 855 with IQ lines, partial 856s each followed by its 810, over-billed 810s and their
// credit memos, a cancellation after a partial shipment) and what GET /orders/:poNumber says the supplier did.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Big from 'big.js';
import { startSupplier } from './server.ts';
import { all, catalogueLines, cents, FAST, first, getJson, network, PLAIN, po850, postX12, QUICK_RETRY, settled, startHub, waitFor, type Doc } from './test-hub.ts';
import type { LineRates } from './plan.ts';
import type { SupplierDelays } from './server.ts';

/** A supplier taking the paths `rates` force, connected to a fresh stand-in hub; `run` gets both. */
async function withSupplier(
  rates: Partial<LineRates>, run: (s: { sim: Awaited<ReturnType<typeof startSupplier>>; hub: Awaited<ReturnType<typeof startHub>>; log: string[] }) => Promise<void>,
  delays: Partial<SupplierDelays> = {},
): Promise<void> {
  const hub = await startHub();
  const log: string[] = [];
  const sim = await startSupplier({ seed: 7, network, delays: { ...FAST, ...delays }, rates: { ...PLAIN, ...rates }, retry: QUICK_RETRY, log: (l) => log.push(l) });
  try {
    sim.connect(hub.url, 'tok');
    await run({ sim, hub, log });
  } finally {
    await sim.close();
    await hub.close();
  }
}

/** Quantity per PO line number in an 856 (SN1 summed over its item HLs) or an 810 / credit memo (IT1). */
function quantities(doc: Doc): Map<string, number> {
  const m = new Map<string, number>();
  if (doc.st[0] === '856') all(doc, 'LIN').forEach((lin, i) => m.set(lin[1] as string, (m.get(lin[1] as string) ?? 0) + Number(all(doc, 'SN1')[i]?.[2])));
  else for (const it1 of all(doc, 'IT1')) m.set(it1[1] as string, (m.get(it1[1] as string) ?? 0) + Number(it1[2]));
  return m;
}
const tds = (doc: Doc) => Number(first(doc, 'TDS')[1]);
const billedCents = (doc: Doc) => all(doc, 'IT1').reduce((sum, l) => sum + Math.round(Number(l[2]) * Number(l[4]) * 100), 0);

test('IQ: the 855 acknowledges fewer units than ordered (ACK*IQ), and the 856 and 810 carry that quantity', async () => {
  await withSupplier({ quantityChange: 1 }, async ({ sim, hub }) => {
    const ordered = catalogueLines(3); // quantities 1, 3, 4: the first cannot be cut
    await postX12(sim, po850({ control: '000001001', poNumber: 'PO-IQ', lines: ordered }));
    await waitFor('the invoice', () => hub.docs.some((d) => d.st[0] === '810') || undefined);
    await settled(sim);
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810']);
    const [, poAck, asn, inv] = hub.docs as [Doc, Doc, Doc, Doc];
    assert.equal(first(poAck, 'BAK')[2], 'AC');
    // PO1 echoes what was ordered; ACK02 is what the supplier will ship.
    assert.deepEqual(all(poAck, 'PO1').map((p) => p[2]), ['1', '3', '4']);
    const acks = all(poAck, 'ACK');
    assert.deepEqual(acks.map((a) => a[1]), ['IA', 'IQ', 'IQ']);
    const acked = new Map(acks.map((a, i) => [String(i + 1), Number(a[2])]));
    assert.equal(acked.get('1'), 1);
    assert.ok((acked.get('2') as number) < 3 && (acked.get('3') as number) < 4);
    assert.deepEqual(quantities(asn), acked);
    assert.deepEqual(quantities(inv), acked);
    assert.equal(tds(inv), billedCents(inv));

    const view = await getJson(sim, '/orders/PO-IQ');
    assert.equal(view.state, 'invoiced');
    assert.deepEqual(view.lines.map((l: any) => [l.status, l.quantity, l.ackQuantity, l.shipped, l.invoiced.quantity]),
      [...acked].map(([line, n]) => [line === '1' ? 'IA' : 'IQ', Number(ordered[Number(line) - 1]?.[2]), n, n, n]));
  });
});

test('partial shipment: each line of two or more ships in two 856s, each followed by its own 810 for what it carried', async () => {
  await withSupplier({ partialShipment: 1 }, async ({ sim, hub }) => {
    await postX12(sim, po850({ control: '000001101', poNumber: 'PO-PART', lines: catalogueLines(4) }));
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders/PO-PART')).state === 'invoiced' || undefined);
    await settled(sim);
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810', '856', '810']);
    const [, poAck, asn1, inv1, asn2, inv2] = hub.docs as [Doc, Doc, Doc, Doc, Doc, Doc];
    assert.deepEqual(all(poAck, 'ACK').map((a) => a[1]), ['IA', 'IA', 'IA', 'IA']);
    const [q1, q2] = [quantities(asn1), quantities(asn2)];
    assert.deepEqual(quantities(inv1), q1);
    assert.deepEqual(quantities(inv2), q2);
    // Line 1 (one implant) ships whole in the first; lines of 3, 4 and 2 units in two parts.
    assert.deepEqual([...q2.keys()], ['2', '3', '4']);
    for (const [line, ordered] of [['1', 1], ['2', 3], ['3', 4], ['4', 2]] as const) assert.equal((q1.get(line) ?? 0) + (q2.get(line) ?? 0), ordered, `line ${line}`);
    assert.notEqual(first(asn1, 'BSN')[2], first(asn2, 'BSN')[2]);
    assert.notEqual(first(inv1, 'BIG')[2], first(inv2, 'BIG')[2]);

    const view = await getJson(sim, '/orders/PO-PART');
    const line3 = view.lines[2];
    assert.deepEqual([line3.shipped, line3.invoiced.quantity], [4, 4]);
    assert.deepEqual(line3.documents.map((d: any) => [d.document, d.state, d.quantity]),
      [['856', 'sent', q1.get('3')], ['810', 'sent', q1.get('3')], ['856', 'sent', q2.get('3')], ['810', 'sent', q2.get('3')]]);
  });
});

test('invoice price variance: the 810 bills over the acknowledged price; a credit memo (BIG07 CR) later gives the difference back', async () => {
  await withSupplier({ invoicePriceVariance: 1 }, async ({ sim, hub }) => {
    const ordered = catalogueLines(3);
    await postX12(sim, po850({ control: '000001201', poNumber: 'PO-PV', lines: ordered }));
    await waitFor('the credit memo', () => hub.docs.filter((d) => d.st[0] === '810').length === 2 || undefined);
    await settled(sim);
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810', '810']);
    const [, , , inv, memo] = hub.docs as [Doc, Doc, Doc, Doc, Doc];
    const agreed = new Map(ordered.map((o) => [o[1] as string, o[4] as string]));
    for (const it1 of all(inv, 'IT1')) {
      const ratio = Number(it1[4]) / Number(agreed.get(it1[1] as string));
      assert.ok(ratio >= 1.02 && ratio <= 1.101, `line ${it1[1]} billed ${it1[4]} for ${agreed.get(it1[1] as string)}`);
    }
    assert.equal(first(inv, 'BIG')[7], undefined, 'the invoice is no credit');
    const big = first(memo, 'BIG');
    assert.deepEqual([big[3], big[4], big[7]], ['20261121', 'PO-PV', 'CR']);
    assert.match(big[2] as string, /^CM-\d{6}$/);
    assert.deepEqual(first(memo, 'REF'), ['REF', 'OI', first(inv, 'BIG')[2]]);
    // One IT1 per over-billed line: the quantity invoiced at the difference in unit price, positive.
    const billed = new Map(all(inv, 'IT1').map((l) => [l[1], l]));
    for (const it1 of all(memo, 'IT1')) {
      const line = billed.get(it1[1]) as string[];
      assert.equal(it1[2], line[2]);
      assert.equal(cents(it1[4] as string), cents(line[4] as string) - cents(agreed.get(it1[1] as string) as string));
      assert.deepEqual(it1.slice(5), line.slice(5), 'the same item ids');
    }
    assert.equal(tds(memo), billedCents(memo));
    const agreedCents = ordered.reduce((sum, o) => sum + Number(o[2]) * cents(o[4] as string), 0);
    assert.equal(tds(inv) - tds(memo), agreedCents, 'invoice less credit is what was agreed');

    const view = await getJson(sim, '/orders/PO-PV');
    for (const [i, line] of view.lines.entries()) {
      const o = ordered[i] as string[];
      assert.equal(line.netAmount, new Big(o[4] as string).times(o[2] as string).toFixed(2), `line ${line.line}`);
      assert.deepEqual(line.documents.map((d: any) => [d.document, d.state, d.variance ?? d.reason]), [['856', 'sent', undefined], ['810', 'sent', 'price'], ['810 CR', 'sent', 'price']]);
    }
  });
});

test('invoice quantity variance: one unit billed over what shipped; the credit memo takes it back', async () => {
  await withSupplier({ invoiceQuantityVariance: 1 }, async ({ sim, hub }) => {
    await postX12(sim, po850({ control: '000001301', poNumber: 'PO-QV', lines: catalogueLines(3) }));
    await waitFor('the credit memo', () => hub.docs.filter((d) => d.st[0] === '810').length === 2 || undefined);
    await settled(sim);
    const [, , asn, inv, memo] = hub.docs as [Doc, Doc, Doc, Doc, Doc];
    const shipped = quantities(asn);
    assert.deepEqual(quantities(inv), new Map([...shipped].map(([l, n]) => [l, n + 1])));
    assert.equal(first(memo, 'BIG')[7], 'CR');
    assert.deepEqual(quantities(memo), new Map([...shipped].map(([l]) => [l, 1])));
    assert.deepEqual(all(memo, 'IT1').map((l) => l[4]), all(inv, 'IT1').map((l) => l[4]), 'at the price billed');
    const view = await getJson(sim, '/orders/PO-QV');
    assert.deepEqual(view.lines.map((l: any) => [l.shipped, l.invoiced.quantity, l.credited.quantity]), [...shipped].map(([, n]) => [n, n + 1, 1]));
  });
});

test('the credit memo waits its delay after the invoice, and does not hold up the next shipment', async () => {
  await withSupplier({ invoicePriceVariance: 1, partialShipment: 1 }, async ({ sim, hub }) => {
    await postX12(sim, po850({ control: '000001401', poNumber: 'PO-CD', lines: catalogueLines(3) }));
    await waitFor('both invoices', () => hub.docs.filter((d) => d.st[0] === '810').length === 2 || undefined);
    await sleepUntilQuiet(sim);
    const docs = (await getJson(sim, '/orders/PO-CD')).documents;
    assert.deepEqual(docs.map((d: any) => `${d.document} ${d.state}`), ['855 sent', '856 sent', '810 sent', '810 pending', '856 sent', '810 sent', '810 pending']);
    const [invoice, credit] = [docs[2], docs[3]];
    assert.equal(Date.parse(credit.dueAt) - Date.parse(invoice.dueAt), 60_000);
    assert.match(credit.label, /^810 credit memo CM-\d{6} \(invoice INV-\d{6}\) for PO PO-CD$/);
    assert.equal(hub.docs.filter((d) => first(d, 'BIG')[7] === 'CR').length, 0);
  }, { credit: 60_000 });
});

/** Waits until nothing but documents due later than a few seconds is left in the outbox. */
async function sleepUntilQuiet(sim: Awaited<ReturnType<typeof startSupplier>>): Promise<void> {
  await waitFor('only later documents pending', async () => {
    const { data } = await getJson(sim, '/outbox');
    return data.every((e: any) => e.state !== 'pending' || Date.parse(e.dueAt) > Date.now() + 5000) || undefined;
  });
}

test('a cancellation after a partial shipment stops what has not shipped; what has is still invoiced; after the last 856 it is too late', async () => {
  // The balance ships a minute after the first part: the cancellation comes in between.
  await withSupplier({ partialShipment: 1 }, async ({ sim, hub, log }) => {
    await postX12(sim, po850({ control: '000001501', poNumber: 'PO-CXL', lines: catalogueLines(3) }));
    await waitFor('the first 856', () => hub.docs.some((d) => d.st[0] === '856') || undefined);
    assert.equal((await postX12(sim, po850({ control: '000001502', poNumber: 'PO-CXL', purpose: '01', lines: [] }))).status, 202);
    await sleepUntilQuiet(sim);
    const view = await getJson(sim, '/orders/PO-CXL');
    assert.equal(view.state, 'cancelled');
    assert.deepEqual(view.documents.map((d: any) => `${d.document} ${d.state}`), ['855 sent', '856 sent', '810 sent', '856 cancelled', '810 cancelled']);
    assert.deepEqual(hub.docs.map((d) => d.st[0]).sort(), ['810', '855', '856', '997', '997']);
    // Each line: shipped and invoiced the first part only.
    for (const line of view.lines) {
      assert.equal(line.invoiced.quantity, line.shipped);
      assert.ok(line.shipped < line.quantity || line.quantity === 1, `line ${line.line}`);
    }
    const ledger = (await getJson(sim, '/_sim/ledger')).entries;
    assert.deepEqual(ledger.map((e: any) => [e.kind, e.body.shipments]), [['order', undefined], ['cancel', [view.shipments[1].id]]]);
    assert.ok(log.some((l) => /PO PO-CXL cancelled .* after a partial shipment/.test(l)), log.join('\n'));
  }, { invoice: 100, backorder: 60_000 });

  await withSupplier({}, async ({ sim, hub, log }) => {
    await postX12(sim, po850({ control: '000001601', poNumber: 'PO-LATE', lines: catalogueLines(2) }));
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders/PO-LATE')).state === 'invoiced' || undefined);
    await postX12(sim, po850({ control: '000001602', poNumber: 'PO-LATE', purpose: '01', lines: [] }));
    await settled(sim);
    assert.equal((await getJson(sim, '/orders/PO-LATE')).state, 'invoiced');
    assert.deepEqual(hub.docs.map((d) => d.st[0]), ['997', '855', '856', '810', '997']);
    assert.ok(log.some((l) => /PO PO-LATE has shipped; its cancellation .* comes too late/.test(l)));
  });
});

test('GET /orders/:poNumber: one order line by line; 404 for a PO number the supplier never received', async () => {
  await withSupplier({ backorder: 1 }, async ({ sim }) => {
    assert.equal((await fetch(`${sim.url}/orders/PO-NONE`)).status, 404);
    await postX12(sim, po850({ control: '000001701', poNumber: 'PO-VIEW', lines: catalogueLines(2) }));
    await waitFor('the invoiced order', async () => (await getJson(sim, '/orders/PO-VIEW')).state === 'invoiced' || undefined);
    const view = await getJson(sim, '/orders/PO-VIEW');
    const listed = (await getJson(sim, '/orders?poNumber=PO-VIEW')).data;
    assert.deepEqual(listed, [view]);
    assert.deepEqual(view.lines.map((l: any) => [l.status, l.expectedDate !== null, l.shipped, l.invoiced.quantity, l.credited.amount]), [['IB', true, 1, 1, '0.00'], ['IB', true, 3, 3, '0.00']]);
  });
});
