// The canonical events the traffic generator sends to Tendon's public API (POST /v1/events), and a zod
// schema of their shape, used by the sim's tests to check every generated batch the way the hub would.
import { z } from 'zod';

export type EventType = 'supply.used' | 'supply.returned' | 'stock.counted' | 'stock.received' | 'requisition.created';
export type SourceSystem = 'ehr-optime' | 'cabinet-omnicell' | 'scanner';
export type ItemRef = { system: 'erp'; code: string } | { gtin: string };
export type Quantity = { value: number; unit: string };

export type CanonicalEvent = {
  type: EventType;
  /** Unique per real-world fact and stable when re-sent: the hub deduplicates on it. */
  idempotencyKey: string;
  /** ISO 8601 with the facility's UTC offset. */
  occurredAt: string;
  facility: string;
  source: { system: SourceSystem };
  /** The business transaction (a surgical case) the event belongs to, when there is one. */
  correlationId?: string;
  payload: Record<string, unknown>;
};

const itemRef = z.union([
  z.strictObject({ system: z.literal('erp'), code: z.string().min(1) }),
  z.strictObject({ gtin: z.string().regex(/^\d{14}$/) }),
]);
const quantity = z.strictObject({ value: z.number().positive(), unit: z.string().min(1) });
const countQuantity = z.strictObject({ value: z.number().min(0), unit: z.string().min(1) });

const usePayload = z.strictObject({
  item: itemRef,
  quantity,
  location: z.string().min(1),
  lot: z.string().min(1).optional(),
  serial: z.string().min(1).optional(),
  expiry: z.iso.date().optional(),
  patient: z.strictObject({ identifier: z.string().min(1) }).optional(),
  encounter: z.string().min(1).optional(),
  caseId: z.string().min(1).optional(),
  procedureCode: z.string().min(1).optional(),
  surgeon: z.strictObject({ id: z.string().min(1), name: z.string().min(1) }).optional(),
  serviceLine: z.string().min(1).optional(),
  payerClass: z.string().min(1).optional(),
  project: z.string().nullable().optional(),
  grant: z.string().nullable().optional(),
  reason: z.string().min(1).optional(),
});

const envelope = {
  idempotencyKey: z.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true, local: false }),
  facility: z.string().min(1),
  source: z.strictObject({ system: z.enum(['ehr-optime', 'cabinet-omnicell', 'scanner']) }),
  correlationId: z.string().min(1).optional(),
};

export const canonicalEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('supply.used'), ...envelope, payload: usePayload }),
  z.strictObject({ type: z.literal('supply.returned'), ...envelope, payload: usePayload.required({ reason: true }) }),
  z.strictObject({
    type: z.literal('stock.counted'),
    ...envelope,
    payload: z.strictObject({ item: itemRef, location: z.string().min(1), quantity: countQuantity }),
  }),
  z.strictObject({
    type: z.literal('stock.received'),
    ...envelope,
    payload: z.strictObject({ item: itemRef, location: z.string().min(1), quantity, requisitionNumber: z.string().min(1) }),
  }),
  z.strictObject({
    type: z.literal('requisition.created'),
    ...envelope,
    payload: z.strictObject({
      item: itemRef,
      location: z.string().min(1),
      quantity,
      priority: z.enum(['routine', 'urgent', 'emergency']),
      reason: z.string().min(1).optional(),
      // The hub may make it the purchase order number, X12 BEG03 (at most 22 characters).
      requisitionNumber: z.string().min(1).max(22).optional(),
    }),
  }),
]);

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-21T09:14:03.000-05:00": the instant `ms` as local time in `timeZone`, with its offset. */
export function isoWithOffset(ms: number, timeZone: string): string {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.slice(3);
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(ms + minutes * 60_000).toISOString().slice(0, 23) + offset;
}
