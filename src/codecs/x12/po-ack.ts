// 855 Purchase Order Acknowledgment → one po.acknowledged: the supplier's answer to a Tendon 850, whole (BAK02) and
// per line (the ACK segments under each PO1). A line the supplier splits (5 shipped now, 3 backordered) carries
// one ACK per part, and becomes one canonical line per ACK, all with the PO1's line number.
import type { InboundEventT } from '../../model/events.ts';
import {
  dateAt, decimalAt, el, fail, missingSegment, optionalDateAt, productIdsAt, quantityAt, required, currencyOf, tagOf,
} from './elements.ts';
import { eventOf, facilityOf, find, groupTime, keyOf, loopsOf, type Provenance, type SetContext } from './document.ts';
import type { Segment } from './types.ts';

type Status = 'accepted' | 'changed' | 'rejected';
type LineStatus = 'accepted' | 'changed' | 'backordered' | 'rejected';

/** BAK02 acknowledgment type (element 587). */
const ORDER_STATUS: Record<string, Status> = {
  AD: 'accepted', AK: 'accepted', AT: 'accepted', // with detail no change; no detail or change; accepted
  AC: 'changed', AE: 'changed', AH: 'changed', AP: 'changed', // with change; exception detail only; on hold; product replenishment
  RD: 'rejected', RF: 'rejected', RJ: 'rejected', RO: 'rejected', // with detail; exception detail only; no detail; reject with changes
};

/** ACK01 line item status (element 668). */
const LINE_STATUS: Record<string, LineStatus> = {
  IA: 'accepted', AR: 'accepted', // accepted; accepted and released for shipment
  IB: 'backordered', BP: 'backordered', // backordered; partial shipment, balance backordered
  IC: 'changed', IE: 'changed', IF: 'changed', IH: 'changed', IP: 'changed', IQ: 'changed', IS: 'changed', IW: 'changed', DR: 'changed',
  IR: 'rejected', ID: 'rejected', R1: 'rejected', R2: 'rejected', R3: 'rejected', R4: 'rejected', R5: 'rejected', R6: 'rejected', R7: 'rejected', R8: 'rejected',
};

/** DTM qualifiers that say when the goods of a line should arrive or leave. */
const EXPECTED_DATES = new Set(['002', '017', '067', '068']);

export function poAcknowledged(ctx: SetContext): InboundEventT[] {
  const bak = find(ctx.segments, 'BAK') ?? missingSegment('BAK', 2, 'an 855 starts with BAK (beginning segment for purchase order acknowledgment)');
  required(bak, 1, 'BAK01 transaction set purpose');
  const type = required(bak, 2, 'BAK02 acknowledgment type');
  const orderStatus = Object.hasOwn(ORDER_STATUS, type) ? ORDER_STATUS[type]! : fail(bak, 2, '7', `acknowledgment type "${type.slice(0, 4)}" is not one of ${Object.keys(ORDER_STATUS).join(', ')}`);
  const poNumber = required(bak, 3, 'BAK03 purchase order number');
  dateAt(bak, 4, 'BAK04 purchase order date');
  const currency = currencyOf(ctx.segments);
  const provenance: Provenance = new Map([['payload/poNumber', [bak, 3]]]);
  let index = 0;

  const lines = loopsOf(ctx.segments, 'PO1').flatMap((loop) => {
    const po1 = loop[0]!;
    const ids = productIdsAt(po1, 6, ctx.supplierId);
    const price = el(po1, 4) === '' ? null : { amount: decimalAt(po1, 4, 'PO104 unit price'), currency };
    const acks = loop.filter((s) => tagOf(s) === 'ACK');
    const dated = loop.find((s) => tagOf(s) === 'DTM' && EXPECTED_DATES.has(el(s, 1)));
    const loopDate = dated ? optionalDateAt(dated, 2, 'DTM02 date') : null;
    const parts = acks.length > 0 ? acks : [null];
    return parts.map((ack) => {
      const at = `payload/lines/${index++}`;
      const status = ack ? lineStatus(ack) : orderStatus === 'rejected' ? 'rejected' : 'accepted';
      // A rejected line often says quantity 0 in its ACK; the line is then the quantity that was ordered.
      const [qtySegment, qtyElement] = ack && Number(el(ack, 2)) > 0 ? [ack, 2] : [po1, 2];
      const quantity = { value: quantityAt(qtySegment, qtyElement, 'quantity'), unit: required(ack && el(ack, 3) ? ack : po1, 3, 'unit of measure') };
      const expectedDate = ack && el(ack, 4) !== '' ? optionalDateAt(ack, 5, 'ACK05 date') : loopDate;
      provenance.set(`${at}/quantity`, [qtySegment, qtyElement]);
      provenance.set(`${at}/line`, [po1, 1]);
      provenance.set(`${at}/item`, [po1, 7]);
      provenance.set(`${at}/unitPrice`, [po1, 4]);
      return { line: el(po1, 1) || null, item: ids.item, quantity, status, unitPrice: price, expectedDate };
    });
  });
  // A supplier that accepts the order but not every line has changed it.
  const status: Status = orderStatus === 'accepted' && lines.some((l) => l.status !== 'accepted') ? 'changed' : orderStatus;
  const payload = { poNumber, supplierId: ctx.supplierId, status, lines };
  return [eventOf(ctx, 'po.acknowledged', { key: keyOf(ctx), occurredAt: groupTime(ctx), facility: facilityOf(ctx), payload }, provenance, bak)];
}

function lineStatus(ack: Segment): LineStatus {
  const code = required(ack, 1, 'ACK01 line item status');
  return Object.hasOwn(LINE_STATUS, code) ? LINE_STATUS[code]! : fail(ack, 1, '7', `line item status "${code.slice(0, 4)}" is not one of ${Object.keys(LINE_STATUS).join(', ')}`);
}
