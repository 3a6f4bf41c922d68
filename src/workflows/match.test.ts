// The three-way match on its own: what an AP clerk sees decided for each invoice line (PO price × quantity within
// tolerance, no more billed than received or ordered, every line naming a PO line) and the totals, exact to the cent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threeWayMatch, type MatchInvoiceLine, type MatchPoLine } from './match.ts';

/** The site defaults: 2 % of the line's amount or 5.00, whichever is larger. */
const TOLERANCE = { percent: 2, amount: 5 };

const poLine = (over: Partial<MatchPoLine> = {}): MatchPoLine =>
  ({ line: '1', itemId: 'ITM-KNEE', quantity: 10, unitPrice: '100.00', received: 10, invoicedQuantity: 0, ...over });

const invoiceLine = (over: Partial<MatchInvoiceLine> = {}): MatchInvoiceLine =>
  ({ line: '1', itemId: 'ITM-KNEE', quantity: 10, unitPrice: '100.00', ...over });

/** The verdict of a one-line invoice against a one-line PO. */
const verdictOf = (po: Partial<MatchPoLine>, inv: Partial<MatchInvoiceLine>) => threeWayMatch([poLine(po)], [invoiceLine(inv)], TOLERANCE);

test('an invoice at the PO price for goods received matches, with PO, receipt and invoice side by side', () => {
  const r = verdictOf({}, {});
  assert.equal(r.verdict, 'matched');
  assert.equal(r.total, '1000.00');
  assert.deepEqual(r.lines, [{
    line: '1', poLine: '1', itemId: 'ITM-KNEE', verdict: 'matched', po: { quantity: 10, unitPrice: '100.00' }, received: 10, previouslyInvoiced: 0,
    invoice: { quantity: 10, unitPrice: '100.00', amount: '1000.00' }, expectedAmount: '1000.00', difference: '0.00',
  }]);
});

test('on a large line the percent tolerance applies (2 % of 1000.00 = 20.00, more than 5.00)', () => {
  assert.equal(verdictOf({}, { unitPrice: '101.90' }).verdict, 'matched', '19.00 over');
  assert.equal(verdictOf({}, { unitPrice: '98.00' }).verdict, 'matched', '20.00 under: exactly the tolerance');
  const over = verdictOf({}, { unitPrice: '102.10' });
  assert.equal(over.verdict, 'mismatch', '21.00 over');
  assert.equal(over.lines[0]!.verdict, 'price');
  assert.equal(over.lines[0]!.difference, '21.00');
});

test('on a small line the absolute tolerance applies (5.00, more than 2 % of 100.00)', () => {
  assert.equal(verdictOf({}, { quantity: 1, unitPrice: '105.00' }).verdict, 'matched', '5.00 over: exactly the tolerance');
  assert.equal(verdictOf({}, { quantity: 1, unitPrice: '95.00' }).verdict, 'matched', '5.00 under');
  assert.equal(verdictOf({}, { quantity: 1, unitPrice: '105.01' }).lines[0]!.verdict, 'price');
  assert.equal(verdictOf({}, { quantity: 1, unitPrice: '94.99' }).lines[0]!.verdict, 'price', 'under-billing beyond tolerance is a mismatch too');
});

test('an invoice ahead of its goods waits for the receipt', () => {
  const r = verdictOf({ received: 4 }, { quantity: 6 });
  assert.equal(r.verdict, 'waiting');
  assert.equal(r.lines[0]!.verdict, 'waiting');
  assert.equal(r.lines[0]!.received, 4);
});

test('billing more than was ordered is a quantity mismatch, even before the goods arrive', () => {
  const r = verdictOf({ received: 0 }, { quantity: 11 });
  assert.equal(r.verdict, 'mismatch');
  assert.equal(r.lines[0]!.verdict, 'quantity');
});

