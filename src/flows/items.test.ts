import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowEvent, ITEMS, snapshot } from './fixtures.ts';
import { FLOWS } from './index.ts';

const s = snapshot();
const item = { id: 'ITM-NEW-1', description: 'Suture, Absorbable, 3-0', uom: 'EA', gtin: null, implant: false, chargeable: false, status: 'active' };
const fromErp = (payload: Record<string, unknown>) => FLOWS['item.upserted'](flowEvent('item.upserted', payload, { sourceSystem: 'erp' }), s);

test('an item from an item master feed is offered to master data as a valid item record, and sent nowhere', () => {
  const p = FLOWS['item.upserted'](flowEvent('item.upserted', item, { sourceSystem: 'mfn-itemmaster' }), s);
  assert.equal(p.master?.entity, 'items');
  assert.equal(p.master?.record.id, 'ITM-NEW-1');
  assert.equal((p.master?.record.data as { lotControlled: boolean }).lotControlled, false, 'defaults applied, as a pull would');
  assert.deepEqual(p.deliveries, []);
});

test('a record that does not make an item is recorded but offers nothing', () => {
  const p = FLOWS['item.upserted'](flowEvent('item.upserted', { id: ITEMS.knee }), s);
  assert.equal(p.master, undefined);
  assert.deepEqual(p.problems, []);
});

test('an item change announced by the ERP goes to the EHR and cabinets (MFN^M16) and to inventory (JSON), in its own partition', () => {
  const p = fromErp(item);
  assert.equal(p.master, undefined, 'the ERP pull already stored it');
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['clinical', 'item.master'], ['inventory', 'item.upsert']]);
  assert.ok(p.deliveries.every((d) => d.partitionKey === p.partitionKey && (d.body.item as { id: string }).id === 'ITM-NEW-1'));
});

test("a chargeable item's chargemaster line goes to billing with it, priced by its markup when it has no fixed price", () => {
  const mesh = s.items.get(ITEMS.mesh)!;
  const p = fromErp({ ...mesh });
  const billing = p.deliveries.find((d) => d.role === 'billing');
  assert.equal(billing?.action, 'chargemaster.update');
  assert.deepEqual(billing?.body.charge, {
    itemId: ITEMS.mesh, chargeCode: 'CDM-2780520', revenueCode: '0278', hcpcs: null, description: mesh.description, status: 'active', price: '124.00',
  });
  assert.equal(fromErp({ ...s.items.get(ITEMS.foley)! }).deliveries.some((d) => d.role === 'billing'), false, 'no active line, nothing for billing');
});

test('a par location or supplier announced by the ERP goes to the inventory system as JSON; cost centers go nowhere but analytics', () => {
  const location = { id: 'LOC-N-OR-CORE', facilityId: 'FAC-NORTH', departmentId: 'DEP-N-OR', name: 'Main OR Sterile Core', managedBy: 'tendon' };
  const p = FLOWS['location.upserted'](flowEvent('location.upserted', location, { sourceSystem: 'erp' }), s);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action, d.body.location]), [['inventory', 'location.upsert', location]]);
  const supplier = FLOWS['supplier.upserted'](flowEvent('supplier.upserted', { id: 'SUP-0042', name: 'Meridian', status: 'active' }, { sourceSystem: 'erp' }), s);
  assert.deepEqual(supplier.deliveries.map((d) => d.action), ['supplier.upsert']);
  assert.deepEqual(FLOWS['costcenter.upserted'](flowEvent('costcenter.upserted', { id: 'CC-1', name: 'x', status: 'active' }, { sourceSystem: 'erp' }), s).deliveries, []);
});
