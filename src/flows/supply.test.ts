import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import {
  CATH_CABINET, CHARGES, CODES, COST_CENTERS, ENDO_ROOM, flowEvent, ITEMS, KNEE_PRICE_FROM_APRIL, NORTH, OR_CORE, PATIENT_TOKEN, snapshot,
} from './fixtures.ts';
import { FLOWS, type Plan, type PlannedDelivery } from './index.ts';

const s = snapshot();
const ACCOUNT = 'ACCT-778812';
const KNEE_STOCK = `${NORTH}|${OR_CORE}|${ITEMS.knee}`;

/** A knee implant used in surgery: traceable, on a patient account, with the surgeon. */
const kneeUse = (over: Record<string, unknown> = {}) => ({
  item: { code: CODES.knee }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, lot: 'L240917A', serial: 'SN-0048213',
  expiry: '2029-09-30', patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT, caseId: 'CASE-20260512-0007',
  surgeon: { id: 'NPI-1487654321', name: 'Dana Okafor' }, ...over,
});
const used = (payload: Record<string, unknown>, occurredAt?: string) =>
  FLOWS['supply.used'](flowEvent('supply.used', payload, occurredAt ? { occurredAt } : {}), s);
const returned = (payload: Record<string, unknown>) => FLOWS['supply.returned'](flowEvent('supply.returned', payload), s);
const to = (p: Plan, role: PlannedDelivery['role']): PlannedDelivery => {
  const found = p.deliveries.filter((d) => d.role === role);
  assert.equal(found.length, 1, `one delivery to ${role}`);
  return found[0]!;
};

test('an implant use goes in the critical lane to the ERP, inventory and billing', () => {
  const p = used(kneeUse());
  assert.deepEqual(p.problems, []);
  assert.equal(p.priority, PRIORITIES.critical);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]),
    [['erp', 'inventory.issue'], ['inventory', 'stock.decrement'], ['billing', 'charge.post']]);
});

test("the ERP issue is valued at the contract price on the day of use and charged to the department's cost center", () => {
  const erp = to(used(kneeUse()), 'erp');
  assert.deepEqual(erp.body, {
    itemId: ITEMS.knee, quantity: 1, uom: 'EA', locationId: OR_CORE, occurredAt: '2026-05-12T09:41:00-05:00',
    lot: 'L240917A', serial: 'SN-0048213', expiry: '2029-09-30',
    costCenterId: COST_CENTERS.northOr, unitCost: KNEE_PRICE_FROM_APRIL, currency: 'USD',
  });
});

test('the ERP and the inventory system never receive the patient', () => {
  const p = used(kneeUse());
  for (const role of ['erp', 'inventory'] as const) {
    const body = JSON.stringify(to(p, role).body);
    assert.ok(!body.includes(PATIENT_TOKEN) && !body.includes('patient') && !body.includes(ACCOUNT), `${role}: ${body}`);
  }
});

test('the charge carries the patient token, revenue code 0278, the C-code and the chargemaster price', () => {
  const billing = to(used(kneeUse()), 'billing');
  assert.deepEqual(billing.body.patient, { token: PATIENT_TOKEN });
  assert.ok(!JSON.stringify(billing.body).includes('identifier'));
  assert.equal(billing.body.account, ACCOUNT);
  assert.equal(billing.body.chargeCode, CHARGES.knee.chargeCode);
  assert.equal(billing.body.revenueCode, '0278');
  assert.equal(billing.body.hcpcs, 'C1776');
  assert.equal(billing.body.unitPrice, CHARGES.knee.price, 'the patient is charged the chargemaster price, not the cost');
  assert.equal(billing.body.quantity, 1);
  assert.equal(billing.body.performer, 'NPI-1487654321');
  assert.equal(billing.body.serial, 'SN-0048213', 'implant traceability reaches the claim');
  assert.equal(billing.body.facilityId, NORTH);
});

test('the charge is dated by the local day of surgery, even late in the evening', () => {
  assert.equal(to(used(kneeUse(), '2026-05-12T23:20:00-05:00'), 'billing').body.serviceDate, '2026-05-12');
});

test('stock moves stay in order per facility, location and item; charges per patient account', () => {
  const p = used(kneeUse());
  assert.equal(p.partitionKey, KNEE_STOCK);
  assert.equal(to(p, 'erp').partitionKey, KNEE_STOCK);
  assert.equal(to(p, 'inventory').partitionKey, KNEE_STOCK);
  assert.equal(to(p, 'billing').partitionKey, `${NORTH}|acct|${ACCOUNT}`);
});

