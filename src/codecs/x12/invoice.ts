// 810 Invoice → one invoice.received: BIG (dates, numbers, BIG07 CR = credit memo), one line per IT1, and the
// total from TDS01 (two implied decimals). A credit memo's lines are quantities credited, positive in the
// canonical form whatever sign the supplier wrote; the total keeps the supplier's sign.
import type { InboundEventT } from '../../model/events.ts';
import { currencyOf, dateAt, decimalAt, el, impliedCentsAt, missingSegment, optionalDateAt, productIdsAt, required, fail } from './elements.ts';
import { eventOf, facilityOf, find, groupTime, keyOf, loopsOf, type Provenance, type SetContext } from './document.ts';

/** BIG07 transaction type codes that make the document a credit (element 640). */
const CREDIT = new Set(['CR', 'CN']);

export function invoiceReceived(ctx: SetContext): InboundEventT[] {
  const big = find(ctx.segments, 'BIG') ?? missingSegment('BIG', 2, 'an 810 starts with BIG (beginning segment for invoice)');
  const invoiceDate = dateAt(big, 1, 'BIG01 invoice date');
  const invoiceNumber = required(big, 2, 'BIG02 invoice number');
  optionalDateAt(big, 3, 'BIG03 purchase order date');
  const kind = CREDIT.has(el(big, 7)) ? 'credit' : 'invoice';
  const currency = currencyOf(ctx.segments);
  const provenance: Provenance = new Map([['payload/invoiceNumber', [big, 2]], ['payload/poNumber', [big, 4]]]);

  const lines = loopsOf(ctx.segments, 'IT1', ['TDS', 'CTT', 'SE']).map(([it1], i) => {
    const quantity = Number(decimalAt(it1!, 2, 'IT102 quantity invoiced'));
    if (!(kind === 'credit' ? quantity !== 0 : quantity > 0)) fail(it1!, 2, '7', 'the quantity invoiced must be greater than zero');
    const price = decimalAt(it1!, 4, 'IT104 unit price');
    provenance.set(`payload/lines/${i}/quantity`, [it1!, 2]).set(`payload/lines/${i}/unitPrice`, [it1!, 4]).set(`payload/lines/${i}/item`, [it1!, 7]);
    const ids = productIdsAt(it1!, 6, ctx.supplierId);
    return {
      line: el(it1, 1) || null,
      item: ids.item,
      // A bill-only invoice names the implant's lot and serial among the product ids (LT, SN), when the supplier gives them.
      ...(ids.lot ? { lot: ids.lot } : {}),
      ...(ids.serial ? { serial: ids.serial } : {}),
      quantity: { value: Math.abs(quantity), unit: required(it1!, 3, 'IT103 unit of measure') },
      unitPrice: { amount: kind === 'credit' ? price.replace(/^-/, '') : price, currency },
    };
  });
  if (lines.length === 0) missingSegment('IT1', big.position + 1, 'the invoice has no IT1 line');
  const tds = find(ctx.segments, 'TDS') ?? missingSegment('TDS', ctx.segments.length, 'the invoice has no TDS total');
  provenance.set('payload/total', [tds, 1]);
  const payload = {
    invoiceNumber, invoiceDate, poNumber: el(big, 4) || null, supplierId: ctx.supplierId, kind,
    total: { amount: impliedCentsAt(tds, 1, 'TDS01 total amount'), currency }, lines,
  };
  return [eventOf(ctx, 'invoice.received', { key: keyOf(ctx), occurredAt: groupTime(ctx), facility: facilityOf(ctx), payload }, provenance, big)];
}
