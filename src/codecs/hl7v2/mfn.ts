// MFN^M16 (inventory item master file, enhanced; v2.6+) → one item.upserted per MFE/ITM group. The group is
// `MFE ITM [NTE] [STZ] [VND [PKG [PCE]]] [IVT [ILT]]`: ITM describes the item, PKG its vendor packaging (with the
// GTIN from v2.7), IVT the item at one inventory location.
import type { Hl7Message, Hl7Segment } from '@medplum/core';
import type { InboundEventT } from '../../model/events.ts';
import { gtin14, sequenceNumbers, text } from './fields.ts';
import { facilityFor, Hl7Failure, type Hl7Header, type Hl7Location, type Hl7Options } from './types.ts';
import { compact, firstTime, validated, type Provenance } from './validate.ts';

/** MFE-1 record-level event codes that take an item out of use: delete, deactivate. */
const RETIRING = new Set(['MDL', 'MDC']);

export function decodeMfn(message: Hl7Message, header: Hl7Header, options: Hl7Options): InboundEventT[] {
  const segments = message.segments;
  const starts = segments.flatMap((s, i) => (s.name === 'MFE' ? [i] : []));
  if (starts.length === 0) throw new Hl7Failure('100', 'an MFN^M16 carries at least one MFE/ITM group; this one has none');
  const sequences = sequenceNumbers(message);
  const at = (seg: Hl7Segment | undefined, name: string, field: number): Hl7Location =>
    ({ segment: name, sequence: (seg && sequences.get(seg)) ?? 1, field });
  return starts.map((start, k) => {
    const group = segments.slice(start + 1, starts[k + 1] ?? segments.length);
    return entry(message, header, options, at, segments[start]!, k + 1, group);
  });
}

/** Is this an implant? ITM-5 category or ITM-4 type naming one, by code or text (IMPLANT^Implantable device…). */
function isImplant(itm: Hl7Segment): boolean {
  return [4, 5].some((f) => [1, 2].some((c) => /implant/i.test(text(itm, f, c) ?? '')));
}

/** The item's GTIN: PKG-8 of any packaging level, else ITM-1 when its namespace says it is one. Check digit verified. */
function gtinOf(itm: Hl7Segment, pkgs: Hl7Segment[]): string | undefined {
  for (const pkg of pkgs) {
    const gtin = gtin14(text(pkg, 8));
    if (gtin) return gtin;
  }
  return /^(?:GTIN|GS1)/i.test(text(itm, 1, 2) ?? '') ? gtin14(text(itm, 1)) : undefined;
}

type At = (seg: Hl7Segment | undefined, name: string, field: number) => Hl7Location;

function entry(
  message: Hl7Message, header: Hl7Header, options: Hl7Options, at: At, mfe: Hl7Segment, sequence: number, group: Hl7Segment[],
): InboundEventT {
  const itm = group.find((s) => s.name === 'ITM');
  if (!itm) throw new Hl7Failure('100', `MFE #${sequence} is not followed by its ITM segment`, { segment: 'MFE', sequence, field: 0 });
  const itmAt = (field: number): Hl7Location => at(itm, 'ITM', field);
  const pkgs = group.filter((s) => s.name === 'PKG');
  const ivt = group.find((s) => s.name === 'IVT');

  // ITM-3 (table 0776: A active, I inactive, P pending inactive). An empty status is read as active: a sender that
  // never fills it would otherwise retire every item it sends. A delete or deactivate (MFE-1) always retires.
  const statusCode = (text(itm, 3) ?? text(itm, 3, 2) ?? 'A').toUpperCase();
  const active = !RETIRING.has((text(mfe, 1) ?? '').toUpperCase()) && (statusCode === 'A' || statusCode === 'ACTIVE');
  const chargeable = (text(itm, 11) ?? text(ivt, 11) ?? 'N').toUpperCase() === 'Y';
  const uom = text(pkgs[0], 2) ?? text(ivt, 8) ?? 'EA';

  const occurredAt = firstTime([
    [text(mfe, 3), at(mfe, 'MFE', 3)], // effective date/time
    [text(message.header, 7), at(undefined, 'MSH', 7)],
  ], options.defaultOffset);

  const provenance: Provenance = {
    idempotencyKey: at(undefined, 'MSH', 10), facility: at(undefined, 'MSH', 4), source: at(undefined, 'MSH', 3),
    'payload/id': itmAt(1), 'payload/description': itmAt(2), 'payload/manufacturer': text(itm, 8) ? itmAt(8) : itmAt(7),
    'payload/catalogNumber': itmAt(9), 'payload/uom': text(pkgs[0], 2) ? at(pkgs[0], 'PKG', 2) : at(ivt, 'IVT', 8),
    'payload/gtin': pkgs[0] ? at(pkgs[0], 'PKG', 8) : itmAt(1),
  };
  const candidate = compact({
    type: 'item.upserted',
    idempotencyKey: `${header.sendingFacility}:${header.controlId}:${sequence}`,
    occurredAt,
    facility: facilityFor(options, header.sendingFacility, ''),
    source: { system: header.sendingApplication },
    payload: compact({
      id: text(itm, 1) ?? text(mfe, 4), // ITM-1 (EI), else MFE-4 the entry's primary key
      description: text(itm, 2),
      uom,
      gtin: gtinOf(itm, pkgs),
      manufacturer: text(itm, 8) ?? text(itm, 7),
      catalogNumber: text(itm, 9),
      implant: isImplant(itm),
      chargeable,
      status: active ? 'active' : 'inactive',
    }),
  });
  return validated(candidate, provenance, itmAt(1));
}
