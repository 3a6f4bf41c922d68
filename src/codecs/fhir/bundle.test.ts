// Bundles: a batch takes each entry on its own and reports the refused ones; a transaction is all or nothing. And
// the answers: a batch-response / transaction-response with 201 Created or 200 OK per entry, valid R4 themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bundleResponse, decodeFhir, MAX_ENTRIES, successOutcome, validateR4, type EntryResult, type FhirDecodeResult } from './index.ts';
import { edited, refused, type Json } from './testing.ts';

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const BATCH = fixture('bundle_batch_cabinet-restock_one-valid-three-refused.json');
const TRANSACTION = fixture('bundle_transaction_implant-use-and-charge.json');
const options = { sourceSystem: 'cabinet' };
const edit = edited;

test('a batch: the good entry becomes an event; each refused entry is reported with its own status and outcome', () => {
  const r = decodeFhir(BATCH, options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.bundleType, 'batch');
  assert.deepEqual(r.events.map((e) => [e.type, e.idempotencyKey, e.payload.priority, e.payload.item]), [
    ['requisition.created', 'SupplyRequest/https://fhir.northside.example.org/sid/cabinet-order|CAB1-20260513-0007', 'routine', { gtin: '10885556300517' }],
  ]);
  assert.deepEqual(r.entries, [{ index: 0, fullUrl: 'urn:uuid:9a3b1c52-7d0e-4e1f-8c26-4b5a6d7e8f90', resourceType: 'SupplyRequest' }]);
  assert.deepEqual(r.failures.map((f) => [f.index, f.resourceType, f.status, f.outcome.issue.map((i) => [i.code, i.expression?.[0]])]), [
    [1, 'SupplyRequest', 422, [['required', 'Bundle.entry[1].resource.identifier']]],
    [2, 'SupplyDelivery', 400, [['structure', 'Bundle.entry[2].resource.suppliedItem.quantity.value']]],
    [3, 'Patient', 422, [['not-supported', 'Bundle.entry[3].resource']]],
  ]);
});

test('the same entries as a transaction: nothing is taken, and the outcome lists every refused entry (400: one is not R4)', () => {
  const r = refused(decodeFhir(edit(BATCH, (b) => (b.type = 'transaction')), options));
  assert.deepEqual(r, {
    status: 400,
    issues: [
      ['required', 'Bundle.entry[1].resource.identifier'],
      ['structure', 'Bundle.entry[2].resource.suppliedItem.quantity.value'],
      ['not-supported', 'Bundle.entry[3].resource'],
    ],
  });
  const mappingOnly = edit(BATCH, (b) => {
    b.type = 'transaction';
    b.entry = [b.entry[0], b.entry[1]];
  });
  assert.deepEqual(refused(decodeFhir(mappingOnly, options)), { status: 422, issues: [['required', 'Bundle.entry[1].resource.identifier']] });
});

test('a good transaction: the implant use and its charge, one event per entry, in order, with their fullUrls', () => {
  const r = decodeFhir(TRANSACTION, options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events.map((e) => [e.type, e.payload.lot ?? e.payload.hcpcs]), [['supply.used', 'LOT-9920B'], ['charge.posted', 'C1776']]);
  assert.deepEqual(r.entries.map((e) => [e.index, e.resourceType, e.fullUrl?.slice(0, 13)]), [[0, 'SupplyDelivery', 'urn:uuid:6f1c'], [1, 'ChargeItem', 'urn:uuid:0b9e']]);
  assert.deepEqual(r.failures, []);
});

test('entries Tendon does not take: an update, a request.url naming another type, an entry without a resource', () => {
  const r = decodeFhir(edit(TRANSACTION, (b) => {
    b.type = 'batch';
    b.entry[0].request = { method: 'PUT', url: 'SupplyDelivery/abc' };
    b.entry[1].request.url = 'SupplyDelivery';
    b.entry.push({ request: { method: 'GET', url: 'ChargeItem/1' } });
  }), options);
  assert.ok(r.ok);
  assert.deepEqual(r.failures.map((f) => [f.index, f.status, f.outcome.issue[0]!.code, f.outcome.issue[0]!.expression?.[0]]), [
    [0, 422, 'not-supported', 'Bundle.entry[0].request.method'],
    [1, 422, 'value', 'Bundle.entry[1].request.url'],
    [2, 422, 'not-supported', 'Bundle.entry[2]'],
  ]);
});

