// DFT^P03/P11 → supply events, field by field, and the AE (code and ERR-2 location) for each way a line can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InboundEvent } from '../../model/events.ts';
import { decodeHl7, type Hl7Decoded, type Hl7Options } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const OPTIME = fixture('dft_p03_optime_two-implants_zqd-zpa_v2.5.1_CR.hl7');
const P11 = fixture('dft_p11_surginet_prt-device_v2.8.2_LF.hl7');
const RETURNS = fixture('dft_p03_returns_cd-and-negative_v2.5.1_CRLF.hl7');
const ENHANCED = fixture('dft_p03_enhanced-ack_msh15-AL_msh16-NE_v2.5.1_CR.hl7');

function events(text: string, options: Partial<Hl7Options> = {}) {
  const r = decodeHl7(text, options);
  assert.ok(r.ok, JSON.stringify(r));
  return r.events;
}
function error(text: string) {
  const r = decodeHl7(text);
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  const { ack, error } = r as Extract<Hl7Decoded, { ok: false }>;
  return { ack, code: error.code, location: error.location };
}
/** Rewrites field `n` of the k-th (1-based) segment named `name`. */
function setField(text: string, name: string, k: number, n: number, value: string): string {
  let seen = 0;
  return text.split(/(\r\n|\r|\n)/).map((line) => {
    if (!line.startsWith(`${name}|`) || ++seen !== k) return line;
    const fields = line.split('|');
    while (fields.length <= n) fields.push('');
    fields[n] = value;
    return fields.join('|');
  }).join('');
}

