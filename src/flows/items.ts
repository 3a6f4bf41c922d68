// item.upserted from a source other than the ERP pull: an item master over MFN^M16, a CSV item load. The item is
// offered to Tendon's master data, which takes it unless the ERP (the system of record) already has the item; the
// snapshot is refreshed after the commit. An item record that does not make a valid item is held as unmapped.
import { PRIORITIES } from '../core/types.ts';
import { MASTER_SCHEMAS } from '../model/masterdata.ts';
import type { FlowEvent, Plan } from './plan.ts';

export const itemUpserted = (e: FlowEvent): Plan => {
  const partitionKey = `${e.facility}|item.upserted`;
  const record = MASTER_SCHEMAS.items.safeParse({ ...e.payload, updatedAt: e.occurredAt });
  return {
    partitionKey, priority: PRIORITIES.bulk, problems: [], deliveries: [],
    ...(record.success ? { master: { entity: 'items' as const, record: { id: record.data.id, updatedAt: record.data.updatedAt, data: record.data } } } : {}),
  };
};
