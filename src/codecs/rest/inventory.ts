// The inventory system's REST API: stock movements by par location, and its copies of items, locations, suppliers.
import { EncodeError, reference, reversalPath, type RestCodec } from './codec.ts';

const MOVEMENTS: Record<string, string> = {
  'stock.decrement': 'decrement',
  'stock.increment': 'increment',
  'stock.adjust': 'adjust',
  'stock.count': 'count',
};
/** Master data the inventory system keeps a copy of: one PUT per record. */
const COPIES: Record<string, { noun: string; collection: string }> = {
  'item.upsert': { noun: 'item', collection: 'items' },
  'location.upsert': { noun: 'location', collection: 'locations' },
  'supplier.upsert': { noun: 'supplier', collection: 'suppliers' },
};
const COLLECTIONS = Object.fromEntries(Object.keys(MOVEMENTS).map((a) => [a, 'movements']));

export const inventoryCodec: RestCodec = (d, ctx) => {
  const type = MOVEMENTS[d.action];
  if (type) return { method: 'POST', path: '/movements', json: { type, ...d.body, reference: reference(d) } };
  const copy = COPIES[d.action];
  if (copy) {
    const record = d.body[copy.noun] as { id: string };
    return { method: 'PUT', path: `/${copy.collection}/${encodeURIComponent(record.id)}`, json: { [copy.noun]: record, reference: reference(d) } };
  }
  if (d.action === 'reverse') return { method: 'POST', path: reversalPath(COLLECTIONS, ctx), json: { reference: reference(d) } };
  throw new EncodeError(`the inventory codec has no mapping for ${d.action}`);
};
