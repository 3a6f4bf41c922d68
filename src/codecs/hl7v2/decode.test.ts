// What decodeHl7 tolerates (line ends, whitespace, Z-segments, delimiters, versions) and how it refuses the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeHl7, splitBatch, type Hl7Decoded } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const OPTIME = fixture('dft_p03_optime_two-implants_zqd-zpa_v2.5.1_CR.hl7');
const ENHANCED = fixture('dft_p03_enhanced-ack_msh15-AL_msh16-NE_v2.5.1_CR.hl7');
const segments = (text: string) => text.split(/\r\n|\r|\n/).filter(Boolean);

function failure(r: Hl7Decoded) {
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  const f = r as Extract<Hl7Decoded, { ok: false }>;
  return { ack: f.ack, code: f.error.code, location: f.error.location, header: f.header, message: f.error.message };
}
const withVersion = (text: string, version: string) => text.replace('|P|2.5.1', `|P|${version}`);

test('the header is read field by field', () => {
  const r = decodeHl7(ENHANCED);
  assert.ok(r.ok);
  assert.deepEqual(r.header, {
    fieldSeparator: '|', encodingCharacters: '^~\\&', sendingApplication: 'PYXIS', sendingFacility: 'NORTH_HOSP',
    receivingApplication: 'TENDON', receivingFacility: 'NETWORK', timestamp: '2026-05-12T10:15:00-05:00', messageCode: 'DFT',
    triggerEvent: 'P03', controlId: 'PX-000981', processingId: 'P', version: '2.5.1', acceptAckType: 'AL', applicationAckType: 'NE',
  });
});

test('CR, LF, CRLF, mixed line ends, surrounding whitespace, a BOM and MLLP framing bytes decode the same', () => {
  const expected = decodeHl7(OPTIME);
  assert.ok(expected.ok && expected.events.length === 2);
  const lines = segments(OPTIME);
  const variants = [
    lines.join('\n'), lines.join('\r\n'), lines.map((l, i) => l + ['\r', '\n', '\r\n'][i % 3]).join(''),
    `\n\n  ${lines.join('\r')}\r\n\n  `, `\uFEFF${lines.join('\r')}`, `\x0b${lines.join('\r')}\r\x1c\r`, lines.join('\r\n\r\n'),
  ];
  for (const text of variants) assert.deepEqual(decodeHl7(text), expected, JSON.stringify(text.slice(0, 12)));
});

test('Z-segments anywhere and unknown segments are ignored', () => {
  const lines = segments(ENHANCED);
  lines.splice(1, 0, 'ZXX|1|anything^at^all');
  lines.splice(4, 0, 'ZEP|whatever');
  lines.push('ZZZ|trailing', 'NTE|1||free text');
  const r = decodeHl7(lines.join('\r'));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.events.length, 1);
});

test('the delimiters are read from MSH-1/MSH-2 of each message, and escapes are decoded after splitting', () => {
  const custom = ENHANCED.replaceAll('^', '$').replace('MSH|$~\\&|', 'MSH|$~\\%|').replace('|300099$Dressing', '|300099\\T\\B$Dressing');
  const r = decodeHl7(custom);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.header.encodingCharacters, '$~\\%');
  assert.deepEqual(r.events[0]!.payload.item, { system: 'PYXIS', code: '300099%B' });
  const escaped = decodeHl7(ENHANCED.replace('|300099^Dressing', '|30\\F\\0\\S\\099\\E\\X\\X41\\^Dressing'));
  assert.ok(escaped.ok);
  assert.equal((escaped.events[0]!.payload.item as { code: string }).code, '30|0^099\\XA');
});

test('MSH-9 without the structure component, and every version from 2.3 to 2.9, are taken', () => {
  for (const version of ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.2', '2.9']) {
    const r = decodeHl7(withVersion(ENHANCED.replace('DFT^P03^DFT_P03', 'DFT^P03'), version));
    assert.ok(r.ok, version);
  }
});

test('a version outside 2.3-2.9 is AR 203; a message type or event Tendon does not take is AR 200 / 201', () => {
  for (const version of ['2.2', '2.1', '3.0', '', '2.5.1.7', 'V2.5']) {
    assert.deepEqual(failure(decodeHl7(withVersion(ENHANCED, version))).code, '203', version);
  }
  const cases = [['ADT^A08', '200'], ['ORU^R01^ORU_R01', '200'], ['DFT^P04', '201'], ['MFN^M15', '201'], ['', '200']] as const;
  for (const [type, code] of cases) {
    const f = failure(decodeHl7(ENHANCED.replace('DFT^P03^DFT_P03', type)));
    assert.deepEqual([f.ack, f.code, f.location], ['AR', code, { segment: 'MSH', sequence: 1, field: 9 }], type);
  }
});

test('a text that is not HL7 is AR with no header', () => {
  for (const text of ['', '   \n', 'hello', '{"type":"supply.used"}', 'PID|1||X', 'MSH', 'MSH|', 'MSHabcdefgh', 'MSH|^^\\&|x', 'MSH|^~\\&x|']) {
    const f = failure(decodeHl7(text));
    assert.deepEqual([f.ack, f.code, f.header], ['AR', '100', null], JSON.stringify(text));
  }
});

test('no MSH-10 control id is AE 101 at MSH-10', () => {
  const f = failure(decodeHl7(ENHANCED.replace('|PX-000981|', '||')));
  assert.deepEqual([f.ack, f.code, f.location], ['AE', '101', { segment: 'MSH', sequence: 1, field: 10 }]);
  assert.equal(f.header?.sendingApplication, 'PYXIS');
});

test('several messages handed to decodeHl7 at once are AE 100: a batch is split first', () => {
  const f = failure(decodeHl7(`${ENHANCED}\r${OPTIME}`));
  assert.deepEqual([f.ack, f.code], ['AE', '100']);
  assert.equal(f.header?.controlId, 'PX-000981');
});

test('splitBatch: FHS/BHS envelopes, blank-line separation, and stray text before the first MSH', () => {
  const batch = ['FHS|^~\\&|OPTIME|NORTH_HOSP', 'BHS|^~\\&|OPTIME|NORTH_HOSP', ...segments(ENHANCED), ...segments(OPTIME),
    'BTS|2', 'FTS|1'].join('\r\n');
  const texts = splitBatch(batch);
  assert.deepEqual(texts, [segments(ENHANCED).join('\r'), segments(OPTIME).join('\r')]);
  assert.ok(texts.every((t) => decodeHl7(t).ok));
  assert.deepEqual(splitBatch(`${ENHANCED}\n\n\n${OPTIME}`).length, 2);
  assert.deepEqual(splitBatch('garbage line\nMSH|^~\\&|A\nPID|1'), ['garbage line', 'MSH|^~\\&|A\rPID|1']);
  assert.deepEqual(splitBatch(''), []);
  assert.deepEqual(splitBatch(ENHANCED), [segments(ENHANCED).join('\r')]);
});

test('non-ASCII text survives decoding', () => {
  const r = decodeHl7(ENHANCED.replace('300099^Dressing', 'PANSEMENT-É™^Pansement'));
  assert.ok(r.ok);
  assert.equal((r.events[0]!.payload.item as { code: string }).code, 'PANSEMENT-É™');
});

test('a failure of our own (a throwing facility mapping) is AE 207, never an exception', () => {
  const f = failure(decodeHl7(ENHANCED, { facilityOf: () => { throw new Error('mapping table unavailable'); } }));
  assert.deepEqual([f.ack, f.code, f.header?.controlId], ['AE', '207', 'PX-000981']);
  assert.match(f.message, /mapping table unavailable/);
});
