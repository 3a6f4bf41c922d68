// The supplier's planning, pure: each procure-to-pay path chosen by forcing its rate to 1 (and the others to 0),
// what it does to the 855 line, the shipments and the invoices, the credit memo that follows an over-billing, and
// the default rates staying modest over many orders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Big from 'big.js';
import { createRng } from '../common/prng.ts';
import { creditOf, DEFAULT_RATES, invoiceOf, networkCatalog, planOrder, upgradeOrder, type LineRates, type Order } from './plan.ts';
import type { PurchaseOrder } from './purchase-order.ts';
import { catalogueLines, network, PLAIN } from './test-hub.ts';

const catalog = networkCatalog(network);

/** The catalogue's first lines as a read PO: an implant × 1, a sterile × 3, a routine × 4, an implant × 2… */
function purchaseOrder(poNumber: string, count = 12): PurchaseOrder {
  return {
    purpose: '00', type: 'SA', poNumber, poDate: '20261121', currency: 'USD', parties: [],
    lines: catalogueLines(count).map((l) => ({
      line: l[1] as string, quantity: Number(l[2]), uom: l[3] as string, unitPrice: l[4] as string, basis: 'PE',
      ids: [['VC', l[7] as string], ['UK', l[9] as string], ['IN', l[11] as string]], description: null,
    })),
  };
}

function plan(poNumber: string, rates: Partial<LineRates>, count = 12): Order {
  let n = 0;
  const planned = planOrder(purchaseOrder(poNumber, count), 'ZZ:TENDON', {
    seed: 7, rates: { ...PLAIN, ...rates }, catalog, nextId: (prefix) => `${prefix}-${String(++n).padStart(6, '0')}`,
  });
  return {
    key: `ZZ:TENDON:${poNumber}`, poNumber, poDate: '20261121', poType: 'SA', currency: 'USD', buyer: { qualifier: 'ZZ', id: 'TENDON', groupCode: 'TENDON' },
    versions: { interchange: '00401', group: '004010' }, usage: 'P', interchange: '000000001', receivedAt: '', salesOrder: 'SO-000001', parties: [],
    ...planned, acknowledged: false, cancelledAt: null,
  };
}

/** Units of each line (by index) a shipment carries. */
const carried = (order: Order, s: number): Map<number, number> => {
  const m = new Map<number, number>();
  for (const u of order.shipments[s]?.units ?? []) m.set(u.index, (m.get(u.index) ?? 0) + u.quantity);
  return m;
};

test('without the later paths every line is acknowledged as ordered, shipped whole once, and billed as shipped', () => {
  const order = plan('PO-PLAIN', { priceChange: 0.2, backorder: 0.2, reject: 0.1 });
  assert.ok(order.lines.every((l) => l.status !== 'IQ' && l.ackQuantity === l.quantity));
  assert.ok(order.shipments.every((s) => !s.balance && s.credit === null));
  for (const s of order.shipments) {
    assert.ok(s.invoice.every((l) => l.variance === null && l.quantity === l.shipped && l.unitPrice === order.lines[l.index]?.ackPrice));
  }
  assert.deepEqual(plan('PO-PLAIN', { priceChange: 0.2, backorder: 0.2, reject: 0.1 }), order, 'the same PO, the same plan');
});

test('IQ: fewer units acknowledged (one short up to half the order), shipped and invoiced; a line of one unit cannot be cut', () => {
  const order = plan('PO-IQ', { quantityChange: 1 });
  assert.equal(order.ackType, 'AC');
  for (const line of order.lines) {
    if (line.quantity < 2) {
      assert.deepEqual([line.status, line.ackQuantity], ['IA', line.quantity]);
      continue;
    }
    assert.equal(line.status, 'IQ');
    assert.ok(line.ackQuantity < line.quantity && line.ackQuantity >= Math.ceil(line.quantity / 2), `${line.ackQuantity} of ${line.quantity}`);
    assert.equal(line.ackPrice, line.unitPrice);
  }
  assert.equal(order.shipments.length, 1);
  const shipped = carried(order, 0);
  order.lines.forEach((line, i) => assert.equal(shipped.get(i), line.ackQuantity, `line ${line.line}`));
  assert.deepEqual(invoiceOf(order, order.shipments[0]!).lines.map((l) => l.quantity), order.lines.map((l) => l.ackQuantity));
  // A serialised implant cut from 2 to 1 ships one serial number.
  const implant = order.shipments[0]!.units.filter((u) => u.index === 3);
  assert.deepEqual(implant.map((u) => [u.quantity, /^SN\d{9}$/.test(u.serial ?? '')]), [[1, true]]);
});

