// Acknowledgments: original and enhanced mode, ERR content, the sender's own delimiters, and no header at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Hl7Message } from '@medplum/core';
import { buildAcks, decodeHl7, type AckOutcome, type Hl7Decoded, type Hl7Header } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const OPTIME = fixture('dft_p03_optime_two-implants_zqd-zpa_v2.5.1_CR.hl7');
const ENHANCED = fixture('dft_p03_enhanced-ack_msh15-AL_msh16-NE_v2.5.1_CR.hl7');
const ctx = { controlId: 'TDN-000042', now: '2026-05-12T14:41:01.123-05:00', receivingApplication: 'TENDON' };

const outcomeOf = (r: Hl7Decoded): AckOutcome => (r.ok ? { code: 'AA' } : { code: r.ack, error: r.error });
const acksFor = (text: string) => {
  const r = decodeHl7(text);
  return buildAcks(r.header, outcomeOf(r), ctx);
};
const parse = (ack: string) => Hl7Message.parse(ack);

test('original mode, accepted: one ACK, addressed back to the sender, MSA-2 = the inbound MSH-10', () => {
  assert.deepEqual(acksFor(OPTIME), [
    'MSH|^~\\&|TENDON|NETWORK|OPTIME|NORTH_HOSP|20260512144101.123-0500||ACK^P03^ACK|TDN-000042|P|2.5.1\r' +
    'MSA|AA|OPT20260512000417\r',
  ]);
});

test('original mode, error: AE with ERR-2 location, ERR-3 0357 code, ERR-4 severity and the detail in ERR-8 and MSA-3', () => {
  const [ack] = acksFor(OPTIME.replace('|CG|CDM-2780012^KNEE TIBIAL BASEPLATE^CDM|||1|', '|CG|CDM-2780012^KNEE TIBIAL BASEPLATE^CDM|||two|'));
  const m = parse(ack!);
  assert.deepEqual([m.getSegment('MSA')!.getField(1).toString(), m.getSegment('MSA')!.getField(2).toString()], ['AE', 'OPT20260512000417']);
  const err = m.getSegment('ERR')!;
  assert.equal(err.getField(1).toString(), '', 'ERR-1 only before v2.5');
  assert.equal(err.getField(2).toString(), 'FT1^2^10');
  assert.equal(err.getField(3).toString(), '102^Data type error^HL70357');
  assert.equal(err.getField(4).toString(), 'E');
  assert.equal(err.getField(8).toString(), 'FT1-10 quantity is not a number');
  assert.equal(m.getSegment('MSA')!.getField(3).toString(), 'FT1-10 quantity is not a number');
  assert.ok(ack!.endsWith('\r') && !ack!.includes('\n'), 'segments end with CR');
});

test('a v2.3 or v2.4 sender also gets ERR-1 (ELD), which it reads instead of ERR-2/3', () => {
  const [ack] = acksFor(ENHANCED.replace('|2.5.1|||AL|NE', '|2.3|||').replace('|PX-000981|', '||'));
  assert.equal(parse(ack!).getSegment('ERR')!.getField(1).toString(), 'MSH^1^10^101&Required field missing&HL70357');
  assert.match(ack!, /\|2\.3\r/);
});

