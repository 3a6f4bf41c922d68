// What an analytics destination (NATS, webhook, CSV) publishes for each delivery: the event, or the reversed one retracted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncodeError } from '../../codecs/rest/index.ts';
import { publishedEvent } from './published.ts';

const EVENT = { id: 'evt-1', type: 'supply.used', facility: 'FAC-NORTH', correlationId: 'CASE-1', revision: 1, payload: { patient: { token: 'pt_x' } } };

test('an event.publish delivery posts its event as it is', () => {
  assert.deepEqual(publishedEvent({ action: 'event.publish', body: { event: EVENT } }, { revealed: new Map() }), EVENT);
});

test('a reversal posts the reversed event with "retracted": true, leaving the stored one unchanged', () => {
  const reversed = { action: 'event.publish', remoteRef: 'evt-1', body: { event: EVENT } };
  assert.deepEqual(publishedEvent({ action: 'reverse', body: {} }, { revealed: new Map(), reversed }), { ...EVENT, retracted: true });
  assert.equal('retracted' in EVENT, false);
});

test('anything but an event is refused before it is sent (EncodeError: the delivery goes dead)', () => {
  assert.throws(() => publishedEvent({ action: 'charge.post', body: { account: 'A' } }, { revealed: new Map() }), EncodeError);
  assert.throws(() => publishedEvent({ action: 'reverse', body: {} }, { revealed: new Map() }), EncodeError);
  assert.throws(() => publishedEvent({ action: 'event.publish', body: {} }, { revealed: new Map() }), EncodeError);
});
