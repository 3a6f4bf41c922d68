// price.updated: a price from outside the ERP (a supplier's 832 catalog, a CSV price file). The ERP is the system
// of record for contract prices, so a catalog never overwrites one: the price is recorded, and when it differs
// from the contract in force beyond the configured tolerance, it is held as `price_variance` for the contract
// owner, who updates the contract in the ERP or disputes the supplier's price. Prices the ERP itself announces
// are simply recorded (the master-data pull takes them).
import Big from 'big.js';
import { PRIORITIES } from '../core/types.ts';
import { priceOn, resolveItem, unitsPer } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { PriceUpdatedPayload } from '../model/events.ts';
import { held, type FlowEvent, type FlowSettings, type Plan } from './plan.ts';

export const DEFAULT_PRICE_VARIANCE_PERCENT = 2;

export const priceUpdated = (e: FlowEvent, s: Snapshot, settings: FlowSettings = {}): Plan => {
  const p = e.payload as PriceUpdatedPayload;
  // The 832 names the buyer's item number when the supplier knows it, else its own number, else the GTIN.
  const item = s.items.get(p.itemId) ?? resolveItem(s, /^\d{8,14}$/.test(p.itemId) ? { gtin: p.itemId } : { code: p.itemId }, e.sourceSystem);
  const partitionKey = `${e.facility}|price|${item?.id ?? p.itemId}`;
  const recorded: Plan = { partitionKey, priority: PRIORITIES.bulk, problems: [], deliveries: [] };
  if (!item) {
    return held(partitionKey, PRIORITIES.bulk, [{
      category: 'unmapped_item', message: `no item is known for ${e.sourceSystem} item ${p.itemId} in its price catalog`,
      detail: { system: e.sourceSystem, code: p.itemId, gtin: null },
    }]);
  }
  if (e.sourceSystem === 'erp') return recorded;
  const contract = priceOn(s.prices.get(item.id), p.effectiveFrom, { facility: e.facility, purchasingGroup: s.facilities.get(e.facility)?.purchasingGroup });
  if (!contract) return recorded; // nothing to compare with: no contract is its own exception when someone orders

  // Compared per base unit: a catalog may price the case while the contract prices the each.
  const [catalogPer, contractPer] = [unitsPer(item, p.uom), unitsPer(item, contract.uom)];
  if (catalogPer === null || contractPer === null) {
    const unit = catalogPer === null ? p.uom : contract.uom;
    return held(partitionKey, PRIORITIES.bulk, [{
      category: 'uom_unconvertible', message: `item ${item.id} has no ${unit} packaging to compare the catalog price with the contract`,
      detail: { itemId: item.id, unit, baseUnit: item.uom, known: item.packaging.map((k) => k.uom) },
    }]);
  }
  const catalogUnit = new Big(p.price.amount).div(catalogPer);
  const contractUnit = new Big(contract.price).div(contractPer);
  if (contractUnit.eq(0)) return recorded;
  const variance = catalogUnit.minus(contractUnit).div(contractUnit).times(100);
  const tolerance = settings.priceVariancePercent ?? DEFAULT_PRICE_VARIANCE_PERCENT;
  if (variance.abs().lte(tolerance)) return recorded;
  return held(partitionKey, PRIORITIES.bulk, [{
    category: 'price_variance',
    message: `${e.sourceSystem} prices ${item.id} at ${p.price.amount} per ${p.uom}, ${variance.toFixed(1)}% from the contract's ${contract.price} per ${contract.uom} (tolerance ${tolerance}%)`,
    detail: {
      itemId: item.id, supplierId: p.supplierId ?? null, contractId: contract.id, contractPrice: contract.price, contractUom: contract.uom,
      catalogPrice: p.price.amount, catalogUom: p.uom, variancePercent: Number(variance.toFixed(2)), tolerancePercent: tolerance,
      effectiveFrom: p.effectiveFrom,
    },
  }]);
};
