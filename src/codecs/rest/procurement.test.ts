// The procurement tool's REST codec: requisition.status → POST /requisitions/{number}/status, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Delivery } from '../../core/types.ts';
import { EncodeError, REST_CODECS, REST_ROLES, type EncodeContext } from './index.ts';

const delivery = (action: string, body: Record<string, unknown> = {}): Delivery => ({
  id: 'DLV-09', seq: 12, eventId: 'EVT-09', correlationId: 'PRQ-000042', destination: 'procure-main', action,
  partitionKey: 'FAC-NORTH|req|PRQ-000042', priority: 0, idempotencyKey: 'tdn-DLV-09', status: 'in_flight',
  attempts: 1, nextAttemptAt: 0, createdAt: '2026-05-12T14:41:01Z', updatedAt: '2026-05-12T14:41:01Z', body, reverses: null,
  remoteRef: null, lastError: null,
});
const none: EncodeContext = { revealed: new Map() };
const REFERENCE = { eventId: 'EVT-09', correlationId: 'PRQ-000042', deliveryId: 'DLV-09' };
const status = {
  requisitionNumber: 'PRQ-000042', line: '2', status: 'ordered', poNumber: 'PO-4500012345', at: '2026-05-12T14:41:00-05:00', detail: null,
};

test('procurement is a REST role', () => {
  assert.ok((REST_ROLES as readonly string[]).includes('procurement'));
});

test("a requisition status is posted under the tool's own requisition number, with the delivery's reference", () => {
  assert.deepEqual(REST_CODECS.procurement(delivery('requisition.status', status), none), {
    method: 'POST', path: '/requisitions/PRQ-000042/status', json: { ...status, reference: REFERENCE },
  });
});

test('the requisition number is escaped in the path; absent line, PO number and detail are sent as null', () => {
  const spec = REST_CODECS.procurement(delivery('requisition.status', { requisitionNumber: 'REQ 7/A?', status: 'approved', at: '2026-05-12T14:41:00Z' }), none);
  assert.equal(spec.path, '/requisitions/REQ%207%2FA%3F/status');
  assert.deepEqual(spec.json, {
    requisitionNumber: 'REQ 7/A?', line: null, status: 'approved', poNumber: null, at: '2026-05-12T14:41:00Z', detail: null, reference: REFERENCE,
  });
});

test('only the status fields are sent, whatever else the delivery carries', () => {
  const spec = REST_CODECS.procurement(delivery('requisition.status', { ...status, replyTo: 'procure-main', amount: '120.00' }), none);
  assert.deepEqual(Object.keys(spec.json).sort(), ['at', 'detail', 'line', 'poNumber', 'reference', 'requisitionNumber', 'status']);
});

test('any other action, a reversal among them, and a status without its requisition number cannot be encoded', () => {
  for (const action of ['requisition.create', 'reverse', 'charge.post']) {
    assert.throws(() => REST_CODECS.procurement(delivery(action, status), none), EncodeError, action);
  }
  assert.throws(() => REST_CODECS.procurement(delivery('requisition.status', { ...status, requisitionNumber: '' }), none), EncodeError);
  assert.throws(() => REST_CODECS.procurement(delivery('requisition.status', { status: 'approved' }), none), EncodeError);
});