test('a line naming no PO line, by number or item, is an unknown line', () => {
  const r = threeWayMatch([poLine()], [invoiceLine(), invoiceLine({ line: '7', itemId: 'ITM-FREIGHT', quantity: 1, unitPrice: '25.00' })], TOLERANCE);
  assert.equal(r.verdict, 'mismatch');
  assert.deepEqual(r.lines.map((l) => l.verdict), ['matched', 'unknown-line']);
  assert.equal(r.lines[1]!.po, null);
  assert.equal(r.lines[1]!.poLine, null);
  assert.equal(r.total, '1025.00', 'the unknown line is still in the invoice total');
});

test('earlier invoices on the PO line count: the second bill for the same goods does not pass', () => {
  const partly = verdictOf({ invoicedQuantity: 6 }, { quantity: 4 });
  assert.equal(partly.verdict, 'matched');
  assert.equal(partly.lines[0]!.previouslyInvoiced, 6);
  assert.equal(verdictOf({ invoicedQuantity: 6 }, { quantity: 5 }).lines[0]!.verdict, 'quantity', '6 + 5 is more than the 10 ordered');
  assert.equal(verdictOf({ invoicedQuantity: 6, received: 8 }, { quantity: 4 }).lines[0]!.verdict, 'waiting', '6 + 4 is more than the 8 received');
});

test('two lines of one invoice on the same PO line add up', () => {
  const r = threeWayMatch([poLine()], [invoiceLine({ quantity: 6 }), invoiceLine({ quantity: 5 })], TOLERANCE);
  assert.deepEqual(r.lines.map((l) => [l.verdict, l.previouslyInvoiced]), [['matched', 0], ['quantity', 6]]);
});

test('a line without a line number is matched by its item', () => {
  const po = [poLine(), poLine({ line: '2', itemId: 'ITM-GAUZE', quantity: 20, unitPrice: '3.50', received: 20 })];
  const r = threeWayMatch(po, [invoiceLine({ line: null, itemId: 'ITM-GAUZE', quantity: 20, unitPrice: '3.50' })], TOLERANCE);
  assert.equal(r.verdict, 'matched');
  assert.equal(r.lines[0]!.poLine, '2');
  assert.equal(r.lines[0]!.expectedAmount, '70.00');
});

test('amounts and totals are exact 2-decimal strings, not floating point', () => {
  const po = [poLine({ unitPrice: '0.10' }), poLine({ line: '2', itemId: 'ITM-SWAB', unitPrice: '0.20' })];
  const r = threeWayMatch(po, [invoiceLine({ quantity: 3, unitPrice: '0.10' }), invoiceLine({ line: '2', itemId: 'ITM-SWAB', quantity: 1, unitPrice: '0.20' })], TOLERANCE);
  assert.equal(r.lines[0]!.invoice.amount, '0.30');
  assert.equal(r.lines[0]!.expectedAmount, '0.30');
  assert.equal(r.lines[0]!.difference, '0.00');
  assert.equal(r.total, '0.50');
  // 0.015 is 0.01499… as a float, which rounds down; as a decimal it is half a cent and rounds up.
  assert.equal(verdictOf({ unitPrice: '0.015' }, { quantity: 1, unitPrice: '0.015' }).total, '0.02');
});

test('a bill-only line names its implant: an invoice for another serial or lot does not match, whatever its price', () => {
  const po = [{ line: '1', itemId: 'ITM-KNEE', quantity: 1, unitPrice: '1200.00', received: 1, invoicedQuantity: 0, lot: 'L-1', serial: 'S-1' }];
  const tolerance = { percent: 2, amount: 5 };
  assert.equal(threeWayMatch(po, [{ line: '1', itemId: 'ITM-KNEE', quantity: 1, unitPrice: '1200.00', serial: 'S-1', lot: 'L-1' }], tolerance).verdict, 'matched');
  assert.equal(threeWayMatch(po, [{ line: '1', itemId: 'ITM-KNEE', quantity: 1, unitPrice: '1200.00' }], tolerance).verdict, 'matched', 'an invoice that names none is matched on price and quantity');
  const other = threeWayMatch(po, [{ line: '1', itemId: 'ITM-KNEE', quantity: 1, unitPrice: '1200.00', serial: 'S-2' }], tolerance);
  assert.deepEqual([other.verdict, other.lines[0]!.verdict], ['mismatch', 'traceability']);
});
