import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BusinessException } from '../core/types.ts';
import { GAUZE_GTINS, ITEMS, KNEE_GTIN13, NORTH, OR_CORE, snapshot } from '../masterdata/fixtures.ts';
import { MASTER_SCHEMAS } from '../model/masterdata.ts';
import { DEFAULT_POLICIES } from '../model/exceptions.ts';
import {
  breachCutoff, correctableField, correctPayload, descriptionTokens, factsOf, isSameProblem, normaliseCatalog, olderThanCutoff,
  slaOf, suggestItems, summarise, workItem,
} from './workbench.ts';

const HOUR = 3_600_000;
const created = '2026-05-04T08:00:00.000Z';
const at = (hours: number) => Date.parse(created) + hours * HOUR;
const open = { status: 'open' as const, createdAt: created, resolvedAt: null };

test('an open exception is due its SLA hours after it was raised, and breached only once past that', () => {
  assert.deepEqual(slaOf(open, 8, at(3)), { slaDueAt: '2026-05-04T16:00:00.000Z', ageHours: 3, breached: false });
  assert.equal(slaOf(open, 8, at(8)).breached, false, 'due is not yet past due');
  assert.equal(slaOf(open, 8, at(8.01)).breached, true);
  assert.equal(slaOf(open, 0.5, at(0.75)).ageHours, 0.75);
});

test('a closed exception is never breached and its age stops when it was closed', () => {
  const closed = { status: 'resolved' as const, createdAt: created, resolvedAt: new Date(at(30)).toISOString() };
  assert.deepEqual(slaOf(closed, 24, at(100)), { slaDueAt: '2026-05-05T08:00:00.000Z', ageHours: 30, breached: false });
});

test('the breach cut-off agrees with slaOf: created before it means breached now', () => {
  const now = at(10);
  const cut = breachCutoff(4, now);
  for (const createdAt of [new Date(Date.parse(cut) - 1).toISOString(), cut, new Date(Date.parse(cut) + 1).toISOString()]) {
    assert.equal(slaOf({ ...open, createdAt }, 4, now).breached, createdAt < cut, createdAt);
  }
  assert.equal(olderThanCutoff(2, now), new Date(at(8)).toISOString());
});

test('a work item carries the SLA clock and the suggested fix of its category', () => {
  const x = { id: 'X1', category: 'missing_lot_serial', ...open, detail: {} } as unknown as BusinessException;
  const item = workItem(x, DEFAULT_POLICIES.missing_lot_serial, at(9));
  assert.equal(item.breached, true, 'missing lot/serial has 8 hours');
  assert.equal(item.suggestedFix, DEFAULT_POLICIES.missing_lot_serial.suggestedFix);
  assert.equal(item.id, 'X1');
});

test('grouped counts add the breached counts of every category to their group, most breached first', () => {
  const open = [
    { key: 'FAC-A', count: 5, oldestCreatedAt: '2026-05-01T00:00:00.000Z' },
    { key: 'FAC-B', count: 2, oldestCreatedAt: '2026-05-02T00:00:00.000Z' },
    { key: 'FAC-C', count: 9, oldestCreatedAt: '2026-05-03T00:00:00.000Z' },
  ];
  const breachedByCategory = [[{ key: 'FAC-B', count: 1, oldestCreatedAt: 'x' }], [{ key: 'FAC-B', count: 1, oldestCreatedAt: 'x' }, { key: 'FAC-A', count: 1, oldestCreatedAt: 'x' }]];
  assert.deepEqual(summarise(open, breachedByCategory), [
    { key: 'FAC-B', open: 2, breached: 2, oldestCreatedAt: '2026-05-02T00:00:00.000Z' },
    { key: 'FAC-A', open: 5, breached: 1, oldestCreatedAt: '2026-05-01T00:00:00.000Z' },
    { key: 'FAC-C', open: 9, breached: 0, oldestCreatedAt: '2026-05-03T00:00:00.000Z' },
  ]);
});

const items = () => snapshot().items.values();

