// The business exception workbench through real HTTP, against a hub on a real SQLite file and the simulated ERP:
// the queue's filters and SLA clocks, grouped counts, one exception with its masked raw message and suggestions,
// and the actions (map and release every event held for a code, correct a field, release, dismiss, release many),
// each done by an operator with a reason and found in the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICIES } from '../src/model/exceptions.ts';
import { api, drained, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];

// Lot and serial problems go to the OR nurses here, and breach their SLA in 0.72 seconds: a test waits a moment,
// not hours. Every other category keeps its default (hours).
const NURSES = 'or-nursing';
withHub((w) => ({ sims, hub, p } = w), (c) => {
  c.exceptions = { missing_lot_serial: { ownerRole: NURSES, slaHours: 0.0002 } };
});

type Problem = { category: string; message: string; detail: Record<string, unknown> };
type Item = {
  id: string; category: string; status: string; ownerRole: string; facility: string; eventId: string; createdAt: string;
  resolvedBy: string | null; resolution: string | null; detail: Record<string, unknown>;
  slaDueAt: string; ageHours: number; breached: boolean; suggestedFix: string;
};
type Held = { id: string; problems: Problem[]; raised: string[] };
type Released = { released: string[]; stillHeld: Held[]; skipped: { id: string; reason: string }[] };

const ACTOR = 'demo-operator';
const as = (role: 'viewer' | 'operator' | 'admin') => (method: string, path: string, body?: unknown) => api<any>(hub, hub.tokens[role], method, path, body);
const viewer = as('viewer');
const operator = as('operator');

async function post(events: unknown[]): Promise<string[]> {
  const res = await operator('POST', '/v1/events', events);
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return (res.body.results as { id: string }[]).map((r) => r.id);
}

