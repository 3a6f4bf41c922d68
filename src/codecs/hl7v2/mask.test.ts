// Masking for display: the patient's identity goes, the structure and the operational content stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeHl7, maskHl7 } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const OPTIME = fixture('dft_p03_optime_two-implants_zqd-zpa_v2.5.1_CR.hl7');
const fieldsOf = (text: string, segment: string) => text.split(/\r\n|\r|\n/).find((l) => l.startsWith(`${segment}|`))!.split('|');

test('PID, GT1 and IN1 identity fields become ***; other fields, segments and line ends are kept', () => {
  const masked = maskHl7(OPTIME);
  assert.equal(masked.split('\r').length, OPTIME.split('\r').length);
  const pid = fieldsOf(masked, 'PID');
  assert.deepEqual([1, 3, 5, 7, 8, 11, 13, 18, 19].map((n) => pid[n]), ['1', '***', '***', '***', 'F', '***', '***', '***', '***']);
  assert.deepEqual([2, 4, 6].map((n) => pid[n]), ['', '', ''], 'empty fields stay empty');
  const gt1 = fieldsOf(masked, 'GT1');
  assert.deepEqual([gt1[1], gt1[3], gt1[5], gt1[6]], ['1', '***', '***', '***']);
  const in1 = fieldsOf(masked, 'IN1');
  assert.deepEqual([in1[2], in1[16], in1[18], in1[36]], ['MCR^Medicare', '***', '***', '***']);
  assert.equal(fieldsOf(masked, 'PV1')[19], '***');
  for (const name of ['MSH', 'EVN', 'ZPA', 'FT1', 'ZQD', 'PR1', 'DG1']) {
    assert.deepEqual(fieldsOf(masked, name), fieldsOf(OPTIME, name), `${name} unchanged`);
  }
  for (const phi of ['MRN00012345', 'TESTPATIENT', 'RENÉE', '19700101', '999999999', '999-99-9999', 'ACCT-778812', '1 MAIN ST', '1234567^PRN', '1EG4TE5MK73']) {
    assert.ok(!masked.includes(phi), `${phi} masked`);
  }
});

test('a masked message still decodes to the same operational facts', () => {
  const plain = decodeHl7(OPTIME);
  const masked = decodeHl7(maskHl7(OPTIME));
  assert.ok(plain.ok && masked.ok);
  assert.deepEqual(masked.events.map((e) => [e.payload.item, e.payload.lot, e.payload.serial, e.payload.location]),
    plain.events.map((e) => [e.payload.item, e.payload.lot, e.payload.serial, e.payload.location]));
  assert.deepEqual(masked.events[0]!.payload.patient, { identifier: '***' });
});

test('NK1 and IN2 are masked; every message of a batch with its own delimiters; LF and CRLF kept', () => {
  const batch = [
    'MSH|^~\\&|A|B|||20260512||ADT^A01|1|P|2.5', 'PID|1||MRN1^^^H^MR||DOE^JANE', 'NK1|1|DOE^JOHN|SPO|2 ELM ST|5550001', 'IN2|EMP7|123-45-6789',
    '', 'MSH|$~\\%|A|B|||20260512||ADT$A01|2|P|2.5', 'PID|1||MRN2$$$H$MR||ROE$RICHARD',
  ].join('\r\n');
  const masked = maskHl7(batch);
  assert.equal(masked, [
    'MSH|^~\\&|A|B|||20260512||ADT^A01|1|P|2.5', 'PID|1||***||***', 'NK1|1|***|SPO|***|***', 'IN2|***|***',
    '', 'MSH|$~\\%|A|B|||20260512||ADT$A01|2|P|2.5', 'PID|1||***||***',
  ].join('\r\n'));
  assert.equal(maskHl7(batch.replaceAll('\r\n', '\n')), masked.replaceAll('\r\n', '\n'));
});

test('what cannot be read as HL7 is masked whole; batch envelopes and blank lines are not', () => {
  assert.equal(maskHl7('Jane Doe, MRN 12345'), '***');
  assert.equal(maskHl7('FHS|^~\\&|A\n\nMSH|^~\\&|A|B|||20260512||DFT^P03|1|P|2.5\nPID|1||M9\nBTS|1'),
    'FHS|^~\\&|A\n\nMSH|^~\\&|A|B|||20260512||DFT^P03|1|P|2.5\nPID|1||***\nBTS|1');
  assert.equal(maskHl7('MSH|^^^^|broken\nPID|1||M9||DOE'), '***\n***', 'no sound delimiters: all of it is masked');
  assert.equal(maskHl7(''), '');
});
