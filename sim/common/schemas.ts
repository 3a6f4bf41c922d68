// Request-body building blocks shared by the simulators. Objects are "loose": unknown extra fields are
// accepted (and kept in the ledger), because real receiving systems ignore what they don't map.
import { z } from 'zod';

/** A decimal amount as a string ("1234.50"); floats are refused so no cent is ever lost in transit. */
export const money = z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/, 'must be a decimal string like "123.45"');

/** ISO 8601 date-time with Z or an offset. */
export const instant = z.iso.datetime({ offset: true });

export const isoDate = z.iso.date();

export const nonEmpty = z.string().min(1);

/** Links an effect back to the Tendon event (and business transaction) that caused it. */
export const reference = z.looseObject({
  eventId: nonEmpty,
  correlationId: nonEmpty.nullable().optional(),
});

export const positive = z.number().finite().positive();

/**
 * The reference of an effect that arrived without a Tendon event id (an HL7 DFT, a FHIR resource): the delivery it
 * came from (FT1-2, the resource's identifier) is what links it back.
 */
export const deliveryReference = z.looseObject({
  deliveryId: nonEmpty.optional(),
  eventId: z.null(),
  correlationId: nonEmpty.nullable().optional(),
});
