// DFT^P03 / DFT^P11 → one supply.used (or supply.returned) per FT1. The segments after an FT1, up to the next FT1,
// are its group: its PR1/ROL, and the Z-segment or PRT that carries the lot and serial FT1 has no field for.
// Perioperative systems (Epic OpTime, Cerner SurgiNet, cabinets) send one DFT per case with one FT1 per item.
import type { Hl7Message, Hl7Segment } from '@medplum/core';
import type { InboundEventT } from '../../model/events.ts';
import { gtin14, hasValue, isoDate, repetitions, sequenceNumbers, text } from './fields.ts';
import { facilityFor, Hl7Failure, type Hl7Header, type Hl7Location, type Hl7Options } from './types.ts';
import { compact, firstTime, validated, type Provenance } from './validate.ts';

/** What every line of one message shares: the patient, the visit, the message-level location and times. */
interface Shared {
  message: Hl7Message;
  sequences: Map<Hl7Segment, number>;
  header: Hl7Header;
  options: Hl7Options;
  pid: Hl7Segment | undefined;
  pv1: Hl7Segment | undefined;
  evn: Hl7Segment | undefined;
  locationSegment: Hl7Segment | undefined; // one before the first FT1 applies to every line
}

const where = (shared: Shared, seg: Hl7Segment | undefined, name: string, field: number): Hl7Location =>
  ({ segment: name, sequence: (seg && shared.sequences.get(seg)) ?? 1, field });

export function decodeDft(message: Hl7Message, header: Hl7Header, options: Hl7Options): InboundEventT[] {
  const segments = message.segments;
  const starts = segments.flatMap((s, i) => (s.name === 'FT1' ? [i] : []));
  if (starts.length === 0) throw new Hl7Failure('100', 'a DFT carries at least one FT1 segment; this one has none');
  const shared: Shared = {
    message, sequences: sequenceNumbers(message), header, options,
    pid: message.getSegment('PID'), pv1: message.getSegment('PV1'), evn: message.getSegment('EVN'),
    locationSegment: segments.slice(0, starts[0]).find((s) => s.name === options.locationSegment.segment),
  };
  // FT1-1 numbers the lines, but some senders restart or repeat it: two uses must never share a key (one would be
  // dropped as a duplicate), so the position is used for every line unless the set ids are all present and distinct.
  const setIds = starts.map((i) => text(segments[i], 1));
  const bySetId = setIds.every((id) => id !== undefined) && new Set(setIds).size === setIds.length;
  return starts.map((start, k) => {
    const group = segments.slice(start + 1, starts[k + 1] ?? segments.length);
    return line(shared, segments[start]!, k + 1, bySetId ? setIds[k]! : String(k + 1), group);
  });
}

function quantityOf(ft1: Hl7Segment, at: Hl7Location): number {
  const raw = text(ft1, 10);
  if (raw === undefined) return 1; // a supply line without a quantity is one unit
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw)) throw new Hl7Failure('102', 'FT1-10 quantity is not a number', at);
  return Number(raw);
}

/** PID-3's medical record number: the repetition typed MR (CX-5), else the first; senders list SSNs and others too. */
function patientOf(pid: Hl7Segment | undefined): { identifier: string } | undefined {
  const reps = Array.from({ length: repetitions(pid, 3) }, (_, r) => r);
  const mr = reps.find((r) => /^MRN?$/i.test(text(pid, 3, 5, r) ?? '') && text(pid, 3, 1, r));
  const identifier = text(pid, 3, 1, mr ?? 0);
  return identifier ? { identifier } : undefined;
}

/** FT1-34 item number (CWE: code^text^system), else FT1-7 charge code, else a GTIN from PRT-16. */
function itemOf(shared: Shared, ft1: Hl7Segment, ft1At: (f: number) => Hl7Location, prt: Hl7Segment | undefined, provenance: Provenance) {
  const system = shared.header.sendingApplication;
  const gtin = gtin14(text(prt, 16));
  const itemCode = text(ft1, 34);
  const chargeCode = text(ft1, 7);
  if (itemCode) {
    provenance['payload/item'] = ft1At(34);
    return compact({ system: text(ft1, 34, 3) ?? system, code: itemCode, gtin });
  }
  if (chargeCode) {
    // Without an item number the charge code is all there is; it is the sender's chargemaster code, so it gets
    // its own code system and is resolved through a cross-reference like any other code.
    provenance['payload/item'] = ft1At(7);
    return compact({ system: `${system}:cdm`, code: chargeCode, gtin });
  }
  if (gtin) {
    provenance['payload/item'] = where(shared, prt, 'PRT', 16);
    return { gtin };
  }
  throw new Hl7Failure('101', 'the line names no item: FT1-34 item number and FT1-7 transaction code are both empty', ft1At(7));
}