test("a use takes the quantity off the location's stock and asks for a replenishment check", () => {
  const p = used(kneeUse({ quantity: { value: 2, unit: 'EA' } }));
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.knee, delta: -2 });
  assert.equal(p.replenish?.id, 'PAR-1');
});

test('a routine supply that is not chargeable goes to the ERP and inventory only, in the normal lane', () => {
  const p = used({ item: { code: CODES.gauze }, quantity: { value: 10, unit: 'EA' }, location: OR_CORE, patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT });
  assert.equal(p.priority, PRIORITIES.normal);
  assert.deepEqual(p.deliveries.map((d) => d.action), ['inventory.issue', 'stock.decrement']);
  assert.equal(to(p, 'erp').body.unitCost, '0.62');
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.gauze, delta: -10 });
});

test('a chargeable supply is not charged without a patient account or a patient', () => {
  const cement = { item: { code: CODES.cement }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, lot: 'BC2406' };
  assert.deepEqual(used({ ...cement, patient: { token: PATIENT_TOKEN } }).deliveries.map((d) => d.role), ['erp', 'inventory']);
  assert.deepEqual(used({ ...cement, encounter: ACCOUNT }).deliveries.map((d) => d.role), ['erp', 'inventory']);
  const charged = used({ ...cement, patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT });
  assert.equal(to(charged, 'billing').body.revenueCode, '0272');
  assert.equal(to(charged, 'billing').body.hcpcs, null, 'a sterile supply has no C-code');
  assert.equal(charged.priority, PRIORITIES.normal, 'a chargeable supply is not an implant');
});

test('a chargeable item used on a patient account without an active chargemaster line is held as charge_without_cdm', () => {
  const p = used({ item: { code: CODES.foley }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT });
  assert.deepEqual(p.problems.map((x) => [x.category, x.detail]), [['charge_without_cdm', { itemId: ITEMS.foley }]]);
  assert.deepEqual(p.deliveries, [], 'nothing goes anywhere until revenue cycle adds the line: no silent lost charge');
  const noAccount = used({ item: { code: CODES.foley }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE });
  assert.deepEqual(noAccount.deliveries.map((d) => d.role), ['erp', 'inventory'], 'without a patient account there is no charge to lose');
});

test('a use counted in boxes reaches the ERP, inventory and stock in eaches', () => {
  const p = used({ item: { code: CODES.gauze }, quantity: { value: 2, unit: 'BX' }, location: OR_CORE });
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.body.quantity, d.body.uom]), [['erp', 20, 'EA'], ['inventory', 20, 'EA']]);
  assert.equal(p.stock?.delta, -20);
});

test('a use in a unit the item has no packaging for is held as uom_unconvertible', () => {
  const p = used({ item: { code: CODES.gauze }, quantity: { value: 1, unit: 'PK' }, location: OR_CORE });
  assert.deepEqual(p.problems.map((x) => [x.category, x.detail]),
    [['uom_unconvertible', { itemId: ITEMS.gauze, unit: 'PK', baseUnit: 'EA', known: ['BX', 'CS'] }]]);
});

test('an implant used after its expiry date is held as expired_item_used; a return of it is not', () => {
  const expired = kneeUse({ expiry: '2026-05-11' });
  const p = used(expired);
  assert.deepEqual(p.problems.map((x) => x.category), ['expired_item_used']);
  assert.equal(p.problems[0]!.detail.usedOn, '2026-05-12');
  assert.deepEqual(used(kneeUse({ expiry: '2026-05-12' })).problems, [], 'usable through its expiry day');
  assert.deepEqual(returned(expired).problems, []);
});

test('a serialised implant claims its serial; its return frees it', () => {
  assert.deepEqual(used(kneeUse()).serial, { itemId: ITEMS.knee, serial: kneeUse().serial, release: false });
  assert.deepEqual(returned(kneeUse()).serial, { itemId: ITEMS.knee, serial: kneeUse().serial, release: true });
});

test('a use at a location whose cost center is closed is held as invalid_cost_center', () => {
  const p = used({ item: { code: CODES.gauze }, quantity: { value: 1, unit: 'EA' }, location: ENDO_ROOM });
  assert.deepEqual(p.problems.map((x) => [x.category, x.detail]),
    [['invalid_cost_center', { location: ENDO_ROOM, departmentId: 'DEP-N-ENDO', costCenterId: COST_CENTERS.closedEndo }]]);
});