test('an unmapped code that is a GTIN of any length or packaging level suggests its item first, with certainty', () => {
  const [first] = suggestItems(items(), { code: KNEE_GTIN13 });
  assert.deepEqual([first!.itemId, first!.matchedBy, first!.score], [ITEMS.knee, 'gtin', 1]);
  const [box] = suggestItems(items(), { code: 'GZ-BOX', gtin: GAUZE_GTINS.box });
  assert.equal(box!.itemId, ITEMS.gauze);
  assert.match(box!.why, /BX GTIN/);
});

test('a catalog number matches without case or punctuation, and inside a sender prefix', () => {
  const [exact] = suggestItems(items(), { code: 'mo tkf ps5l' });
  assert.deepEqual([exact!.itemId, exact!.matchedBy, exact!.score], [ITEMS.knee, 'catalogNumber', 0.9]);
  const [wrapped] = suggestItems(items(), { code: 'SUP-MOTKFPS5L-X' });
  assert.deepEqual([wrapped!.itemId, wrapped!.matchedBy], [ITEMS.knee, 'catalogNumber']);
  assert.ok(wrapped!.score < exact!.score);
  assert.equal(normaliseCatalog('Mo-TKF.ps5l'), 'MOTKFPS5L');
});

test('description words rank items by overlap; inactive items are never suggested; at most five', () => {
  const found = suggestItems(items(), { code: 'X-1', description: 'sterile gauze sponge 4x4' });
  assert.equal(found[0]!.itemId, ITEMS.gauze);
  assert.equal(found[0]!.matchedBy, 'description');
  assert.match(found[0]!.why, /"gauze"/);
  assert.ok(found.every((s, i) => i === 0 || s.score <= found[i - 1]!.score), 'best first');
  assert.ok(!suggestItems(items(), { description: 'surgical gown standard sterile' }).some((s) => s.itemId === ITEMS.gown));
  assert.ok(suggestItems(items(), { description: 'sterile' }, 5).length <= 5);
  assert.deepEqual(suggestItems(items(), { code: 'ZZ-999' }), [], 'nothing alike, nothing suggested');
  assert.deepEqual([...descriptionTokens('Gauze Sponge, Sterile, 4 x 4in')], ['gauze', 'sponge', 'sterile', '4', 'x', '4in']);
});

test('rare words weigh more than common ones, and the exact description ranks above a longer one', () => {
  const item = (id: string, description: string) => MASTER_SCHEMAS.items.parse({ id, description, uom: 'EA', updatedAt: created });
  const catalogue = [
    item('I-1', 'Sterile Towel'), item('I-2', 'Sterile Drape'), item('I-3', 'Sterile Glove Size 7'), item('I-4', 'Gauze Roll'),
    item('I-5', 'Gauze Sponge 4x4'), item('I-6', 'Gauze Sponge 4x4 X-Ray Detectable'), item('I-7', 'Sterile Gown'), item('I-8', 'Sterile Basin'),
  ];
  const byRarity = suggestItems(catalogue, { description: 'sterile gauze roll' });
  assert.equal(byRarity[0]!.itemId, 'I-4');
  assert.ok(byRarity.findIndex((s) => s.itemId === 'I-5') < byRarity.findIndex((s) => s.itemId === 'I-1'), '"gauze" says more than "sterile"');
  const exact = suggestItems(catalogue, { description: 'Gauze Sponge 4x4' });
  assert.deepEqual(exact.slice(0, 2).map((s) => [s.itemId, s.score]), [['I-5', 0.8], ['I-6', exact[1]!.score]]);
  assert.ok(exact[1]!.score < 0.8);
});

test('letters in a code count as words, its numbers do not', () => {
  const [s] = suggestItems(items(), { code: 'STENT-30015' });
  assert.deepEqual([s!.itemId, s!.matchedBy], [ITEMS.stent, 'description']);
});

