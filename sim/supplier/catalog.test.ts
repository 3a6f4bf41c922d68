import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DELIMITERS, parseInterchange, type X12Segment } from '../common/x12.ts';
import { buildNetwork } from '../network/build.ts';
import type { Facility } from '../network/types.ts';
import { planCatalog, type CatalogPlan } from './catalog.ts';
import { renderDocument, type Partner } from './documents.ts';

const network = buildNetwork(7);
const AT = Date.parse('2026-11-21T15:00:00Z');
const TENDON: Partner = { qualifier: 'ZZ', id: 'TENDON', groupCode: 'TENDON', interchangeVersion: '00401', usage: 'P' };
const plan = (n: number, options: { seed?: number; varianceRate?: number; items?: number } = {}): CatalogPlan =>
  planCatalog(network, { seed: options.seed ?? 7, id: `CAT-${String(n).padStart(6, '0')}`, at: AT, items: options.items ?? 20, varianceRate: options.varianceRate ?? 0.1 });

const cents = (price: string): number => Math.round(Number(price) * 100);

/** The contract price of an item on 2026-11-21 for a facility, written out here from the rule: facility tier, group tier, network-wide. */
function contractCents(itemId: string, facility: Facility): number {
  const inForce = network.master['contract-prices'].filter((p) => p.itemId === itemId && p.effectiveFrom <= '2026-11-21' && (p.effectiveTo ?? '9999') >= '2026-11-21');
  const tier = inForce.find((p) => p.facilityId === facility.id)
    ?? inForce.find((p) => p.facilityId === null && p.purchasingGroup !== null && p.purchasingGroup === facility.purchasingGroup)
    ?? inForce.find((p) => p.facilityId === null && p.purchasingGroup === null);
  assert.ok(tier, `a contract price for ${itemId} at ${facility.id}`);
  return cents(tier.price);
}

test('a catalog prices each item at its facility\'s contract price, per each or per box, and a few of them well off it', () => {
  const lines = Array.from({ length: 60 }, (_, n) => plan(n + 1)).flatMap((p) => {
    const facility = network.master.facilities.find((f) => f.id === p.facility.id) as Facility;
    return p.lines.map((line) => ({ line, facility }));
  });
  assert.equal(lines.length, 1200);
  const items = new Map(network.master.items.map((i) => [i.id, i]));
  const variances: number[] = [];
  let boxes = 0;
  let tiered = 0;
  for (const { line, facility } of lines) {
    const item = items.get(line.itemId);
    assert.equal(item?.status, 'active');
    const perUnit = line.unit === 'BX' ? (item?.packaging.find((p) => p.uom === 'BX')?.quantity ?? NaN) : 1;
    if (line.unit === 'BX') boxes++;
    else assert.equal(line.unit, item?.uom);
    const contract = contractCents(line.itemId, facility) * perUnit;
    const base = network.master['contract-prices'].find((p) => p.itemId === line.itemId && p.facilityId === null && p.purchasingGroup === null && p.effectiveTo === null);
    if (base && cents(base.price) * perUnit !== contract) tiered++;
    assert.equal(cents(line.contractPrice), contract, line.itemId);
    const variance = (cents(line.price) - contract) / contract;
    if (line.offContract) variances.push(variance);
    else assert.equal(variance, 0, `${line.itemId} is priced as contracted`);
  }
  assert.ok(boxes > 50, `${boxes} box prices`);
  assert.ok(tiered > 0, 'some prices are a facility or group tier');
  // Beyond the hub's default tolerance of 2%, both ways, at about the rate asked for.
  assert.ok(variances.every((v) => Math.abs(v) >= 0.04), `${Math.min(...variances.map(Math.abs))}`);
  assert.ok(variances.some((v) => v > 0) && variances.some((v) => v < 0));
  assert.ok(variances.length > 1200 * 0.06 && variances.length < 1200 * 0.14, `${variances.length} off of 1200`);
  assert.ok(plan(1, { varianceRate: 0 }).lines.every((l) => !l.offContract && l.price === l.contractPrice));
});

test('the same seed and catalog id make the same catalog; another id or seed another', () => {
  assert.deepEqual(plan(3), plan(3));
  assert.notDeepEqual(plan(3).lines, plan(4).lines);
  assert.notDeepEqual(plan(3).lines, plan(3, { seed: 8 }).lines);
  assert.equal(plan(3, { items: 5 }).lines.length, 5);
});

test('the 832 reads back through the sim\'s X12 reader with the intended prices', () => {
  for (const n of [1, 2, 3]) {
    const p = plan(n, { varianceRate: 0.5 });
    const text = renderDocument({ kind: '832', plan: p, partner: TENDON }, undefined, {
      controlNumber: 40 + n, at: AT, us: { qualifier: 'ZZ', id: 'MEDSUPPLY' }, delimiters: DEFAULT_DELIMITERS,
    });
    const interchange = parseInterchange(text);
    assert.deepEqual([interchange.header.senderId, interchange.header.receiverId, interchange.header.controlNumber], ['MEDSUPPLY', 'TENDON', `0000000${40 + n}`]);
    const [group] = interchange.groups;
    assert.deepEqual([group?.functionalId, group?.receiverCode, group?.version], ['SC', 'TENDON', '004010']);
    const set = group?.sets[0];
    assert.equal(set?.id, '832');
    const segments = set?.segments ?? [];
    const one = (tag: string) => segments.find((s) => s.tag === tag) as X12Segment;
    assert.deepEqual([one('BCT').get(1), one('BCT').get(2)], ['PC', p.id]);
    assert.deepEqual([one('DTM').get(1), one('DTM').get(2)], ['007', '20261121']);
    assert.deepEqual([one('N1').get(1), one('N1').get(3), one('N1').get(4)], ['ST', '92', p.facility.id]);
    assert.equal(one('SE').get(1), String(segments.length));
    // Each LIN names the item by the buyer's number (IN) and the supplier's (VC); its CTP gives price (03) and unit (05).
    const read: { itemId: string; vendorPart: string; gtin: string | null; unit: string; price: string }[] = [];
    segments.forEach((s, i) => {
      if (s.tag !== 'LIN') return;
      const ctp = segments[i + 2] as X12Segment;
      assert.deepEqual([s.get(2), s.get(4), ctp.tag, ctp.get(2), ctp.get(4)], ['IN', 'VC', 'CTP', 'CON', '1']);
      read.push({ itemId: s.get(3), vendorPart: s.get(5), gtin: s.get(6) === 'UK' ? s.get(7) : null, unit: ctp.get(5, 1), price: ctp.get(3) });
    });
    assert.deepEqual(read, p.lines.map((l) => ({ itemId: l.itemId, vendorPart: l.vendorPart, gtin: l.gtin, unit: l.unit, price: l.price })));
    assert.ok(p.lines.some((l) => l.offContract) && p.lines.some((l) => !l.offContract));
  }
});