test('a markup chargemaster line prices the charge from the contract cost: rounded up, at least its minimum', () => {
  const p = used({ item: { system: 'erp', code: ITEMS.mesh }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT });
  assert.deepEqual(p.problems, []);
  // 41.30 × (1 + 200%) = 123.90 → rounded up to a whole dollar.
  assert.equal(p.deliveries.find((d) => d.role === 'billing')?.body.unitPrice, '124.00');
});

test('a return reverses each effect: inventory.return, stock.increment, charge.credit', () => {
  const p = returned(kneeUse({ reason: 'wrong size opened, returned unused' }));
  assert.deepEqual(p.problems, []);
  assert.equal(p.priority, PRIORITIES.critical);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]),
    [['erp', 'inventory.return'], ['inventory', 'stock.increment'], ['billing', 'charge.credit']]);
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.knee, delta: 1 }, 'stock goes back up');
  assert.equal(p.replenish, undefined, 'a return never triggers a reorder');
  const credit = to(p, 'billing');
  assert.equal(credit.body.reason, 'wrong size opened, returned unused');
  assert.deepEqual(credit.body.patient, { token: PATIENT_TOKEN });
  assert.equal(credit.partitionKey, `${NORTH}|acct|${ACCOUNT}`, 'in order with the charge it credits');
  assert.equal(credit.body.unitPrice, undefined, 'a credit carries no price of its own');
});

test('a return without a reason still says why it was credited', () => {
  assert.equal(to(returned(kneeUse()), 'billing').body.reason, 'supply returned');
});

test('a use at a cabinet-managed location is delivered but never reordered by Tendon', () => {
  const p = used({
    item: { system: 'cabinet', code: 'DES-3015' }, quantity: { value: 1, unit: 'EA' }, location: CATH_CABINET, lot: 'DES2511',
    serial: 'S-77120', patient: { token: PATIENT_TOKEN }, encounter: ACCOUNT,
  });
  assert.ok(s.parLevels.has(`${CATH_CABINET}|${ITEMS.stent}`), 'the cabinet location does have a par level');
  assert.equal(p.replenish, undefined);
  assert.ok(!('replenish' in p));
  assert.deepEqual(p.stock, { location: CATH_CABINET, itemId: ITEMS.stent, delta: -1 });
  assert.equal(p.priority, PRIORITIES.critical);
  assert.equal(to(p, 'erp').body.costCenterId, COST_CENTERS.northCath);
  assert.equal(to(p, 'billing').body.hcpcs, 'C1874');
});

test('a use of an item without a par level at its location asks for no replenishment', () => {
  assert.equal(used({ item: { code: CODES.foley }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE }).replenish, undefined);
});

test('a use with bad data is held: no deliveries, no stock move, the problems listed', () => {
  const unknown = used(kneeUse({ item: { code: 'KN-FEM-9Z' } }));
  assert.deepEqual(unknown.problems.map((p) => p.category), ['unmapped_item']);
  assert.deepEqual(unknown.deliveries, []);
  assert.equal(unknown.stock, undefined);
  assert.equal(unknown.replenish, undefined);
  assert.equal(unknown.partitionKey, `${NORTH}|${OR_CORE}|KN-FEM-9Z`, "ordered by the sender's code until it is mapped");

  const noSerial = used(kneeUse({ serial: null }));
  assert.deepEqual(noSerial.problems.map((p) => p.detail), [{ itemId: ITEMS.knee, missing: ['serial'] }]);
  assert.deepEqual(noSerial.deliveries, []);

  const returnNoLot = returned(kneeUse({ lot: null }));
  assert.deepEqual(returnNoLot.problems.map((p) => p.category), ['missing_lot_serial']);
});

test('a held use scanned by GTIN only is ordered by its GTIN', () => {
  const p = used(kneeUse({ item: { gtin: '00012345678905' } }));
  assert.equal(p.partitionKey, `${NORTH}|${OR_CORE}|00012345678905`);
});

test('planning is pure: the same event and master data give the same plan', () => {
  const payload = kneeUse();
  const copy = structuredClone(payload);
  assert.deepEqual(used(payload), used(payload));
  assert.deepEqual(payload, copy, 'the event is not changed');
});
