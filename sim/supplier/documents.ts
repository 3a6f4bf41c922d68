// The supplier's outbound X12 documents, pure: the functional acknowledgment of an 850 group (997 for 4010, 999
// for 5010), the 855 PO acknowledgment, the 856 ship notice, the 810 invoice and credit memo (an 810 with BIG07
// CR) and the 832 price catalog, each as a whole interchange of its own (ISA13 = GS06 = ST02 = one number from the
// supplier's persistent counter).
import { writeInterchange, x12Date, x12Time, type PartyId, type SegmentSpec, type X12Delimiters } from '../common/x12.ts';
import { catalogSegments, type CatalogPlan } from './catalog.ts';
import { addDays, creditOf, invoiceOf, type AckedLine, type Billed, type Order, type Shipment } from './plan.ts';
import type { Party, SegmentError } from './purchase-order.ts';

/** How one received transaction set fared: code '' accepted, else AK502/IK502 with the syntax errors. */
export type SetAck = { id: string; controlNumber: string; implementationRef: string; code: string; errors: SegmentError[] };

/** The acknowledgment of one received functional group. */
export type GroupAck = { functionalId: string; controlNumber: string; version: string; sets: SetAck[] };

/** A trading partner as its 850 named it: ISA05/06, GS02, and the versions and usage to answer in. */
export type Partner = { qualifier: string; id: string; groupCode: string; interchangeVersion: string; usage: string };

/** What an outbox entry will send; its text is written when it is first due (so ISA09/10 say when it went). */
export type DocumentRef =
  | { kind: 'functional-ack'; ack: GroupAck; partner: Partner }
  | { kind: '855'; orderKey: string }
  | { kind: '856'; orderKey: string; shipment: number }
  /** A shipment's invoice, or with `credit` the credit memo for what it over-billed. */
  | { kind: '810'; orderKey: string; shipment: number; credit?: boolean }
  /** A price catalog, unasked: planned when scheduled, sent to `partner` (its GS08 is always 004010). */
  | { kind: '832'; plan: CatalogPlan; partner: Partner };

/** The order a document belongs to (none for an acknowledgment of a group, or a catalog). */
export const orderKeyOf = (doc: DocumentRef): string | undefined => ('orderKey' in doc ? doc.orderKey : undefined);

export type RenderContext = { controlNumber: number; at: number; us: PartyId; delimiters: X12Delimiters };

/** 999 answers 5010 groups, 997 everything older. */
export const is5010 = (version: string): boolean => version.startsWith('005010');

function functionalAck(ack: GroupAck): { id: string; version: string; implementationRef?: string; body: SegmentSpec[] } {
  const v5 = is5010(ack.version);
  const body: SegmentSpec[] = [v5 ? ['AK1', ack.functionalId, ack.controlNumber, ack.version] : ['AK1', ack.functionalId, ack.controlNumber]];
  for (const set of ack.sets) {
    body.push(v5 ? ['AK2', set.id, set.controlNumber, set.implementationRef] : ['AK2', set.id, set.controlNumber]);
    for (const e of set.errors) {
      body.push([v5 ? 'IK3' : 'AK3', e.segment, e.position, null, e.segmentCode]);
      if (e.element) body.push([v5 ? 'IK4' : 'AK4', e.element.position, e.element.reference, e.element.code, e.element.value]);
    }
    body.push(set.code === '' ? [v5 ? 'IK5' : 'AK5', 'A'] : [v5 ? 'IK5' : 'AK5', 'R', set.code]);
  }
  const accepted = ack.sets.filter((s) => s.code === '').length;
  const code = accepted === 0 ? 'R' : accepted === ack.sets.length ? 'A' : 'P';
  body.push(['AK9', code, ack.sets.length, ack.sets.length, accepted]);
  return v5 ? { id: '999', version: '005010X231', implementationRef: '005010X231', body } : { id: '997', version: ack.version || '004010', body };
}

const party = (parties: Party[], role: string): SegmentSpec[] =>
  parties.filter((p) => p.role === role).slice(0, 1).map((p): SegmentSpec => ['N1', p.role, p.name, p.qualifier, p.id]);

const ids = (line: AckedLine): string[] => line.productIds.flat();
const description = (line: AckedLine): SegmentSpec[] => (line.description ? [['PID', 'F', null, null, null, line.description]] : []);
const quantityHash = (quantities: number[]): string => String(quantities.reduce((a, b) => a + b, 0));

function poAck(order: Order, at: number): SegmentSpec[] {
  const body: SegmentSpec[] = [
    ['BAK', '00', order.ackType, order.poNumber, order.poDate, null, null, null, order.salesOrder, x12Date(at)],
    ['CUR', 'SE', order.currency],
    ...party(order.parties, 'ST'),
  ];
  for (const line of order.lines) {
    body.push(['PO1', line.line, line.quantity, line.uom, line.ackPrice, line.basis, ...ids(line)], ...description(line));
    // PO1 echoes what was ordered; ACK02 is what the supplier will ship (fewer for IQ).
    const ack: SegmentSpec = ['ACK', line.status, line.ackQuantity, line.uom];
    body.push(line.expectedDate ? [...ack, '068', line.expectedDate] : ack);
  }
  body.push(['CTT', order.lines.length, quantityHash(order.lines.map((l) => l.quantity))]);
  return body;
}

