// Patient-accounting rules, pure: when an account takes charges, and how much of a charge code can still
// be credited. Closed accounts are the classic late-charge refusal of a real billing system.
import { z } from 'zod';
import { refuse } from '../common/problem.ts';
import { deliveryReference, isoDate, money, nonEmpty, positive, reference } from '../common/schemas.ts';
import { addQuantity } from '../inventory/stock.ts';

// The MRN is optional in the schema on purpose: a missing MRN is a business refusal (422), not a 400.
const patient = z.looseObject({ mrn: z.string().nullable().optional() }).nullable().optional();

export const chargeSchema = z.looseObject({
  account: nonEmpty,
  patient,
  facilityId: nonEmpty,
  chargeCode: nonEmpty,
  revenueCode: z.string().regex(/^\d{4}$/, 'must be a 4-digit revenue code'),
  hcpcs: z.string().nullable(),
  quantity: positive,
  unitPrice: money,
  serviceDate: isoDate,
  itemId: nonEmpty,
  lot: z.string().nullable().optional(),
  serial: z.string().nullable().optional(),
  performer: z.string().nullable().optional(),
  reference,
});
export type Charge = z.infer<typeof chargeSchema>;

export const creditSchema = z.looseObject({
  account: nonEmpty,
  patient,
  facilityId: nonEmpty,
  chargeCode: nonEmpty,
  quantity: positive,
  serviceDate: isoDate,
  reason: z.string().nullable().optional(),
  reference,
});
export type Credit = z.infer<typeof creditSchema>;

/** Charges and credits over MLLP and FHIR: no Tendon event id, the line's delivery is the reference (FT1-2, identifier). */
export const keyedChargeSchema = chargeSchema.extend({ reference: deliveryReference }) as unknown as z.ZodType<Charge>;
export const keyedCreditSchema = creditSchema.extend({ reference: deliveryReference }) as unknown as z.ZodType<Credit>;

export type AccountStatus = 'open' | 'closed';

/** Seeded bad data: every account number ending in "-C" is closed, unless explicitly reopened. */
export function accountStatus(account: string, override: AccountStatus | undefined): AccountStatus {
  return override ?? (account.endsWith('-C') ? 'closed' : 'open');
}

/** A live (not reversed) posting on an account, as far as the credit rule cares. */
export type Posting = { chargeCode: string; quantity: number; reversed: boolean };

/** Charged quantity of a charge code, net of earlier credits, ignoring reversed postings. */
export function netCharged(charges: Posting[], credits: Posting[], chargeCode: string): number {
  let net = 0;
  for (const c of charges) if (!c.reversed && c.chargeCode === chargeCode) net = addQuantity(net, c.quantity);
  for (const c of credits) if (!c.reversed && c.chargeCode === chargeCode) net = addQuantity(net, -c.quantity);
  return net;
}

function checkPostable(account: string, status: AccountStatus, mrn: string | null | undefined): void {
  if (status === 'closed') throw refuse(`account ${account} is closed`);
  if (!mrn) throw refuse(`patient MRN is missing for account ${account}`);
}

export function checkCharge(charge: Charge, status: AccountStatus): void {
  checkPostable(charge.account, status, charge.patient?.mrn);
}

export function checkCredit(credit: Credit, status: AccountStatus, charges: Posting[], credits: Posting[]): void {
  checkPostable(credit.account, status, credit.patient?.mrn);
  const net = netCharged(charges, credits, credit.chargeCode);
  if (net < credit.quantity) {
    throw refuse(
      `no charge to credit: account ${credit.account} has ${net} of ${credit.chargeCode} charged, credit asks for ${credit.quantity}`,
    );
  }
}
