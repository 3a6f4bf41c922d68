// 856 Ship Notice/Manifest → one shipment.noticed per order (HL level O, its PO number in PRF01) with the items
// shipped against it. The HL tree is read in document order: shipment-level segments (TD5 carrier, REF tracking,
// DTM shipped/expected, N1 ship-to) before the first order; each LIN starts a line (item ids, and the lot/serial
// some healthcare guides put in LIN); SN1, REF*LT/REF*SE and DTM*036 (expiry) after it belong to that line, also
// when they sit in a child HL of the item (lot-level HLs).
import type { InboundEventT } from '../../model/events.ts';
import { dateAt, el, missingSegment, offsetOf, optionalDateAt, productIdsAt, quantityAt, required, tagOf, timeAt } from './elements.ts';
import { eventOf, facilityOf, find, groupTime, keyOf, type Provenance, type SetContext } from './document.ts';
import type { Segment } from './types.ts';

interface Line {
  lin: Segment;
  hl: string; // HL01 of the HL the line sits in: a child of it still describes this line
  ids: ReturnType<typeof productIdsAt>;
  sn1: Segment | null;
  lot: string | null;
  serial: string | null;
  expiry: string | null;
}

interface Order {
  at: Segment; // the HL*O (or the BSN when the notice has no order level)
  poNumber: string | null;
  lines: Line[];
}

export function shipmentNoticed(ctx: SetContext): InboundEventT[] {
  const bsn = find(ctx.segments, 'BSN') ?? missingSegment('BSN', 2, 'an 856 starts with BSN (beginning segment for ship notice)');
  const shipmentId = required(bsn, 2, 'BSN02 shipment identification');
  const noticeDate = dateAt(bsn, 3, 'BSN03 date');
  const occurredAt = el(bsn, 4) === '' ? groupTime(ctx) : `${noticeDate}T${timeAt(bsn, 4, 'BSN04 time')}${ctx.defaultOffset}`;

  const shipment = { shippedAt: null as string | null, expectedAt: null as string | null, carrier: null as string | null, trackingNumber: null as string | null };
  const orders: Order[] = [];
  let level = 'S';
  let hl = '';
  let line: Line | null = null;
  // A PRF or LIN before any HL*O (a notice without an order level) opens an order of its own.
  const currentOrder = (): Order => {
    if (orders.length === 0) orders.push({ at: bsn, poNumber: null, lines: [] });
    return orders[orders.length - 1]!;
  };

  for (const s of ctx.segments) {
    switch (tagOf(s)) {
      case 'HL': {
        level = el(s, 3);
        hl = el(s, 1);
        if (line && el(s, 2) !== line.hl) line = null; // a sibling or another branch: no longer this line
        if (line) line.hl = hl;
        const last = orders[orders.length - 1];
        // A PO number given at shipment level belongs to the first order when that order names none.
        if (level === 'O' && last?.at === bsn && last.lines.length === 0) last.at = s;
        else if (level === 'O') orders.push({ at: s, poNumber: null, lines: [] });
        break;
      }
      case 'PRF':
        currentOrder().poNumber = required(s, 1, 'PRF01 purchase order number');
        break;
      case 'LIN': {
        const ids = productIdsAt(s, 2, ctx.supplierId);
        line = { lin: s, hl, ids, sn1: null, lot: ids.lot, serial: ids.serial, expiry: null };
        currentOrder().lines.push(line);
        break;
      }
      case 'SN1':
        if (line) line.sn1 = s;
        break;
      case 'REF':
        if (line && el(s, 1) === 'LT') line.lot = required(s, 2, 'REF02 lot number');
        else if (line && el(s, 1) === 'SE') line.serial = required(s, 2, 'REF02 serial number');
        else if (level === 'S' && (el(s, 1) === 'CN' || el(s, 1) === '2I')) shipment.trackingNumber ??= required(s, 2, 'REF02 tracking number');
        break;
      case 'DTM':
        if (line && el(s, 1) === '036') line.expiry = dateAt(s, 2, 'DTM02 expiration date');
        else if (level === 'S' && el(s, 1) === '011') {
          const date = dateAt(s, 2, 'DTM02 ship date');
          shipment.shippedAt = `${date}T${el(s, 3) === '' ? '00:00:00' : timeAt(s, 3, 'DTM03 ship time')}${offsetOf(el(s, 4), ctx.defaultOffset)}`;
        } else if (level === 'S' && el(s, 1) === '017') shipment.expectedAt = optionalDateAt(s, 2, 'DTM02 estimated delivery date');
        break;
      case 'TD5':
        if (level === 'S' && el(s, 2) === '2' && el(s, 3) !== '') shipment.carrier ??= el(s, 3); // TD502 2 = SCAC
        break;
    }
  }

  const facility = facilityOf(ctx);
  if (orders.length === 0) missingSegment('LIN', ctx.segments.length, 'the ship notice lists no items (LIN)');
  return orders.map((order, o) => {
    if (order.poNumber === null) missingSegment('PRF', order.at.position + 1, `order ${o + 1} has no PRF purchase order number`);
    if (order.lines.length === 0) missingSegment('LIN', order.at.position + 1, `order ${order.poNumber} lists no items (LIN)`);
    const provenance: Provenance = new Map();
    const lines = order.lines.map((l, i) => {
      const sn1 = l.sn1 ?? missingSegment('SN1', l.lin.position + 1, `item ${l.lin.position} has no SN1 quantity shipped`);
      provenance.set(`payload/lines/${i}/quantity`, [sn1, 2]).set(`payload/lines/${i}/item`, [l.lin, 3]).set(`payload/lines/${i}/line`, [l.lin, 1]);
      return {
        line: el(l.lin, 1) || null, item: l.ids.item,
        quantity: { value: quantityAt(sn1, 2, 'SN102 quantity shipped'), unit: required(sn1, 3, 'SN103 unit of measure') },
        lot: l.lot, serial: l.serial, expiry: l.expiry,
      };
    });
    provenance.set('payload/shipmentId', [bsn, 2]);
    const payload = { shipmentId, poNumber: order.poNumber, supplierId: ctx.supplierId, ...shipment, lines };
    return eventOf(ctx, 'shipment.noticed', { key: keyOf(ctx, o + 1), occurredAt, facility, payload }, provenance, order.at);
  });
}
