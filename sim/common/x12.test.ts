import assert from 'node:assert/strict';
import { test } from 'node:test';
import { X12Parser } from 'node-x12';
import { parseInterchange, readTa1s, writeInterchange, writeTa1Interchange, X12EnvelopeError, type InterchangeSpec } from './x12.ts';

const AT = Date.parse('2026-11-21T14:05:00Z');

const spec = (over: Partial<InterchangeSpec> = {}): InterchangeSpec => ({
  sender: { qualifier: 'ZZ', id: 'MEDSUPPLY' },
  receiver: { qualifier: '01', id: '0614141000012' },
  controlNumber: 42,
  version: '00401',
  at: AT,
  groups: [{
    functionalId: 'PR', senderCode: 'MEDSUPPLY', receiverCode: 'TENDON', controlNumber: 42, version: '004010',
    sets: [
      { id: '855', controlNumber: '0001', body: [['BAK', '00', 'AD', 'PO-1', '20261121'], ['PO1', '1', 2, 'EA', '10.50', null, 'VC', 'A*B']] },
      { id: '855', controlNumber: '0002', body: [['BAK', '00', 'AD', 'PO-2', '20261121']] },
    ],
  }],
  ...over,
});

test('the writer makes a fixed-width ISA and counts SE01, GE01 and IEA01 (checked by node-x12, strict)', () => {
  const text = writeInterchange(spec());
  assert.equal(text.indexOf('~'), 105);
  assert.match(text, /^ISA\*00\*          \*00\*          \*ZZ\*MEDSUPPLY      \*01\*0614141000012  \*261121\*1405\*U\*00401\*000000042\*0\*P\*>~\n/);
  const parsed = new X12Parser(true).parse(text) as any;
  const group = parsed.functionalGroups[0];
  assert.equal(group.transactions.length, 2);
  assert.equal(group.header.elements[3].value, '20261121');
  const po1 = group.transactions[0].segments[1];
  // A delimiter inside data would split the element: it is written as a space.
  assert.deepEqual(po1.elements.map((e: any) => e.value), ['1', '2', 'EA', '10.50', '', 'VC', 'A B']);
});

test('other delimiters, 00501 with a repetition separator, no line ends: node-x12 reads them from the ISA', () => {
  const text = writeInterchange(spec({ version: '00501', delimiters: { element: '|', component: '^', repetition: '{', segment: '\n', lineEnd: '' } }));
  assert.equal(text.charAt(82), '{');
  const parsed = new X12Parser(true).parse(text) as any;
  assert.equal(parsed.functionalGroups[0].transactions[1].segments[0].elements[2].value, 'PO-2');
  const again = parseInterchange(text);
  assert.equal(again.delimiters.repetition, '{');
  // With `|` as the element separator a `*` is plain data.
  assert.equal(again.groups[0]?.sets[0]?.segments[2]?.get(7), 'A*B');
});

test('the reader takes delimiters from the ISA, skips CR/LF and indentation, and keeps groups and sets apart', () => {
  // The shape of node-x12's own sample (newline as the segment terminator), two groups, CRLF and indentation.
  const isa = 'ISA^00^          ^00^          ^12^4405197800     ^01^999999999      ^101127^1719^U^00400^000003438^0^P^>';
  const text = [
    isa, 'GS^PO^4405197800^999999999^20101127^1719^1421^X^004010VICS', 'ST^850^000000010', '  BEG^00^SA^08292233294^^20101127',
    '  PO1^1^120^EA^9.25^TE^CB^065322-117^VN^AB3542', 'SE^4^000000010', 'GE^1^1421',
    'GS^IN^4405197800^999999999^20101127^1719^1422^X^004010', 'ST^810^0001', 'BIG^20101127^INV1^^08292233294', 'SE^3^0001', 'GE^1^1422',
    'IEA^2^000003438',
  ].join('\r\n') + '\r\n';
  const x = parseInterchange(text);
  // The terminator is the character after ISA16 (here CR); the LF after it is a line end, skipped.
  assert.deepEqual(x.delimiters, { element: '^', component: '>', repetition: '', segment: '\r', lineEnd: '' });
  assert.equal(x.header.senderId, '4405197800');
  assert.equal(x.header.controlNumber, '000003438');
  assert.deepEqual(x.groups.map((g) => [g.functionalId, g.controlNumber, g.version, g.sets.length]), [['PO', '1421', '004010VICS', 1], ['IN', '1422', '004010', 1]]);
  const set = x.groups[0]?.sets[0];
  assert.deepEqual(set?.segments.map((s) => s.tag), ['ST', 'BEG', 'PO1', 'SE']);
  assert.equal(set?.segments[2]?.get(8), 'VN');
});

test('envelope faults are X12EnvelopeErrors carrying their TA1 note code', () => {
  const good = writeInterchange(spec());
  const cases: [string, string][] = [
    ['', '022'],
    ['GS*PO*X', '022'],
    [good.slice(0, 100), '023'],
    [good.replace('*00401*', '*00401|').replace('*P*>~', '*P|>~'), '022'],
    [good.replace('IEA*1*000000042', 'IEA*1*000000043'), '001'],
    [good.replace('IEA*1*', 'IEA*3*'), '021'],
    [good.replace('GE*2*42', 'GE*2*41'), '024'],
    [good.replace('GE*2*42', 'GE*3*42'), '024'],
    [good.replace('SE*3*0002~\n', ''), '024'],
    [good.replace(/IEA.*\n$/, ''), '023'],
    [good + good, '022'],
    [good.replace('*000000042*', '*00000042A*'), '018'],
    [good.replace('*261121*', '*26112X*'), '014'],
    [good.replace('*0*P*', '*2*P*'), '019'],
  ];
  for (const [text, code] of cases) {
    assert.throws(() => parseInterchange(text), (err: unknown) => err instanceof X12EnvelopeError && err.code === code, `expected ${code} for ${JSON.stringify(text.slice(0, 40))}`);
  }
});

test('a TA1 answers the interchange it names and reads back', () => {
  const answered = parseInterchange(writeInterchange(spec({ ackRequested: true }))).header;
  const text = writeTa1Interchange({ answered, us: { qualifier: 'ZZ', id: 'TENDON' }, controlNumber: 7, code: 'R', note: '024', at: AT });
  const back = parseInterchange(text);
  assert.deepEqual([back.header.senderId, back.header.receiverId, back.groups.length], ['TENDON', 'MEDSUPPLY', 0]);
  assert.deepEqual(readTa1s(back), [{ controlNumber: '000000042', code: 'R', note: '024' }]);
  // Nothing readable to answer: control number zero, addressed to no one in particular.
  const blind = parseInterchange(writeTa1Interchange({ answered: undefined, us: { qualifier: 'ZZ', id: 'TENDON' }, controlNumber: 8, code: 'R', note: '022', at: AT }));
  assert.deepEqual(readTa1s(blind)[0], { controlNumber: '000000000', code: 'R', note: '022' });
});