test('the Bundle itself: a collection is 422, a batch entry without request is 400 (bdl-3), too many entries 422, empty is fine', () => {
  assert.deepEqual(refused(decodeFhir(edit(BATCH, (b) => { b.type = 'collection'; for (const e of b.entry) delete e.request; }), options)),
    { status: 422, issues: [['not-supported', 'Bundle.type']] });
  assert.deepEqual(refused(decodeFhir(edit(BATCH, (b) => delete b.entry[0].request), options)).status, 400);
  const many = edit(BATCH, (b) => (b.entry = Array.from({ length: MAX_ENTRIES + 1 }, () => b.entry[0])));
  assert.deepEqual(refused(decodeFhir(many, options)), { status: 422, issues: [['too-costly', 'Bundle.entry']] });
  const empty = decodeFhir({ resourceType: 'Bundle', type: 'batch' }, options);
  assert.deepEqual(empty, { ok: true, events: [], entries: [], bundleType: 'batch', failures: [] });
});

// How fast is the benchmark's business, not a unit test's (a timed assertion only measures how busy the machine is).
test('a transaction of 1,000 entries (the most taken) decodes whole: every entry an event', () => {
  const big = edit(TRANSACTION, (b) => {
    b.entry = Array.from({ length: MAX_ENTRIES }, (_, i) => edit(b.entry[i % 2], (e) => {
      e.fullUrl = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      e.resource.identifier[0].value += `-${i}`;
    }));
  });
  const r = decodeFhir(big, options);
  assert.ok(r.ok && r.events.length === MAX_ENTRIES);
});

test('the batch-response: in request order, 201 / 200 with the event location, refusals with their outcome; valid R4', () => {
  const r = decodeFhir(BATCH, options);
  assert.ok(r.ok);
  const results: EntryResult[] = [
    ...r.failures.map((f) => ({ index: f.index, status: f.status, outcome: f.outcome })),
    ...r.entries.map((e) => ({ index: e.index, status: 'created' as const, location: `events/evt_${e.index}` })),
  ];
  const response = bundleResponse('batch', results);
  assert.equal(response.type, 'batch-response');
  assert.deepEqual(response.entry?.map((e) => [e.response?.status, e.response?.location ?? null, e.response?.outcome?.resourceType ?? null]), [
    ['201 Created', 'events/evt_0', null],
    ['422 Unprocessable Entity', null, 'OperationOutcome'],
    ['400 Bad Request', null, 'OperationOutcome'],
    ['422 Unprocessable Entity', null, 'OperationOutcome'],
  ]);
  assert.deepEqual(validateR4(response), []);
});

test('the transaction-response: 201 for new events, 200 OK for re-sent ones; a failure cannot be put in one', () => {
  const response = bundleResponse('transaction', [
    { index: 1, status: 'duplicate', location: 'events/evt_b' },
    { index: 0, status: 'created', location: 'events/evt_a' },
  ]);
  assert.deepEqual(response.entry?.map((e) => e.response), [
    { status: '201 Created', location: 'events/evt_a' },
    { status: '200 OK', location: 'events/evt_b' },
  ]);
  assert.deepEqual(validateR4(response), []);
  assert.throws(() => bundleResponse('transaction', [{ index: 0, status: 422, outcome: { resourceType: 'OperationOutcome', issue: [] } }]));
});

test('a single resource\'s answer is an informational OperationOutcome; a re-send says it was a duplicate', () => {
  const created = successOutcome({ duplicate: false, location: 'events/evt_1' });
  const again = successOutcome({ duplicate: true, location: 'events/evt_1' });
  assert.deepEqual([created.issue[0]!.severity, created.issue[0]!.code, again.issue[0]!.code], ['information', 'informational', 'duplicate']);
  assert.match(again.issue[0]!.diagnostics!, /events\/evt_1.*nothing new/);
  assert.deepEqual([...validateR4(created), ...validateR4(again)], []);
});