test('facts: a duplicate serial names the first use; an item names its master data; an unknown location lists the facility\'s', () => {
  const s = snapshot();
  const dup = factsOf({ category: 'duplicate_serial_use', facility: NORTH, detail: { message: 'm', itemId: ITEMS.knee, serial: 'SN1', firstUseEventId: 'E-1', stillFailing: ['m'] } }, s);
  assert.equal(dup.firstUseEventId, 'E-1');
  assert.equal((dup.item as { description: string }).description, s.items.get(ITEMS.knee)!.description);
  assert.equal(dup.stillFailing, undefined, 'the workbench\'s own bookkeeping is not a fact');
  const loc = factsOf({ category: 'unknown_location', facility: NORTH, detail: { location: 'LOC-NOPE' } }, s);
  assert.ok((loc.locationsAtFacility as string[]).includes(OR_CORE));
  const price = factsOf({ category: 'no_contract_price', facility: NORTH, detail: { itemId: ITEMS.knee, date: '2020-01-01' } }, s);
  assert.equal((price.latestPrice as { id: string }).id, 'CP-2', 'the newest price, to extend or re-date');
});

test('a problem is the exception\'s own by category, and for an unmapped item only for the same code', () => {
  const unmapped = { category: 'unmapped_item', detail: { system: 'ehr', code: 'A', gtin: null } };
  assert.equal(isSameProblem(unmapped, { category: 'unmapped_item', detail: { system: 'ehr', code: 'A', gtin: null } }), true);
  assert.equal(isSameProblem(unmapped, { category: 'unmapped_item', detail: { system: 'ehr', code: 'B', gtin: null } }), false);
  assert.equal(isSameProblem(unmapped, { category: 'missing_lot_serial', detail: {} }), false);
  assert.equal(isSameProblem({ category: 'missing_lot_serial', detail: { missing: ['lot', 'serial'] } }, { category: 'missing_lot_serial', detail: { missing: ['serial'] } }), true);
});

const payload = () => ({
  item: { system: 'ehr', code: 'A' }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, serial: 'SN1',
  patient: { token: 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6' },
});

test('only allow-listed payload fields can be corrected; patient fields never', () => {
  assert.equal(correctableField('quantity/unit'), 'quantity/unit');
  assert.equal(correctableField('/quantity/unit'), 'quantity/unit');
  assert.equal(correctableField('quantity.unit'), 'quantity/unit');
  assert.equal(correctableField('patient/token'), null);
  assert.equal(correctableField('patient'), null);
  assert.equal(correctableField('encounter'), null);
});

test('a correction sets one field, keeps what it was, and leaves the stored payload untouched', () => {
  const before = payload();
  const c = correctPayload('supply.used', before, 'lot', ' L-77 ');
  assert.ok(c.ok);
  assert.deepEqual([c.from, c.to, c.payload.lot], [null, 'L-77', 'L-77']);
  assert.equal(before.serial, 'SN1');
  assert.equal('lot' in before, false, 'the original object is not changed');
  const unit = correctPayload('supply.used', before, 'quantity/unit', 'BX');
  assert.ok(unit.ok);
  assert.deepEqual(unit.payload.quantity, { value: 1, unit: 'BX' });
  const removed = correctPayload('supply.used', before, 'serial', null);
  assert.ok(removed.ok);
  assert.equal('serial' in removed.payload, false);
});

test('a correction the event schema refuses, or that changes nothing, is refused with why', () => {
  const bad = correctPayload('supply.used', payload(), 'expiry', '31/12/2026');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.message : '', /expiry/);
  assert.equal(correctPayload('supply.used', payload(), 'quantity/value', '2').ok, false, 'a quantity is a number');
  assert.equal(correctPayload('supply.used', payload(), 'item/code', null).ok, false, 'an item needs a code or a GTIN');
  assert.equal(correctPayload('supply.used', payload(), 'serial', 'SN1').ok, false, 'nothing to change');
  assert.equal(correctPayload('stock.counted', { item: { code: 'A' }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE }, 'lot', 'L1').ok, false, 'a count has no lot');
  assert.equal(correctPayload('no.such.type', payload(), 'lot', 'L1').ok, false);
});
