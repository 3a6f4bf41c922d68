// Masking for display: the patient's identity goes; the codes, quantities, lots and prices that explain a refusal stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFhir, encodeChargeItem, maskFhir, MASK } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const USE = fixture('supplydelivery_implant-used-in-surgery_contained-device-patient-procedure.json');
const CHARGE = fixture('chargeitem_implant-knee_C1776_contained-device.json');
const PHI = ['MRN00012345', 'TESTPATIENT', 'RENÉE', '1970-01-01', '999999999', '1 MAIN ST', 'NORTHTOWN', '10001', '555-123-4567', 'VIS-5566'];

test('a contained Patient loses identifiers, name, birth date, address and phone; its systems and types stay', () => {
  const masked = JSON.parse(maskFhir(USE));
  const patient = masked.contained[0];
  assert.deepEqual(patient.name, [{ family: MASK, given: [MASK, MASK] }]);
  assert.deepEqual(patient.identifier.map((i: { system: string; value: string; type: unknown }) => [i.system, i.value, !!i.type]), [
    ['http://hl7.org/fhir/sid/us-ssn', MASK, true], ['https://fhir.northside.example.org/sid/mrn', MASK, true],
  ]);
  assert.deepEqual([patient.birthDate, patient.address[0].city, patient.telecom[0].value, patient.telecom[0].system, patient.gender], [MASK, MASK, MASK, 'phone', 'female']);
  for (const phi of PHI) assert.ok(!JSON.stringify(masked).includes(phi), `${phi} masked`);
});

test('the operational content stays: item, UDI, lot, serial, location, quantity, times, procedure code', () => {
  const masked = maskFhir(USE);
  for (const kept of ['00885556123454', 'LOT-4471A', 'SN-88213-A', 'Location/LOC-N-OR-CORE', '2026-05-12T14:10:00-05:00', '27447', '{each}', 'FAC-NORTH', 'OPT-L-1']) {
    assert.ok(masked.includes(kept), `${kept} kept`);
  }
  // The narrative repeated the patient's name: it goes whole (generated text repeats whatever the resource holds).
  assert.equal(JSON.parse(masked).text.div, `<div xmlns="http://www.w3.org/1999/xhtml">${MASK}</div>`);
});

test('references to the patient, account and encounter: identifier values, displays and literal ids go', () => {
  const masked = JSON.parse(maskFhir(CHARGE));
  assert.deepEqual(masked.subject, {
    type: 'Patient',
    identifier: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'https://fhir.northside.example.org/sid/mrn', value: MASK },
    display: MASK,
  });
  assert.equal(masked.context.identifier.value, MASK);
  assert.equal(masked.account[0].identifier.value, MASK);
  assert.deepEqual([masked.priceOverride.value, masked.code.coding[1].code], [9850, 'C1776']);
  const literal = JSON.parse(maskFhir(JSON.stringify({ resourceType: 'ChargeItem', subject: { reference: 'https://ehr.example.org/fhir/Patient/pt-77' } })));
  assert.equal(literal.subject.reference, `https://ehr.example.org/fhir/Patient/${MASK}`);
});

test('Bundles: each entry masked, a Patient entry and its fullUrl too', () => {
  const masked = maskFhir(fixture('bundle_batch_cabinet-restock_one-valid-three-refused.json'));
  for (const phi of ['MRN00098765', 'SAMPLE', 'ALEX', '1961-07-04']) assert.ok(!masked.includes(phi), phi);
  assert.ok(masked.includes('10885556300517') && masked.includes('CAB1-20260513-0007'));
  const tx = maskFhir(fixture('bundle_transaction_implant-use-and-charge.json'));
  for (const phi of ['MRN00012345', 'VIS-5566']) assert.ok(!tx.includes(phi), phi);
  assert.match(maskFhir(JSON.stringify({ resourceType: 'Bundle', entry: [{ fullUrl: 'https://ehr/fhir/Patient/77' }] })), /Patient\/\*\*\*/);
});

test('XML is masked by the same elements; text that is not JSON is not shown at all', () => {
  const xml = `<ChargeItem xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Renée TESTPATIENT</p></div></text>
  <code><coding><code value="CDM-2780011"/></coding></code><subject><reference value="Patient/pt-77"/><display value="TESTPATIENT, RENÉE"/></subject></ChargeItem>`;
  const masked = maskFhir(xml);
  assert.ok(!/TESTPATIENT|pt-77|Renée/.test(masked), masked);
  assert.ok(masked.includes('CDM-2780011'));
  const broken = maskFhir('{"resourceType":"Patient","name":[{"family":"TESTPATIENT"');
  assert.ok(!broken.includes('TESTPATIENT'));
  assert.match(broken, /^\[\d+ characters that are not FHIR JSON/);
});

test('an outbound ChargeItem with an MRN shows no MRN; masking never changes what is decoded', () => {
  const { resource } = encodeChargeItem(
    { account: 'VIS-5566', chargeCode: 'CDM-2780011', quantity: 1, serviceDate: '2026-05-12', unitPrice: '9850.00' },
    { idempotencyKey: 'dlv_1', now: '2026-05-12T14:41:01-05:00', patient: { mrn: 'MRN00012345' } },
  );
  assert.ok(!maskFhir(JSON.stringify(resource)).includes('MRN00012345'));
  const before = decodeFhir(USE, { sourceSystem: 'periop' });
  maskFhir(USE);
  assert.deepEqual(decodeFhir(USE, { sourceSystem: 'periop' }), before);
});