test('enhanced mode: accept ACK CA/CE/CR, then an application ACK only as MSH-16 asks', () => {
  const header = decodeHl7(ENHANCED).header as Hl7Header;
  const error = { code: '102' as const, message: 'FT1-10 quantity is not a number', location: { segment: 'FT1', sequence: 1, field: 10 } };
  const codes = (accept: string, app: string, outcome: AckOutcome) =>
    buildAcks({ ...header, acceptAckType: accept, applicationAckType: app }, outcome, ctx)
      .map((a) => { const m = parse(a); return `${m.getSegment('MSA')!.getField(1)}:${m.header.getField(10)}`; });
  assert.deepEqual(codes('AL', 'NE', { code: 'AA' }), ['CA:TDN-000042'], 'the fixture: MSH-15 AL, MSH-16 NE');
  assert.deepEqual(codes('AL', 'AL', { code: 'AA' }), ['CA:TDN-000042', 'AA:TDN-000042-A']);
  assert.deepEqual(codes('AL', 'ER', { code: 'AA' }), ['CA:TDN-000042']);
  assert.deepEqual(codes('AL', 'ER', { code: 'AE', error }), ['CE:TDN-000042', 'AE:TDN-000042-A']);
  assert.deepEqual(codes('AL', 'SU', { code: 'AR', error }), ['CR:TDN-000042']);
  assert.deepEqual(codes('ER', 'AL', { code: 'AA' }), ['AA:TDN-000042']);
  assert.deepEqual(codes('SU', 'NE', { code: 'AA' }), ['CA:TDN-000042']);
  assert.deepEqual(codes('NE', 'NE', { code: 'AA' }), []);
  assert.deepEqual(codes('AL', '', { code: 'AA' }), ['CA:TDN-000042']);
  const [ce, ae] = buildAcks({ ...header, applicationAckType: 'AL' }, { code: 'AE', error }, ctx);
  assert.equal(parse(ce!).getSegment('ERR')!.getField(2).toString(), 'FT1^1^10');
  assert.equal(parse(ae!).getSegment('MSA')!.getField(2).toString(), 'PX-000981');
});

test("the answer is written in the sender's encoding characters, with data escaped in them", () => {
  const custom = ENHANCED.replaceAll('^', '$').replace('MSH|$~\\&|', 'MSH|$~\\%|');
  const r = decodeHl7(custom);
  assert.equal(r.header?.encodingCharacters, '$~\\%');
  const [ack] = buildAcks(r.header, { code: 'AE', error: { code: '103', message: 'a$b%c|d', location: { segment: 'FT1', sequence: 1, field: 6 } } }, ctx);
  assert.ok(ack!.startsWith('MSH|$~\\%|TENDON|NETWORK|PYXIS|NORTH_HOSP|'), ack);
  assert.match(ack!, /\|ACK\$P03\$ACK\|/);
  assert.match(ack!, /\rERR\|\|FT1\$1\$6\|103\$Table value not found\$HL70357\|E\|\|\|\|a\\S\\b\\T\\c\\F\\d\r/);
});

test('no header (not HL7): still a valid ACK, MSA-2 empty, default delimiters and version', () => {
  const r = decodeHl7('this is not HL7');
  assert.equal(r.header, null);
  const acks = buildAcks(r.header, outcomeOf(r), { ...ctx, receivingFacility: 'NETWORK' });
  assert.equal(acks.length, 1);
  const m = parse(acks[0]!);
  assert.deepEqual([m.header.getField(3).toString(), m.header.getField(4).toString(), m.header.getField(9).toString(), m.header.getField(12).toString()],
    ['TENDON', 'NETWORK', 'ACK', '2.5']);
  assert.deepEqual([m.getSegment('MSA')!.getField(1).toString(), m.getSegment('MSA')!.getField(2).toString()], ['AR', '']);
  assert.equal(m.getSegment('ERR')!.getField(3).toString(), '100^Segment sequence error^HL70357');
  assert.ok(acks[0]!.startsWith('MSH|^~\\&|TENDON|NETWORK|||20260512144101.123-0500||ACK|TDN-000042|P|2.5\rMSA|AR||'));
});

test('values Tendon writes cannot break the frame: our names and the time are escaped or normalised', () => {
  const header = decodeHl7(OPTIME).header;
  const [ack] = buildAcks(header, { code: 'AA' }, { controlId: 'C|1', now: '2026-05-12T19:41:01Z', receivingApplication: 'TEN^DON\rX' });
  assert.match(ack!, /^MSH\|\^~\\&\|TEN\\S\\DON\\\.br\\X\|NETWORK\|OPTIME\|NORTH_HOSP\|20260512194101\+0000\|\|ACK\^P03\^ACK\|C\\F\\1\|/);
  assert.equal(ack!.split('\r').length, 3);
});
