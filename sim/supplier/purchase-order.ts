// Reading an 850 purchase order out of its transaction set, the way a distributor's order entry does: the
// header (BEG), the parties (N1), the lines (PO1 with their product id pairs, PID description), and every
// problem as an X12 syntax error (AK3/AK4 in a 997, IK3/IK4 in a 999) instead of an exception.
import type { X12Segment, X12Set } from '../common/x12.ts';

export type Party = { role: string; name: string; qualifier: string; id: string };

export type PoLine = {
  /** PO101, or the line's ordinal when the buyer left it empty. */
  line: string;
  quantity: number;
  uom: string;
  /** PO104 as sent (a decimal string). */
  unitPrice: string;
  /** PO105 basis of unit price, '' when absent. */
  basis: string;
  /** PO106/07, PO108/09…: [qualifier, value], e.g. ['VC', 'AR-2210'], ['UK', '00812345678905']. */
  ids: [string, string][];
  /** PID05 of the PID that follows the line. */
  description: string | null;
};

export type PurchaseOrder = {
  /** BEG01: 00 original, 01 cancellation. */
  purpose: '00' | '01';
  /** BEG02, e.g. SA stand-alone, NE new order, BK blanket. */
  type: string;
  poNumber: string;
  /** BEG05, CCYYMMDD. */
  poDate: string;
  currency: string;
  parties: Party[];
  lines: PoLine[];
};

/** One syntax error: the segment (AK3/IK3) and, for element errors, the element (AK4/IK4). */
export type SegmentError = {
  segment: string;
  /** Position in the transaction set, ST = 1. */
  position: number;
  /** AK304/IK304: 1 unrecognised segment, 3 mandatory segment missing, 8 segment has data element errors. */
  segmentCode: string;
  element?: { position: number; reference: string; code: string; value?: string };
};

/** AK502/IK502: 1 set not supported, 3 control numbers differ, 4 segment count wrong, 5 segments in error. */
export type SetVerdict = { ok: true; po: PurchaseOrder } | { ok: false; code: string; errors: SegmentError[] };

// Data element reference numbers, for AK402/IK402.
const REFERENCE: Record<string, string> = {
  BEG01: '353', BEG02: '92', BEG03: '324', BEG05: '373', PO102: '330', PO103: '355', PO104: '212', PO107: '234',
};

const DECIMAL = /^\d+(\.\d+)?$|^\.\d+$/;

/** Checks and reads one 850 set (from ST to SE). */
export function readPurchaseOrder(set: X12Set): SetVerdict {
  const segments = set.segments;
  const se = segments[segments.length - 1] as X12Segment;
  if (set.id !== '850') return { ok: false, code: '1', errors: [] };
  if (se.get(2) !== set.controlNumber) return { ok: false, code: '3', errors: [] };
  if (se.get(1) !== String(segments.length)) return { ok: false, code: '4', errors: [] };

  const errors: SegmentError[] = [];
  const at = (seg: X12Segment) => segments.indexOf(seg) + 1;
  const elementError = (seg: X12Segment, n: number, code: string) => {
    const name = `${seg.tag}${String(n).padStart(2, '0')}`;
    const value = seg.get(n);
    errors.push({
      segment: seg.tag, position: at(seg), segmentCode: '8',
      element: { position: n, reference: REFERENCE[name] ?? '', code, ...(value === '' ? {} : { value }) },
    });
  };
  const required = (seg: X12Segment, n: number): string => {
    const value = seg.get(n);
    if (value === '') elementError(seg, n, '1');
    return value;
  };

  const beg = segments.find((s) => s.tag === 'BEG');
  if (!beg) {
    errors.push({ segment: 'BEG', position: 2, segmentCode: '3' });
    return { ok: false, code: '5', errors };
  }
  const purpose = required(beg, 1);
  if (purpose !== '' && purpose !== '00' && purpose !== '01') elementError(beg, 1, '7');
  const type = required(beg, 2);
  const poNumber = required(beg, 3);
  const poDate = required(beg, 5);
  if (poDate !== '' && !isDate(poDate)) elementError(beg, 5, '8');

  const lines: PoLine[] = [];
  segments.forEach((seg, index) => {
    if (seg.tag !== 'PO1') return;
    const quantityText = required(seg, 2);
    if (quantityText !== '' && (!DECIMAL.test(quantityText) || Number(quantityText) <= 0)) elementError(seg, 2, '6');
    const uom = required(seg, 3);
    // Price is optional in X12, but this supplier prices only what the buyer priced: the invoice needs it.
    const unitPrice = required(seg, 4);
    if (unitPrice !== '' && !DECIMAL.test(unitPrice)) elementError(seg, 4, '6');
    const ids: [string, string][] = [];
    for (let n = 6; n + 1 < seg.elements.length; n += 2) {
      if (seg.get(n) !== '' && seg.get(n + 1) !== '') ids.push([seg.get(n), seg.get(n + 1)]);
    }
    if (ids.length === 0) elementError(seg, 7, '1');
    const next = segments[index + 1];
    const description = next?.tag === 'PID' && next.get(5) !== '' ? next.get(5) : null;
    lines.push({
      line: seg.get(1) || String(lines.length + 1), quantity: Number(quantityText), uom, unitPrice, basis: seg.get(5), ids, description,
    });
  });
  if (purpose === '00' && lines.length === 0) {
    errors.push({ segment: 'PO1', position: segments.length - 1, segmentCode: '3' });
  }
  if (errors.length > 0) return { ok: false, code: '5', errors };

  const cur = segments.find((s) => s.tag === 'CUR');
  const parties = segments
    .filter((s) => s.tag === 'N1')
    .map((s) => ({ role: s.get(1), name: s.get(2), qualifier: s.get(3), id: s.get(4) }));
  return {
    ok: true,
    po: {
      purpose: purpose as '00' | '01', type, poNumber, poDate, currency: cur?.get(2) || 'USD', parties, lines,
    },
  };
}

function isDate(text: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
