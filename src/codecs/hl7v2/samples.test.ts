// Every public sample (fixtures/PROVENANCE.md) gets a definite answer: events, or the HL7 error a sender can act on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildAcks, decodeHl7, maskHl7, splitBatch, type Hl7Decoded } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const ctx = { controlId: 'TDN-ACK-1', now: '2026-05-12T14:41:01-05:00', receivingApplication: 'TENDON' };

function failed(r: Hl7Decoded): Extract<Hl7Decoded, { ok: false }> {
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  return r as Extract<Hl7Decoded, { ok: false }>;
}

test('the Wikipedia ADT^A01 (CR, UTF-8) is a message type Tendon does not take: AR 200, its header still read', () => {
  const r = failed(decodeHl7(fixture('adt_a01_wikipedia-sample_via-elixir-hl7_v2.5_CR_utf8.hl7')));
  assert.equal(r.ack, 'AR');
  assert.deepEqual(r.error.location, { segment: 'MSH', sequence: 1, field: 9 });
  assert.equal(r.error.code, '200');
  assert.equal(r.header?.sendingApplication, 'MegaReg');
  assert.equal(r.header?.controlId, '01052901');
  assert.equal(r.header?.version, '2.5');
  assert.equal(r.header?.timestamp, '2006-05-29T09:01:31-05:00');
  const [ack] = buildAcks(r.header, { code: r.ack, error: r.error }, ctx);
  assert.match(ack!, /\rMSA\|AR\|01052901\|/);
  assert.ok(maskHl7(fixture('adt_a01_wikipedia-sample_via-elixir-hl7_v2.5_CR_utf8.hl7')).includes('ASPIRIN'), 'non-PHI kept');
});

test('the ADT^A01 with segments joined by spaces is answered AR 200, in original mode, without PHI in the mask', () => {
  const text = fixture('adt_a01_healthcare-it-systems_MALFORMED-space-separated_v2.3.hl7');
  const r = failed(decodeHl7(text));
  assert.equal(r.ack, 'AR');
  assert.equal(r.error.code, '200');
  assert.equal(r.header?.controlId, '599102');
  // MSH-15 reads " EVN" (the next segment, joined by a space): not an ack type, so one original-mode ACK.
  const acks = buildAcks(r.header, { code: r.ack, error: r.error }, ctx);
  assert.equal(acks.length, 1);
  assert.match(acks[0]!, /\rMSA\|AR\|599102\|/);
  const masked = maskHl7(text);
  for (const phi of ['DUCK^DONALD', 'DONALD', '111 DUCK ST', '8885551212', '123121234', '10006579']) {
    assert.ok(!masked.includes(phi), `${phi} is masked`);
  }
  assert.ok(masked.includes('DISNEY^WALT') && masked.includes('OSTEOARTHROS'), 'providers and diagnoses stay readable');
});

test('the mieweb batch splits into two DFT^P03s; each is AE 101 because no line names an inventory location', () => {
  const texts = splitBatch(fixture('dft_p03_mieweb_batch-2-msgs_lf_v2.5.hl7'));
  assert.equal(texts.length, 2);
  const ids = texts.map((t) => {
    assert.ok(t.startsWith('MSH|') && !t.includes('\n'));
    const r = failed(decodeHl7(t));
    // FT1-16 holds only its facility (407) and a description; there is no ZPA and no FT1-13 department.
    assert.deepEqual([r.ack, r.error.code, r.error.location], ['AE', '101', { segment: 'FT1', sequence: 1, field: 16 }]);
    return r.header?.controlId;
  });
  assert.deepEqual(ids, ['DSD1184185250', 'DSD1184189125']);
});

test('the mieweb lines map once a location is present: CPT charge code as a cdm code, MR patient id, surgeon', () => {
  const [first] = splitBatch(fixture('dft_p03_mieweb_batch-2-msgs_lf_v2.5.hl7'));
  const r = decodeHl7(first!.replace('|^^^^407^^^^TESTLOCATION|', '|RAD-1^^^^407^^^^TESTLOCATION|'));
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events, [{
    type: 'supply.used', schemaVersion: 1, idempotencyKey: 'SENDING_FAC:DSD1184185250:1',
    occurredAt: '2008-05-28T11:47:00-05:00', facility: 'SENDING_FAC', source: { system: 'WCDataSend' }, correlationId: '783933',
    payload: {
      item: { system: 'WCDataSend:cdm', code: '73630' }, quantity: { value: 1, unit: 'EA' }, location: 'RAD-1',
      patient: { identifier: '10476' }, caseId: '783933', procedureCode: '73630', surgeon: { id: '1', name: 'mie mie' },
    },
  }]);
});

test('the LinuxForHealth DFT (FT1-7 "FAKE", no MSH-3/4, no location) is AE 101, naming each missing field in turn', () => {
  const text = fixture('dft_p03_linuxforhealth_v2.6_orc-obr-obx-ft1-in1.hl7');
  const r = failed(decodeHl7(text));
  assert.deepEqual([r.ack, r.error.code, r.error.location], ['AE', '101', { segment: 'MSH', sequence: 1, field: 4 }]);
  assert.equal(r.header?.messageCode, 'DFT');
  assert.equal(r.header?.processingId, 'T');
  const withFacility = failed(decodeHl7(text, { facilityOf: () => 'FAC-TEST' }));
  assert.deepEqual(withFacility.error.location, { segment: 'MSH', sequence: 1, field: 3 }, 'no sending application: no source system');
  const withSender = failed(decodeHl7(text.replace('MSH|^~\\&|||', 'MSH|^~\\&|LFH||'), { facilityOf: () => 'FAC-TEST' }));
  assert.deepEqual(withSender.error.location, { segment: 'FT1', sequence: 1, field: 16 }, 'then the line has no location');
  const located = decodeHl7(text.replace('MSH|^~\\&|||', 'MSH|^~\\&|LFH||').replace('|CG|FAKE|', '|CG|FAKE||||||OR|'), { facilityOf: () => 'FAC-TEST' });
  assert.ok(located.ok, JSON.stringify(located));
  assert.deepEqual(located.events[0]!.payload.item, { system: 'LFH:cdm', code: 'FAKE' });
  assert.equal(located.events[0]!.idempotencyKey, ':MSGID000001:1', 'no FT1-1: the line position');
});

test('the Mirth MFN^M02 (staff master) is an event Tendon does not take: AR 201', () => {
  const r = failed(decodeHl7(fixture('mfn_m02_mirthproject_staff-master_v2.3.1.hl7')));
  assert.deepEqual([r.ack, r.error.code], ['AR', '201']);
  assert.equal(r.header?.version, '2.3.1');
});
