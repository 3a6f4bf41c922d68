// The inventory system's REST API: stock movements by par location, and its copy of the item master.
import { EncodeError, reference, reversalPath, type RestCodec } from './codec.ts';

const MOVEMENTS: Record<string, string> = {
  'stock.decrement': 'decrement',
  'stock.increment': 'increment',
  'stock.adjust': 'adjust',
  'stock.count': 'count',
};
const COLLECTIONS = Object.fromEntries(Object.keys(MOVEMENTS).map((a) => [a, 'movements']));

export const inventoryCodec: RestCodec = (d, ctx) => {
  const type = MOVEMENTS[d.action];
  if (type) return { method: 'POST', path: '/movements', json: { type, ...d.body, reference: reference(d) } };
  if (d.action === 'item.upsert') {
    const item = d.body.item as { id: string };
    return { method: 'PUT', path: `/items/${encodeURIComponent(item.id)}`, json: { item, reference: reference(d) } };
  }
  if (d.action === 'reverse') return { method: 'POST', path: reversalPath(COLLECTIONS, ctx), json: { reference: reference(d) } };
  throw new EncodeError(`the inventory codec has no mapping for ${d.action}`);
};
