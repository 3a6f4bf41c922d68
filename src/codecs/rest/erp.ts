// The ERP's REST API: inventory transactions (issue, return, receipt, adjustment), requisitions, and procure-to-pay:
// purchase orders (the ERP numbers them and commits the budget; reversing one cancels it and releases the
// commitment) and AP postings of matched supplier invoices.
import { EncodeError, reference, reversalPath, type RestCodec } from './codec.ts';

const TRANSACTION_TYPES: Record<string, string> = {
  'inventory.issue': 'issue',
  'inventory.return': 'return',
  'inventory.receipt': 'receipt',
  'inventory.adjustment': 'adjustment',
};
const COLLECTIONS: Record<string, string> = {
  ...Object.fromEntries(Object.keys(TRANSACTION_TYPES).map((a) => [a, 'inventory-transactions'])),
  'requisition.create': 'requisitions',
  'purchase-order.create': 'purchase-orders',
  'ap-invoice.post': 'ap-invoices',
};

export const erpCodec: RestCodec = (d, ctx) => {
  const type = TRANSACTION_TYPES[d.action];
  if (type) return { method: 'POST', path: '/inventory-transactions', json: { type, ...d.body, reference: reference(d) } };
  const collection = COLLECTIONS[d.action];
  if (collection && d.action !== 'reverse') return { method: 'POST', path: `/${collection}`, json: { ...d.body, reference: reference(d) } };
  if (d.action === 'reverse') return { method: 'POST', path: reversalPath(COLLECTIONS, ctx), json: { reference: reference(d) } };
  throw new EncodeError(`the ERP codec has no mapping for ${d.action}`);
};