/** Lot, serial and expiry: the configured Z-segment in the line's group first, then PRT-19/20/18. */
function traceabilityOf(shared: Shared, group: Hl7Segment[], prt: Hl7Segment | undefined, provenance: Provenance) {
  const trace = shared.options.traceabilitySegment;
  const zqd = group.find((s) => s.name === trace.segment);
  const pick = (zField: number, prtField: number, key: string): string | undefined => {
    const fromZ = text(zqd, zField);
    const fromPrt = fromZ === undefined && prt !== undefined;
    provenance[`payload/${key}`] = fromPrt ? where(shared, prt, 'PRT', prtField) : where(shared, zqd, trace.segment, zField);
    return fromZ ?? text(prt, prtField);
  };
  const lot = pick(trace.lot, 19, 'lot');
  const serial = pick(trace.serial, 20, 'serial');
  const expiryRaw = pick(trace.expiry, 18, 'expiry');
  const expiry = expiryRaw === undefined ? undefined : isoDate(expiryRaw);
  if (expiry === null) throw new Hl7Failure('102', 'the expiry date is not a readable date', provenance['payload/expiry']);
  return { lot, serial, expiry };
}

function line(shared: Shared, ft1: Hl7Segment, sequence: number, lineKey: string, group: Hl7Segment[]): InboundEventT {
  const { header, options, pid, pv1, evn } = shared;
  const ft1At = (field: number): Hl7Location => ({ segment: 'FT1', sequence, field });
  const provenance: Provenance = {
    idempotencyKey: where(shared, undefined, 'MSH', 10), facility: where(shared, undefined, 'MSH', 4),
    source: where(shared, undefined, 'MSH', 3), 'payload/quantity': ft1At(10), 'payload/procedureCode': ft1At(25),
    'payload/surgeon': ft1At(20), 'payload/patient': where(shared, pid, 'PID', 3),
  };

  const type = (text(ft1, 6) ?? 'CG').toUpperCase();
  if (type !== 'CG' && type !== 'CD') {
    throw new Hl7Failure('103', `FT1-6 transaction type ${type.slice(0, 8)} is neither a charge (CG) nor a credit (CD)`, ft1At(6));
  }
  const quantity = quantityOf(ft1, ft1At(10));

  // The device segment of a v2.8+ sender: PRT-16 device identifier (DI), 18 expiry, 19 lot, 20 serial.
  const prt = group.find((s) => s.name === 'PRT' && [16, 17, 18, 19, 20].some((f) => hasValue(s, f)));
  const item = itemOf(shared, ft1, ft1At, prt, provenance);

  const zloc = group.find((s) => s.name === options.locationSegment.segment) ?? shared.locationSegment;
  const candidates: Array<[string | undefined, Hl7Location]> = [
    [text(zloc, options.locationSegment.field), where(shared, zloc, options.locationSegment.segment, options.locationSegment.field)],
    [text(ft1, 16), ft1At(16)], // PL.1 point of care
    [text(ft1, 13), ft1At(13)], // department
  ];
  const [location, locationAt] = candidates.find(([v]) => v !== undefined) ?? [undefined, ft1At(16)];
  provenance['payload/location'] = locationAt;

  const { lot, serial, expiry } = traceabilityOf(shared, group, prt, provenance);

  const occurredAt = firstTime([
    [text(ft1, 4), ft1At(4)], // DR (TS before 2.5): the first component is when the item was used
    [text(evn, 2), where(shared, evn, 'EVN', 2)],
    [text(shared.message.header, 7), where(shared, undefined, 'MSH', 7)],
  ], options.defaultOffset);

  const encounter = text(pid, 18) ?? text(pv1, 19);
  provenance['payload/encounter'] = text(pid, 18) ? where(shared, pid, 'PID', 18) : where(shared, pv1, 'PV1', 19);
  const caseId = text(ft1, 23) ?? text(pv1, 19);
  provenance['payload/caseId'] = provenance.correlationId = text(ft1, 23) ? ft1At(23) : where(shared, pv1, 'PV1', 19);
  const surgeonId = text(ft1, 20);
  const surgeonName = [text(ft1, 20, 3), text(ft1, 20, 2)].filter((n) => n !== undefined).join(' ');

  const payload = compact({
    item,
    quantity: { value: Math.abs(quantity), unit: 'EA' },
    location, lot, serial, expiry,
    patient: patientOf(pid),
    encounter, caseId,
    procedureCode: text(ft1, 25),
    surgeon: surgeonId ? compact({ id: surgeonId, name: surgeonName || undefined }) : undefined,
  });
  const candidate = compact({
    type: type === 'CD' || quantity < 0 ? 'supply.returned' : 'supply.used',
    idempotencyKey: `${header.sendingFacility}:${header.controlId}:${lineKey}`,
    occurredAt,
    facility: facilityFor(options, header.sendingFacility, text(pv1, 3, 4) ?? ''),
    source: { system: header.sendingApplication },
    correlationId: caseId,
    payload,
  });
  return validated(candidate, provenance, ft1At(1));
}