function shipNotice(order: Order, shipment: Shipment, at: number): SegmentSpec[] {
  const shipDate = x12Date(at);
  const body: SegmentSpec[] = [
    ['BSN', '00', shipment.id, shipDate, x12Time(at), '0004'],
    ['HL', 1, null, 'S'],
    ['TD5', 'B', '2', shipment.carrier.scac, shipment.carrier.scac === 'ODFL' ? 'M' : 'U', shipment.carrier.name],
    ['REF', 'CN', shipment.tracking],
    ['DTM', '011', shipDate],
    ['DTM', '017', addDays(shipDate, 2)],
    ...party(order.parties, 'ST'),
    ['HL', 2, 1, 'O'],
    ['PRF', order.poNumber, null, null, order.poDate],
  ];
  let hl = 2;
  for (const unit of shipment.units) {
    const line = order.lines[unit.index] as AckedLine;
    const trace = [...(unit.lot ? ['LT', unit.lot] : []), ...(unit.serial ? ['SN', unit.serial] : [])];
    body.push(['HL', ++hl, 2, 'I'], ['LIN', line.line, ...ids(line), ...trace], ['SN1', null, unit.quantity, unit.uom]);
    if (unit.expiry) body.push(['DTM', '036', unit.expiry]);
  }
  body.push(['CTT', hl]);
  return body;
}

function invoice(order: Order, shipment: Shipment, at: number): SegmentSpec[] {
  const body: SegmentSpec[] = [
    ['BIG', x12Date(at), shipment.invoiceNumber, order.poDate, order.poNumber],
    ['CUR', 'SE', order.currency],
    ...party(order.parties, 'BT'),
    ...party(order.parties, 'ST'),
  ];
  if (shipment.shippedOn) body.push(['DTM', '011', shipment.shippedOn]);
  return [...body, ...billedLines(invoiceOf(order, shipment), () => [])];
}

const CREDIT_REASON = { price: 'PRICE CORRECTION', quantity: 'QUANTITY BILLED OVER SHIPPED' } as const;

/**
 * A credit memo: BIG07 CR (transaction type code 640, "credit memo"; what the hub reads as a credit), the PO it
 * belongs to in BIG03/BIG04 and the invoice it corrects in REF*OI. Quantities and amounts are positive, as the
 * hub's reader expects them (it reads the sign from BIG07, not from the numbers).
 */
function creditMemo(order: Order, shipment: Shipment, at: number): SegmentSpec[] {
  const memo = shipment.credit;
  if (!memo) throw new Error(`shipment ${shipment.id} of PO ${order.poNumber} has no credit memo`);
  const body: SegmentSpec[] = [
    ['BIG', x12Date(at), memo.number, order.poDate, order.poNumber, null, null, 'CR'],
    ['REF', 'OI', shipment.invoiceNumber],
    ['CUR', 'SE', order.currency],
    ...party(order.parties, 'BT'),
    ...party(order.parties, 'ST'),
  ];
  return [...body, ...billedLines(creditOf(order, shipment), (i) => [['PID', 'F', null, null, null, `${CREDIT_REASON[memo.lines[i]!.reason]} ${shipment.invoiceNumber}`]])];
}

/** IT1 and PID per line, then TDS and CTT; `notes(i)` adds segments after line i's description. */
function billedLines(b: Billed, notes: (i: number) => SegmentSpec[]): SegmentSpec[] {
  const body: SegmentSpec[] = b.lines.flatMap(({ line, quantity, unitPrice }, i): SegmentSpec[] => [
    ['IT1', line.line, quantity, line.uom, unitPrice, line.basis, ...ids(line)], ...description(line), ...notes(i),
  ]);
  body.push(['TDS', b.totalCents], ['CTT', b.lines.length, quantityHash(b.lines.map((l) => l.quantity))]);
  return body;
}

/** The whole interchange for one outbox document. `order` is required for 855, 856 and 810. */
export function renderDocument(doc: DocumentRef, order: Order | undefined, c: RenderContext): string {
  let partner: Partner;
  let set: { id: string; functionalId: string; version: string; implementationRef?: string; body: SegmentSpec[] };
  if (doc.kind === 'functional-ack') {
    partner = doc.partner;
    set = { ...functionalAck(doc.ack), functionalId: 'FA' };
  } else if (doc.kind === '832') {
    partner = doc.partner;
    set = { id: '832', functionalId: 'SC', version: '004010', body: catalogSegments(doc.plan) };
  } else {
    if (!order) throw new Error(`no order ${doc.orderKey} for its ${doc.kind}`);
    partner = {
      qualifier: order.buyer.qualifier, id: order.buyer.id, groupCode: order.buyer.groupCode,
      interchangeVersion: order.versions.interchange, usage: order.usage,
    };
    const version = order.versions.group;
    if (doc.kind === '855') set = { id: '855', functionalId: 'PR', version, body: poAck(order, c.at) };
    else {
      const shipment = order.shipments[doc.shipment] as Shipment;
      set = doc.kind === '856'
        ? { id: '856', functionalId: 'SH', version, body: shipNotice(order, shipment, c.at) }
        : { id: '810', functionalId: 'IN', version, body: doc.credit ? creditMemo(order, shipment, c.at) : invoice(order, shipment, c.at) };
    }
  }
  const st02 = String(c.controlNumber).padStart(4, '0');
  return writeInterchange({
    sender: c.us,
    receiver: { qualifier: partner.qualifier, id: partner.id },
    controlNumber: c.controlNumber,
    version: partner.interchangeVersion,
    usage: partner.usage,
    at: c.at,
    delimiters: c.delimiters,
    groups: [{
      functionalId: set.functionalId, senderCode: c.us.id, receiverCode: partner.groupCode, controlNumber: c.controlNumber, version: set.version,
      sets: [{ id: set.id, controlNumber: st02, implementationRef: set.implementationRef, body: set.body }],
    }],
  });
}
