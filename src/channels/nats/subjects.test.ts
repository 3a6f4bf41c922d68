import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSubject, subjectToken } from './subjects.ts';

test('an event goes to <prefix>.<type>.<facility>; plain facility codes are unchanged', () => {
  assert.equal(eventSubject('tendon.events', 'supply.used', 'FAC-NORTH'), 'tendon.events.supply.used.FAC-NORTH');
  assert.equal(eventSubject('x', 'stock.counted', 'fac_2'), 'x.stock.counted.fac_2');
});

test('a facility code with dots, spaces or wildcards stays one token, percent-encoded, and decodes back', () => {
  for (const code of ['FAC.NORTH', 'FAC NORTH 2', '*', '>', 'A>B*C', 'Hôpital Nord', 'x%2E', '\t']) {
    const token = subjectToken(code);
    assert.match(token, /^[A-Za-z0-9_%-]+$/, `${JSON.stringify(code)} → ${token}`);
    assert.equal(decodeURIComponent(token), code);
  }
  assert.equal(subjectToken('FAC.NORTH 2'), 'FAC%2ENORTH%202');
  assert.equal(eventSubject('tendon.events', 'supply.used', 'FAC.NORTH'), 'tendon.events.supply.used.FAC%2ENORTH');
});

test('two different facility codes never share a subject', () => {
  const codes = ['FAC.NORTH', 'FAC%2ENORTH', 'FAC_NORTH', 'FAC-NORTH', 'FAC NORTH'];
  assert.equal(new Set(codes.map(subjectToken)).size, codes.length);
});