test('partial shipment: a line of two or more ships in two parts, each shipment invoiced for what it carried; backorders come after', () => {
  const order = plan('PO-PART', { partialShipment: 1, backorder: 0.3 });
  const kinds = order.shipments.map((s) => (s.backorder ? 'backorder' : s.balance ? 'balance' : 'first'));
  assert.deepEqual(kinds, ['first', 'balance', 'backorder']);
  const [first, balance] = [carried(order, 0), carried(order, 1)];
  order.lines.forEach((line, i) => {
    if (line.status === 'IB') return assert.ok(!first.has(i) && !balance.has(i));
    assert.equal((first.get(i) ?? 0) + (balance.get(i) ?? 0), line.ackQuantity, `line ${line.line}`);
    if (line.ackQuantity >= 2) assert.ok((first.get(i) ?? 0) >= 1 && (balance.get(i) ?? 0) >= 1, `line ${line.line} in two parts`);
    else assert.ok(!balance.has(i), `line ${line.line} of one unit ships once`);
  });
  for (const [s, shipment] of order.shipments.entries()) {
    assert.deepEqual(new Map(shipment.invoice.map((l) => [l.index, l.quantity])), carried(order, s));
  }
  assert.equal(new Set(order.shipments.map((s) => s.invoiceNumber)).size, 3, 'an invoice number per shipment');
});

test('invoice price variance: billed 2–10% over the acknowledged price; the credit memo gives the difference back per unit', () => {
  const order = plan('PO-PV', { invoicePriceVariance: 1, priceChange: 0.3 });
  const [shipment] = order.shipments;
  assert.ok(shipment?.credit);
  for (const l of shipment.invoice) {
    const agreed = new Big(order.lines[l.index]!.ackPrice);
    const ratio = new Big(l.unitPrice).div(agreed).toNumber();
    assert.equal(l.variance, 'price');
    assert.equal(l.quantity, l.shipped);
    assert.ok(ratio >= 1.02 && ratio <= 1.10 + 0.01 / agreed.toNumber(), `${l.unitPrice} over ${agreed}`);
  }
  assert.deepEqual(shipment.credit.lines.map((c) => [c.index, c.quantity, c.reason]), shipment.invoice.map((l) => [l.index, l.quantity, 'price']));
  // What the invoice billed minus the credit is exactly what was agreed for what shipped.
  const agreedCents = shipment.invoice.reduce((sum, l) => sum.plus(new Big(order.lines[l.index]!.ackPrice).times(l.shipped)), new Big(0)).times(100);
  const net = Number(invoiceOf(order, shipment).totalCents) - Number(creditOf(order, shipment).totalCents);
  assert.equal(net, agreedCents.toNumber());
  assert.match(shipment.credit.number, /^CM-\d{6}$/);
});

test('invoice quantity variance: one unit billed over what shipped; the credit memo takes that unit back at its price', () => {
  const order = plan('PO-QV', { invoiceQuantityVariance: 1 }, 4);
  const [shipment] = order.shipments;
  assert.ok(shipment?.credit);
  assert.ok(shipment.invoice.every((l) => l.variance === 'quantity' && l.quantity === l.shipped + 1 && l.unitPrice === order.lines[l.index]!.ackPrice));
  assert.deepEqual(shipment.credit.lines, shipment.invoice.map((l) => ({ index: l.index, quantity: 1, unitPrice: l.unitPrice, reason: 'quantity' })));
});

test('the default rates stay modest: over 300 orders each path is taken about as often as its rate says', () => {
  const rng = createRng(11);
  const counts = { lines: 0, IQ: 0, IP: 0, IB: 0, IR: 0, splittable: 0, split: 0, billed: 0, price: 0, quantity: 0, credits: 0 };
  for (let i = 0; i < 300; i++) {
    const order = plan(`PO-${rng.digits(8)}`, DEFAULT_RATES);
    for (const line of order.lines) {
      counts.lines++;
      if (line.status !== 'IA') counts[line.status]++;
      if (line.status !== 'IB' && line.status !== 'IR' && line.ackQuantity >= 2) counts.splittable++;
    }
    const balance = order.shipments.find((s) => s.balance);
    counts.split += balance ? carried(order, order.shipments.indexOf(balance)).size : 0;
    for (const s of order.shipments) {
      counts.billed += s.invoice.length;
      for (const l of s.invoice) if (l.variance) counts[l.variance]++;
      if (s.credit) counts.credits++;
    }
  }
  const near = (n: number, of: number, rate: number) => assert.ok(Math.abs(n / of - rate) < rate * 0.5, `${n} of ${of}, rate ${rate}`);
  near(counts.IP, counts.lines, DEFAULT_RATES.priceChange);
  near(counts.IB, counts.lines, DEFAULT_RATES.backorder);
  // IQ only where the quantity can be cut (about 3 lines in 4 here).
  assert.ok(counts.IQ > counts.lines * DEFAULT_RATES.quantityChange * 0.4 && counts.IQ < counts.lines * DEFAULT_RATES.quantityChange * 1.2, `${counts.IQ} IQ`);
  near(counts.split, counts.splittable, DEFAULT_RATES.partialShipment);
  near(counts.price, counts.billed, DEFAULT_RATES.invoicePriceVariance);
  near(counts.quantity, counts.billed, DEFAULT_RATES.invoiceQuantityVariance);
  assert.ok(counts.credits > 0 && counts.credits <= counts.price + counts.quantity);
});

test('an order stored before these paths reads as that version behaved: acknowledged as ordered, billed as shipped', () => {
  const order = plan('PO-OLD', { priceChange: 0.5 }, 4);
  const expected = structuredClone(order);
  const old = structuredClone(order) as any;
  for (const l of old.lines) delete l.ackQuantity;
  for (const s of old.shipments) for (const k of ['balance', 'invoice', 'credit', 'credited']) delete s[k];
  assert.deepEqual(upgradeOrder(old), expected);
});
