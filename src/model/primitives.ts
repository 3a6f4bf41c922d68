// Building blocks shared by every canonical schema: one definition each, so validation, types and the
// exported JSON Schema agree.
import { z } from 'zod';

export const Code = z.string().trim().min(1).max(128);
/** ISO 8601 date-time with an offset (`Z` or `±hh:mm`): a time without an offset is ambiguous across sites. */
export const DateTime = z.iso.datetime({ offset: true });
export const DateOnly = z.iso.date();

/** Money is a decimal string, never a binary float: 0.1 + 0.2 must stay 0.30 on an invoice. */
export const Money = z.object({
  amount: z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/, 'a decimal string such as "1234.50"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD"'),
});
export type Money = z.infer<typeof Money>;

/** A quantity always carries its unit of measure (EA, BX, CA…). */
export const Quantity = z.object({
  value: z.number().finite().positive().max(1_000_000),
  unit: Code,
});
export const SignedQuantity = z.object({
  value: z.number().finite().refine((v) => v !== 0, 'must not be zero'),
  unit: Code,
});
export const CountQuantity = z.object({ value: z.number().finite().min(0).max(1_000_000), unit: Code });
export type Quantity = z.infer<typeof Quantity>;

/** The sending system's item code, or a GTIN read from a barcode. Resolved to the ERP item by enrichment. */
export const ItemRef = z
  .object({
    system: Code.optional(),
    code: Code.optional(),
    gtin: z.string().regex(/^\d{8}$|^\d{12,14}$/, 'a GTIN-8, -12, -13 or -14').optional(),
  })
  .refine((i) => i.code !== undefined || i.gtin !== undefined, 'needs a code or a gtin');
export type ItemRef = z.infer<typeof ItemRef>;

/**
 * A patient reference. Senders give `identifier` (an MRN); Tendon replaces it with `token` (a keyed HMAC) before
 * the event is stored, so a stored event never carries the identifier in clear.
 */
export const PatientRef = z
  .object({
    identifier: Code.optional(),
    token: z.string().regex(/^pt_[A-Za-z0-9_-]{16,64}$/).optional(),
  })
  .refine((p) => (p.identifier === undefined) !== (p.token === undefined), 'needs exactly one of identifier or token');
export type PatientRef = z.infer<typeof PatientRef>;

export const Person = z.object({ id: Code, name: z.string().max(200).nullish() });

export const optionalText = z.string().max(500).nullish();