test('an OpTime case: each implant FT1 is a supply.used with its ZQD lot, serial and expiry and the ZPA location', () => {
  const [first, second] = events(OPTIME);
  assert.deepEqual(first, {
    type: 'supply.used', schemaVersion: 1, idempotencyKey: 'NORTH_HOSP:OPT20260512000417:1',
    occurredAt: '2026-05-12T14:10:00-05:00', facility: 'NORTH_HOSP', source: { system: 'OPTIME' }, correlationId: 'CASE-20260512-0007',
    payload: {
      item: { system: 'OPTIME', code: '100234' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-N-OR-CORE',
      lot: 'LOT-4471A', serial: 'SN-88213-A', expiry: '2029-01-31',
      patient: { identifier: 'MRN00012345' }, // the MR repetition of PID-3, not the SSN listed first
      encounter: 'ACCT-778812', caseId: 'CASE-20260512-0007', procedureCode: 'C1776', surgeon: { id: '1234567', name: 'SAMIRA ORTHO' },
    },
  });
  assert.equal(second!.idempotencyKey, 'NORTH_HOSP:OPT20260512000417:2');
  assert.equal(second!.occurredAt, '2026-05-12T14:18:00-05:00');
  assert.deepEqual(second!.payload.item, { system: 'OPTIME_SUP', code: '100235' }, 'FT1-34.3 names the code system');
  assert.deepEqual([second!.payload.lot, second!.payload.serial, second!.payload.expiry], ['LOT-9920B', 'SN-11873', '2028-11-30']);
});

test('a DFT^P11 (v2.8.2): PRT device fields, a ZPA inside the group, a charge-code line, times without offset', () => {
  const [implant, supply] = events(P11);
  assert.deepEqual(implant!.payload, {
    item: { system: 'SURGINET_MM', code: '400871', gtin: '10886705012343' }, quantity: { value: 1, unit: 'EA' },
    location: 'LOC-S-CATH-1', lot: 'LOT-7781', serial: 'SN-55012', expiry: '2029-01-31', patient: { identifier: 'S7654321' },
    encounter: 'V-44120', caseId: 'ORC-77120', procedureCode: 'C1874', surgeon: { id: '7654321', name: 'LEE VASCULAR' },
  });
  assert.equal(implant!.occurredAt, '2026-05-13T09:15:00-05:00', 'DR: the range start, with the default offset');
  assert.deepEqual(supply!.payload.item, { system: 'SURGINET:cdm', code: 'CDM-2720044' }, 'no FT1-34: the charge code');
  assert.equal(supply!.payload.location, 'SOR', 'no ZPA in its group and none before the first FT1: FT1-16');
  assert.deepEqual([supply!.payload.quantity, supply!.payload.caseId, supply!.correlationId], [{ value: 2, unit: 'EA' }, 'V-44120', 'V-44120']);
  assert.equal(events(P11, { defaultOffset: '+01:00' })[0]!.occurredAt, '2026-05-13T09:15:00+01:00');
});

test('a credit (FT1-6 CD) and a negative quantity are supply.returned with a positive quantity', () => {
  const [credit, negative] = events(RETURNS);
  assert.deepEqual([credit!.type, credit!.payload.quantity, credit!.payload.lot], ['supply.returned', { value: 1, unit: 'EA' }, 'LOT-4471A']);
  assert.deepEqual([negative!.type, negative!.payload.quantity], ['supply.returned', { value: 3, unit: 'EA' }]);
});

test('absent data is absent: no undefined, no empty keys, and every event passes the canonical schema', () => {
  const [event] = events(ENHANCED);
  assert.deepEqual(Object.keys(event!.payload).sort(), ['caseId', 'encounter', 'item', 'location', 'patient', 'quantity']);
  for (const e of [...events(OPTIME), ...events(P11), ...events(RETURNS), event!]) {
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
    assert.ok(InboundEvent.safeParse(e).success);
  }
});

test('the facility comes from the facility map or facilityOf (MSH-4, PV1-3 facility)', () => {
  assert.equal(events(OPTIME, { facilities: { NORTH_HOSP: 'FAC-NORTH' } })[0]!.facility, 'FAC-NORTH');
  const seen: string[][] = [];
  events(P11, { facilityOf: (msh4, pv1) => (seen.push([msh4, pv1]), 'FAC-SOUTH') });
  assert.deepEqual(seen, [['SOUTH_HOSP', 'SOUTH_HOSP'], ['SOUTH_HOSP', 'SOUTH_HOSP']]);
  assert.equal(events(OPTIME, { facilities: { constructor: 'X' } })[0]!.facility, 'NORTH_HOSP');
});

test('location: the line\'s own location segment, then one before the first FT1, then FT1-16, then FT1-13', () => {
  assert.equal(events(setField(OPTIME, 'ZQD', 1, 0, 'ZPA|LOC-LINE'))[0]!.payload.location, 'LOC-LINE');
  const noZpa = OPTIME.replace(/ZPA\|[^\r]*\r/, '');
  assert.equal(events(noZpa)[0]!.payload.location, 'NOR-OR');
  assert.equal(events(setField(noZpa, 'FT1', 1, 16, ''))[0]!.payload.location, 'OR');
  assert.equal(events(OPTIME, { locationSegment: { segment: 'ZPA', field: 2 } })[0]!.payload.location, 'North OR core supply');
});

test('the traceability segment and its fields are configurable', () => {
  const zls = OPTIME.replace('ZQD|SN-88213-A|LOT-4471A|20290131', 'ZLS|LOT-X|2027-06-30|SN-X');
  const [line] = events(zls, { traceabilitySegment: { segment: 'ZLS', lot: 1, expiry: 2, serial: 3 } });
  assert.deepEqual([line!.payload.lot, line!.payload.serial, line!.payload.expiry], ['LOT-X', 'SN-X', '2027-06-30']);
});

test('FT1-1 set ids that repeat are replaced by positions, so two uses never share a key', () => {
  const keys = events(setField(OPTIME, 'FT1', 2, 1, '1')).map((e) => e.idempotencyKey);
  assert.deepEqual(keys, ['NORTH_HOSP:OPT20260512000417:1', 'NORTH_HOSP:OPT20260512000417:2']);
  assert.equal(events(setField(setField(OPTIME, 'FT1', 1, 1, 'A7'), 'FT1', 2, 1, 'A9'))[1]!.idempotencyKey, 'NORTH_HOSP:OPT20260512000417:A9');
});

test('the time of use: FT1-4, else EVN-2, else MSH-7; date only is 00:00; TS before 2.5 reads the same', () => {
  const noFt14 = setField(ENHANCED, 'FT1', 1, 4, '');
  assert.equal(events(noFt14)[0]!.occurredAt, '2026-05-12T10:15:00-05:00');
  assert.equal(events(setField(noFt14, 'EVN', 1, 2, ''))[0]!.occurredAt, '2026-05-12T10:15:00-05:00');
  assert.equal(events(setField(ENHANCED, 'FT1', 1, 4, '20260512'))[0]!.occurredAt, '2026-05-12T00:00:00-05:00');
  assert.equal(events(setField(ENHANCED, 'FT1', 1, 4, '20260512101233.25+0100^6'))[0]!.occurredAt, '2026-05-12T10:12:33.25+01:00');
});

test('each way a line can fail is AE with its 0357 code and the field it is in', () => {
  const cases: Array<[string, string, { segment: string; sequence: number; field: number } | undefined]> = [
    [setField(OPTIME, 'FT1', 2, 10, 'one'), '102', { segment: 'FT1', sequence: 2, field: 10 }],
    [setField(OPTIME, 'FT1', 2, 10, '0'), '102', { segment: 'FT1', sequence: 2, field: 10 }],
    [setField(OPTIME, 'FT1', 1, 4, '20261345'), '102', { segment: 'FT1', sequence: 1, field: 4 }],
    [setField(OPTIME, 'FT1', 1, 4, '2026-05-12'), '102', { segment: 'FT1', sequence: 1, field: 4 }],
    [setField(setField(setField(ENHANCED, 'FT1', 1, 4, ''), 'EVN', 1, 2, ''), 'MSH', 1, 6, ''), '101', { segment: 'FT1', sequence: 1, field: 4 }],
    [setField(setField(OPTIME, 'FT1', 2, 7, ''), 'FT1', 2, 34, ''), '101', { segment: 'FT1', sequence: 2, field: 7 }],
    [setField(OPTIME, 'FT1', 1, 6, 'PY'), '103', { segment: 'FT1', sequence: 1, field: 6 }],
    [setField(OPTIME, 'ZQD', 2, 3, '31/11/2028'), '102', { segment: 'ZQD', sequence: 2, field: 3 }],
    [setField(OPTIME, 'FT1', 1, 34, 'X'.repeat(129)), '102', { segment: 'FT1', sequence: 1, field: 34 }],
    [setField(setField(setField(RETURNS, 'FT1', 2, 16, ''), 'FT1', 2, 13, ''), 'ZPA', 1, 1, ''), '101', { segment: 'FT1', sequence: 2, field: 16 }],
    [OPTIME.replace(/FT1\|[^\r]*\r/g, ''), '100', undefined],
  ];
  for (const [text, code, location] of cases) assert.deepEqual(error(text), { ack: 'AE', code, location }, `${code} ${JSON.stringify(location)}`);
});