/** The open exceptions of an event, as the queue lists them. */
async function openOf(eventId: string): Promise<Item[]> {
  return ((await viewer('GET', '/v1/exceptions?status=open&limit=10000')).body.data as Item[]).filter((x) => x.eventId === eventId);
}
async function onlyOpen(eventId: string): Promise<Item> {
  const open = await openOf(eventId);
  assert.equal(open.length, 1, `one open exception on ${eventId}: ${JSON.stringify(open.map((x) => x.category))}`);
  return open[0]!;
}
const list = async (query: string): Promise<Item[]> => {
  const res = await viewer('GET', `/v1/exceptions?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
};

/** A use of an item the sender names by its own code, which no cross-reference maps yet. */
function unmappedUse(key: string, code: string, over: Parameters<typeof used>[1] = {}) {
  const e = used(key, { location: p.location.id, facility: p.facility, ...over });
  e.payload.item = { system: 'ehr-optime', code } as never;
  return e;
}
const implantUse = (key: string, over: Parameters<typeof used>[1] = {}) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility, ...over });

async function auditEntry(action: string, target: string): Promise<{ actor: string; detail: Record<string, unknown> }> {
  const log = (await as('admin')('GET', '/v1/audit')).body.data as { action: string; target: string; actor: string; detail: Record<string, unknown> }[];
  const entry = log.find((a) => a.action === action && a.target === target);
  assert.ok(entry, `${action} on ${target} is in the audit log`);
  return entry;
}

/** A par location Tendon replenishes at another facility than the usual one, on an active cost center. */
function otherSite() {
  const m = sims.network.master;
  const active = new Set(m['cost-centers'].filter((c) => c.status === 'active').map((c) => c.id));
  const good = new Set(m.departments.filter((d) => active.has(d.costCenterId)).map((d) => d.id));
  return m.locations.find((l) => l.managedBy === 'tendon' && good.has(l.departmentId) && l.facilityId !== p.facility)!;
}

test('the queue filters by category, facility, owner, age and SLA breach; each item carries its SLA clock and fix', async () => {
  const [unmappedEvent, noLotEvent, lostEvent] = await post([
    unmappedUse('wb-q-1', 'WB-QUEUE-1'),
    implantUse('wb-q-2', { lot: null }),
    used('wb-q-3', { item: p.routine.id, location: 'LOC-NOWHERE', facility: 'FAC-WB-FAR' }),
  ]);
  const unmapped = await onlyOpen(unmappedEvent!);
  const noLot = await onlyOpen(noLotEvent!);
  const lost = await onlyOpen(lostEvent!);
  assert.deepEqual([unmapped.category, noLot.category, lost.category], ['unmapped_item', 'missing_lot_serial', 'unknown_location']);
  assert.equal(noLot.ownerRole, NURSES, 'the configured owner role');
  assert.equal(Date.parse(unmapped.slaDueAt) - Date.parse(unmapped.createdAt), 24 * 3_600_000);
  assert.equal(Date.parse(noLot.slaDueAt) - Date.parse(noLot.createdAt), 720, 'the configured SLA');
  assert.equal(unmapped.suggestedFix, DEFAULT_POLICIES.unmapped_item.suggestedFix);
  assert.ok(unmapped.ageHours >= 0 && unmapped.breached === false);

  const byCategory = await list('category=missing_lot_serial&status=open');
  assert.ok(byCategory.some((x) => x.id === noLot.id) && byCategory.every((x) => x.category === 'missing_lot_serial'));
  const byOwner = await list(`owner=${NURSES}`);
  assert.ok(byOwner.some((x) => x.id === noLot.id) && byOwner.every((x) => x.ownerRole === NURSES));
  assert.deepEqual((await list('facility=FAC-WB-FAR')).map((x) => x.id), [lost.id]);
  const queue = await list('status=open&limit=10000');
  assert.deepEqual(queue.map((x) => x.createdAt), queue.map((x) => x.createdAt).sort(), 'the open queue is oldest first');

  const breached = await waitFor('the missing lot to breach its SLA', async () => {
    const rows = await list('breached=true&limit=10000');
    return rows.some((x) => x.id === noLot.id) && rows;
  }, 10_000);
  assert.ok(breached.every((x) => x.breached && x.status === 'open'));
  assert.ok(!breached.some((x) => x.id === unmapped.id || x.id === lost.id), 'their SLA is hours away');
  assert.deepEqual((await list(`breached=true&owner=${NURSES}&category=missing_lot_serial&limit=10000`)).map((x) => x.id).includes(noLot.id), true);
  assert.equal((await list('breached=true&category=unmapped_item&limit=10000')).some((x) => x.id === unmapped.id), false);

  assert.ok((await list('olderThanHours=0.0001&limit=10000')).some((x) => x.id === unmapped.id), 'older than 0.36 s by now');
  assert.ok(!(await list('olderThanHours=1&limit=10000')).some((x) => [unmapped.id, noLot.id, lost.id].includes(x.id)));
  assert.equal((await list('status=open&limit=1')).length, 1, 'limit is kept');

  for (const bad of ['breached=false', 'status=resolved&breached=true', 'olderThanHours=-1', 'limit=0']) {
    const res = await viewer('GET', `/v1/exceptions?${bad}`);
    assert.equal(res.status, 400, bad);
    assert.match(res.type, /problem\+json/);
  }
});

test('grouped counts per category, facility and owner agree with the queue and count the breached', async () => {
  await drained(hub);
  await post([used('wb-s-1', { item: p.routine.id, location: 'LOC-NOWHERE', facility: 'FAC-WB-SUM' }), used('wb-s-2', { item: p.routine.id, location: 'LOC-NOWHERE', facility: 'FAC-WB-SUM' })]);
  await post([implantUse('wb-s-3', { serial: null })]);
  // Every lot/serial exception breaches within a second here: wait until they all have, so the counts hold still.
  await waitFor('every lot and serial exception to breach', async () => {
    const owner = (await viewer('GET', '/v1/exceptions/summary?by=owner')).body.data as { key: string; open: number; breached: number }[];
    const nurses = owner.find((g) => g.key === NURSES);
    return nurses !== undefined && nurses.open === nurses.breached;
  }, 10_000);

  const byCategory = await viewer('GET', '/v1/exceptions/summary');
  assert.equal(byCategory.status, 200);
  assert.equal(byCategory.body.by, 'category', 'category by default');
  for (const g of byCategory.body.data as { key: string; open: number; breached: number; oldestCreatedAt: string }[]) {
    const open = await list(`status=open&category=${g.key}&limit=10000`);
    assert.equal(g.open, open.length, `${g.key} open`);
    assert.equal(g.oldestCreatedAt, open[0]!.createdAt, `${g.key} oldest`);
    assert.equal(g.breached, (await list(`breached=true&category=${g.key}&limit=10000`)).length, `${g.key} breached`);
  }
  assert.equal(byCategory.body.total.open, (await list('status=open&limit=10000')).length);

  const byFacility = await viewer('GET', '/v1/exceptions/summary?by=facility');
  const far = (byFacility.body.data as { key: string; open: number; breached: number }[]).find((g) => g.key === 'FAC-WB-SUM');
  assert.deepEqual(far && [far.open, far.breached], [2, 0]);
  const byOwner = await viewer('GET', '/v1/exceptions/summary?by=owner');
  const nurses = (byOwner.body.data as { key: string; open: number; breached: number }[]).find((g) => g.key === NURSES)!;
  assert.ok(nurses.breached >= 1 && nurses.breached === nurses.open);
  assert.equal((await viewer('GET', '/v1/exceptions/summary?by=facility&category=unknown_location')).body.data.find((g: { key: string }) => g.key === 'FAC-WB-SUM').open, 2, 'filters narrow a summary');
  assert.equal((await viewer('GET', '/v1/exceptions/summary?by=colour')).status, 400);
});

test('one exception shows its held event, its raw message masked as /v1/messages shows it, and likely items', async () => {
  const gtin13 = p.implant.gtin!.padStart(14, '0').slice(1);
  const [eventId] = await post([unmappedUse('wb-d-1', gtin13, { mrn: 'MRN00055501' })]);
  const x = await onlyOpen(eventId!);
  const res = await viewer('GET', `/v1/exceptions/${x.id}`);
  assert.equal(res.status, 200);
  const d = res.body;
  assert.equal(d.event.id, eventId);
  assert.equal(d.event.status, 'held');
  assert.deepEqual(d.policy, DEFAULT_POLICIES.unmapped_item);
  assert.equal(d.slaDueAt, new Date(Date.parse(x.createdAt) + 24 * 3_600_000).toISOString());
  assert.equal(d.breached, false);
  assert.ok(!d.message.raw.includes('MRN00055501'), 'the MRN is masked');
  assert.match(d.message.raw, /\*\*\*/);
  const asMessagesShowIt = await viewer('GET', `/v1/messages/${d.event.messageId}`);
  assert.equal(d.message.raw, asMessagesShowIt.body.raw);
  const first = d.suggestions.items[0];
  assert.deepEqual([first.itemId, first.matchedBy, first.score, first.description], [p.implant.id, 'gtin', 1, p.implant.description]);
  assert.match(first.why, /GTIN/);
  assert.ok(d.suggestions.items.length <= 5);
  assert.equal(d.suggestions.fix, DEFAULT_POLICIES.unmapped_item.suggestedFix);

  // A catalog number typed differently, and a description the person searching types.
  const catalog = p.routine.catalogNumber!.toLowerCase().replace(/-/g, ' ');
  const [byCatalog] = await post([unmappedUse('wb-d-2', catalog)]);
  const y = await onlyOpen(byCatalog!);
  const cat = (await viewer('GET', `/v1/exceptions/${y.id}`)).body.suggestions.items;
  assert.deepEqual([cat[0].itemId, cat[0].matchedBy], [p.routine.id, 'catalogNumber']);
  const typed = (await viewer('GET', `/v1/exceptions/${y.id}?q=${encodeURIComponent(p.otherImplant.description)}`)).body.suggestions.items as { itemId: string; matchedBy: string; score: number }[];
  assert.ok(typed.some((s) => s.itemId === p.otherImplant.id && s.matchedBy === 'description' && s.score === 0.8), JSON.stringify(typed));

  assert.equal((await viewer('GET', '/v1/exceptions/NO-SUCH-ID')).status, 404);
});

test('a serial used twice is held with the first use named; other categories get the fix and the facts', async () => {
  const [firstUse] = await post([implantUse('wb-dup-1', { serial: 'SN-WB-DUP' })]);
  const [secondUse] = await post([implantUse('wb-dup-2', { serial: 'SN-WB-DUP' })]);
  const x = await onlyOpen(secondUse!);
  assert.equal(x.category, 'duplicate_serial_use');
  const d = (await viewer('GET', `/v1/exceptions/${x.id}`)).body;
  assert.equal(d.suggestions.facts.firstUseEventId, firstUse);
  assert.equal(d.suggestions.facts.serial, 'SN-WB-DUP');
  assert.equal(d.suggestions.facts.item.id, p.implant.id);
  assert.equal(d.suggestions.fix, DEFAULT_POLICIES.duplicate_serial_use.suggestedFix);
  assert.equal(d.suggestions.items, undefined, 'item suggestions are for unmapped items');
});

test('mapping the code releases every event held for it at once; one still wrong is shown held for its new reason', async () => {
  const code = 'WB-XREF-1';
  const good = await post([1, 2, 3].map((n) => unmappedUse(`wb-x-${n}`, code)));
  const [noLot] = await post([unmappedUse('wb-x-4', code, { lot: null })]);
  const held = await Promise.all([...good, noLot!].map(onlyOpen));
  const [first] = held;

  assert.equal((await viewer('POST', `/v1/exceptions/${first!.id}/xref`, { itemId: p.implant.id, reason: 'r' })).status, 403, 'a viewer cannot act');
  const noReason = await operator('POST', `/v1/exceptions/${first!.id}/xref`, { itemId: p.implant.id });
  assert.equal(noReason.status, 400);
  assert.deepEqual(noReason.body.errors.map((e: { path: string }) => e.path), ['/reason']);
  assert.equal((await operator('POST', `/v1/exceptions/${first!.id}/xref`, { itemId: 'ITM-NOPE', reason: 'r' })).status, 400);
  assert.equal((await operator('POST', '/v1/exceptions/NO-SUCH-ID/xref', { itemId: p.implant.id, reason: 'r' })).status, 404);

  const reason = 'OpTime code per the vendor catalogue';
  const res = await operator('POST', `/v1/exceptions/${first!.id}/xref`, { itemId: p.implant.id, reason });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.xref, { system: 'ehr-optime', code, itemId: p.implant.id, reason });
  assert.deepEqual([...res.body.released].sort(), held.slice(0, 3).map((x) => x.id).sort(), 'all three released by one call');
  const [stillHeld] = res.body.stillHeld as Held[];
  assert.equal(res.body.stillHeld.length, 1);
  assert.equal(stillHeld!.id, held[3]!.id);
  assert.deepEqual(stillHeld!.problems.map((pr) => pr.category), ['missing_lot_serial'], 'held again for its missing lot');

  await drained(hub);
  for (const eventId of good) {
    const e = await viewer('GET', `/v1/events/${eventId}`);
    assert.equal(e.body.status, 'accepted');
    const delivered = (e.body.deliveries as { destination: string; status: string }[]).filter((dl) => dl.status === 'delivered').map((dl) => dl.destination);
    for (const dest of ['erp', 'inventory', 'billing']) assert.ok(delivered.includes(dest), `${eventId} delivered to ${dest}`);
  }
  const resolved = (await list('status=resolved&category=unmapped_item&limit=10000')).filter((x) => held.some((h) => h.id === x.id));
  assert.equal(resolved.length, 4, 'the fourth one\'s own problem was fixed too');
  for (const x of resolved) {
    assert.equal(x.resolvedBy, ACTOR);
    assert.match(x.resolution!, new RegExp(reason));
    assert.deepEqual([(x.detail.xref as { reason: string }).reason, (x.detail.xref as { actor: string }).actor], [reason, ACTOR]);
  }
  const now = await onlyOpen(noLot!);
  assert.deepEqual([now.category, now.ownerRole, now.id], ['missing_lot_serial', NURSES, stillHeld!.raised[0]], 'raised for the nurses, not hidden');

  const history = (await viewer('GET', `/v1/xrefs/ehr-optime/${code}/history`)).body.data;
  assert.deepEqual([history[0].newItemId, history[0].reason, history[0].actor], [p.implant.id, reason, ACTOR]);
  const audit = await auditEntry('exception.xref', first!.id);
  assert.deepEqual([audit.actor, audit.detail.reason, audit.detail.itemId], [ACTOR, reason, p.implant.id]);
  assert.equal((await auditEntry('exception.release', held[1]!.id)).detail.reason, reason);

  assert.equal((await operator('POST', `/v1/exceptions/${now.id}/xref`, { itemId: p.implant.id, reason: 'r' })).status, 409, 'a cross-reference does not fix a lot');
  assert.equal((await operator('POST', `/v1/exceptions/${first!.id}/xref`, { itemId: p.implant.id, reason: 'r' })).status, 409, 'already resolved');
});

test('a release that is still wrong keeps the exception open with what still fails; a correction with a reason releases it', async () => {
  const [eventId] = await post([implantUse('wb-c-1', { lot: null })]);
  const x = await onlyOpen(eventId!);
  const again = await operator('POST', `/v1/exceptions/${x.id}/release`, { reason: 'the nurse says it is in now' });
  assert.equal(again.status, 409);
  assert.equal(again.body.released, false);
  assert.match(again.body.stillFailing[0], /without lot/);
  const stillOpen = await onlyOpen(eventId!);
  assert.equal(stillOpen.id, x.id, 'the same exception, still open');
  assert.match((stillOpen.detail.stillFailing as string[])[0]!, /without lot/);
  assert.equal(stillOpen.detail.lastReleaseBy, ACTOR);
  assert.equal((await auditEntry('exception.release', x.id)).detail.reason, 'the nurse says it is in now');

  for (const [body, why] of [
    [{ field: 'patient/identifier', value: 'MRN1', reason: 'r' }, 'patient fields are never corrected'],
    [{ field: 'lot', value: 'L-9' }, 'a reason is required'],
    [{ field: 'expiry', value: 'tomorrow', reason: 'r' }, 'the schema refuses it'],
  ] as const) {
    const res = await operator('POST', `/v1/exceptions/${x.id}/correct`, body);
    assert.equal(res.status, 400, why);
    assert.match(res.type, /problem\+json/);
  }
  assert.equal((await viewer('POST', `/v1/exceptions/${x.id}/correct`, { field: 'lot', value: 'L-9', reason: 'r' })).status, 403);

  const reason = 'lot from the implant sticker on the case sheet';
  const fixed = await operator('POST', `/v1/exceptions/${x.id}/correct`, { field: 'lot', value: 'LOT-WB-9', reason });
  assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
  assert.equal(fixed.body.released, true);
  assert.deepEqual([fixed.body.correction.from, fixed.body.correction.to], [null, 'LOT-WB-9']);
  const after = (await list('status=resolved&category=missing_lot_serial&limit=10000')).find((r) => r.id === x.id)!;
  assert.deepEqual([after.resolvedBy, after.resolution], [ACTOR, reason]);
  const [correction] = after.detail.corrections as { field: string; from: unknown; to: unknown; reason: string; actor: string; at: string }[];
  assert.deepEqual([correction!.field, correction!.from, correction!.to, correction!.reason, correction!.actor], ['lot', null, 'LOT-WB-9', reason, ACTOR]);
  await drained(hub);
  const event = (await viewer('GET', `/v1/events/${eventId}`)).body;
  assert.equal(event.payload.lot, 'LOT-WB-9');
  assert.ok(event.deliveries.some((dl: { destination: string; status: string }) => dl.destination === 'erp' && dl.status === 'delivered'));
  const audit = await auditEntry('exception.correct', x.id);
  assert.deepEqual([audit.actor, audit.detail.reason, audit.detail.field, audit.detail.to], [ACTOR, reason, 'lot', 'LOT-WB-9']);

  assert.equal((await operator('POST', `/v1/exceptions/${x.id}/correct`, { field: 'lot', value: 'L-10', reason: 'r' })).status, 409, 'no longer open');
  assert.equal((await operator('POST', '/v1/exceptions/NO-SUCH-ID/correct', { field: 'lot', value: 'L-10', reason: 'r' })).status, 404);
});

test('a correction that does not fix everything leaves the exception open, with the correction kept and what still fails', async () => {
  const [eventId] = await post([implantUse('wb-c-2', { lot: null, serial: null })]);
  const x = await onlyOpen(eventId!);
  const res = await operator('POST', `/v1/exceptions/${x.id}/correct`, { field: 'lot', value: 'LOT-WB-10', reason: 'lot found; serial still missing' });
  assert.equal(res.status, 200);
  assert.equal(res.body.released, false);
  assert.match(res.body.stillFailing[0], /without serial/);
  const open = await onlyOpen(eventId!);
  assert.equal(open.id, x.id);
  assert.equal((open.detail.corrections as unknown[]).length, 1);
  assert.equal((await viewer('GET', `/v1/events/${eventId}`)).body.status, 'held');
});

test('dismissing needs a reason, which is kept as the resolution and in the audit log', async () => {
  const [eventId] = await post([implantUse('wb-dis-1', { lot: null })]);
  const x = await onlyOpen(eventId!);
  for (const body of [undefined, {}, { reason: '   ' }]) assert.equal((await operator('POST', `/v1/exceptions/${x.id}/dismiss`, body)).status, 400);
  assert.equal((await viewer('POST', `/v1/exceptions/${x.id}/dismiss`, { reason: 'r' })).status, 403);
  const reason = 'charted in error; the implant was not used';
  assert.equal((await operator('POST', `/v1/exceptions/${x.id}/dismiss`, { reason })).status, 200);
  const dismissed = (await list('status=dismissed&limit=10000')).find((r) => r.id === x.id)!;
  assert.deepEqual([dismissed.resolvedBy, dismissed.resolution], [ACTOR, reason]);
  assert.equal((await viewer('GET', `/v1/events/${eventId}`)).body.status, 'dismissed');
  const audit = await auditEntry('exception.dismiss', x.id);
  assert.deepEqual([audit.actor, audit.detail.reason], [ACTOR, reason]);
  assert.equal((await operator('POST', `/v1/exceptions/${x.id}/dismiss`, { reason })).status, 409, 'already dismissed');
});

test('bulk release by ids and by filter answers what was released, what is still held and what was skipped', async () => {
  const site = otherSite();
  const [a, b] = await post([1, 2].map((n) => unmappedUse(`wb-b-${n}`, 'WB-BULK-1', { location: site.id, facility: site.facilityId })));
  const [c] = await post([unmappedUse('wb-b-3', 'WB-BULK-1', { location: site.id, facility: site.facilityId, lot: null })]);
  const [xa, xb, xc] = await Promise.all([a!, b!, c!].map(onlyOpen));
  // The mapping is made on its own here (POST /v1/xrefs), so nothing is released until someone asks.
  assert.equal((await operator('POST', '/v1/xrefs', { system: 'ehr-optime', code: 'WB-BULK-1', itemId: p.implant.id, reason: 'bulk test' })).status, 201);

  assert.equal((await viewer('POST', '/v1/exceptions/release', { ids: [xa!.id] })).status, 403);
  for (const bad of [undefined, {}, { ids: [] }, { filter: {} }, { ids: [xa!.id], filter: { facility: site.facilityId } }]) {
    assert.equal((await operator('POST', '/v1/exceptions/release', bad)).status, 400, JSON.stringify(bad));
  }
  const byIds = await operator('POST', '/v1/exceptions/release', { ids: [xa!.id, 'NO-SUCH-ID'], reason: 'mapped by item master' });
  assert.equal(byIds.status, 200);
  const r1 = byIds.body as Released;
  assert.deepEqual(r1.released, [xa!.id]);
  assert.deepEqual(r1.skipped.map((s) => s.id), ['NO-SUCH-ID']);
  assert.equal((await auditEntry('exception.release', xa!.id)).detail.reason, 'mapped by item master');

  const byFilter = await operator('POST', '/v1/exceptions/release', { filter: { facility: site.facilityId, category: 'unmapped_item' } });
  const r2 = byFilter.body as Released & { more: boolean };
  assert.equal(byFilter.status, 200);
  assert.ok(r2.released.includes(xb!.id));
  const held = r2.stillHeld.find((h) => h.id === xc!.id);
  assert.deepEqual(held?.problems.map((pr) => pr.category), ['missing_lot_serial']);
  assert.equal(r2.more, false);
  assert.ok(!r2.released.concat(r2.stillHeld.map((h) => h.id)).includes(xa!.id), 'only open exceptions are chosen');
});
