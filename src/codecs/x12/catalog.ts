// 832 Price/Sales Catalog → one price.updated per price: each LIN names an item, each CTP under it a price (CTP03)
// for a unit (CTP05-1), effective from the DTM*007 after it, else the LIN's, else the catalog's (DTM*007 or 092),
// else the day the catalog was made (GS04); DTM*036/093 end it. A LIN without a CTP describes an item and makes no
// event. SLN sub-lines (one GTIN per packaging level) are not read.
import type { InboundEventT } from '../../model/events.ts';
import { currencyOf, dateAt, decimalAt, el, fail, isoDate, missingSegment, productIdsAt, required, tagOf } from './elements.ts';
import { eventOf, find, facilityOf, groupTime, keyOf, loopsOf, type Provenance, type SetContext } from './document.ts';
import type { Segment } from './types.ts';

const FROM = new Set(['007', '092']); // effective; contract effective
const TO = new Set(['036', '093']); // expiration; contract expiration

interface Dates {
  from: string | null;
  to: string | null;
}

/** The DTMs of a stretch of segments applied over inherited dates. */
function datesIn(segments: Segment[], inherited: Dates): Dates {
  const dates = { ...inherited };
  for (const s of segments) {
    if (tagOf(s) !== 'DTM') continue;
    if (FROM.has(el(s, 1))) dates.from = dateAt(s, 2, 'DTM02 effective date');
    else if (TO.has(el(s, 1))) dates.to = dateAt(s, 2, 'DTM02 expiration date');
  }
  return dates;
}

export function priceUpdated(ctx: SetContext): InboundEventT[] {
  const bct = find(ctx.segments, 'BCT') ?? missingSegment('BCT', 2, 'an 832 starts with BCT (beginning segment for price/sales catalog)');
  required(bct, 1, 'BCT01 catalog purpose');
  const firstLin = ctx.segments.findIndex((s) => tagOf(s) === 'LIN');
  const catalog = datesIn(ctx.segments.slice(0, firstLin < 0 ? undefined : firstLin), { from: isoDate(el(ctx.gs, 4)), to: null });
  const currency = currencyOf(ctx.segments);
  const facility = facilityOf(ctx);
  const occurredAt = groupTime(ctx);

  return loopsOf(ctx.segments, 'LIN').flatMap((loop) => {
    const lin = loop[0]!;
    const { item } = productIdsAt(lin, 2, ctx.supplierId);
    // price.updated names one item id: Tendon's own (the buyer's number), else the supplier's number, else the GTIN.
    const itemId = item.code ?? item.gtin!;
    const ctps = loop.flatMap((s, i) => (tagOf(s) === 'CTP' ? [i] : []));
    const itemDates = datesIn(loop.slice(0, ctps[0]), catalog);
    return ctps.map((at, n) => {
      const ctp = loop[at]!;
      const dates = datesIn(loop.slice(at + 1, ctps[n + 1] ?? loop.length), itemDates);
      const unit = el(ctp, 5).split(ctx.delimiters.component)[0]!.trim();
      if (unit === '') fail(ctp, 5, '1', 'CTP05 unit of measure is missing', 1);
      const provenance: Provenance = new Map([['payload/itemId', [lin, 3]], ['payload/price', [ctp, 3]], ['payload/uom', [ctp, 5]]]);
      const payload = {
        itemId, supplierId: ctx.supplierId, price: { amount: decimalAt(ctp, 3, 'CTP03 unit price'), currency },
        uom: unit, effectiveFrom: dates.from, effectiveTo: dates.to,
      };
      return eventOf(ctx, 'price.updated', { key: keyOf(ctx, `${lin.position}.${n + 1}`), occurredAt, facility, payload }, provenance, ctp);
    });
  });
}
