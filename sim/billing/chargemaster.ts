// Billing's chargemaster, kept by MFN^M04 (master file CDM) over MLLP: each MFE/CDM/PRC group sets one charge code's
// description, revenue code, HCPCS, price and status, and is one `chargemaster` ledger entry (master-file.ts does the
// MFN/MFK part). Readable at GET /chargemaster and GET /chargemaster/:code. It starts empty: it holds what the hub
// sent; charges (DFT or HTTP) are not checked against it.
import type { FastifyInstance } from 'fastify';
import type { Hl7Segment } from '../common/hl7.ts';
import type { Locate, MasterFileEntry, MasterRecordSpec } from '../common/master-file.ts';
import { Hl7Refusal } from '../common/mllp-door.ts';
import { notFound } from '../common/problem.ts';
import type { SimStore } from '../common/store.ts';

export type ChargemasterLine = {
  chargeCode: string;
  description: string;
  /** UB-04 revenue code, four digits (PRC-14, the billing category). */
  revenueCode: string | null;
  hcpcs: string | null;
  /** PRC-5's amount as sent, a decimal string; null when the line has no PRC or no price. */
  price: string | null;
  currency: string | null;
  /** CDM-9, the inventory number: the item the charge is for. */
  itemId: string | null;
  status: 'active' | 'inactive';
};

const CHARGE_STATUS: Record<string, ChargemasterLine['status']> = { '': 'active', A: 'active', I: 'inactive' };

/**
 * A CDM line: CDM-1 the charge code (= MFE-4), CDM-3 short / CDM-4 long description (the long one kept when given),
 * CDM-7 procedure code (HCPCS), CDM-8 active flag (table 0183), CDM-9 inventory number; from the first PRC: PRC-5
 * price (CP: amount&currency), PRC-14 billing category as the revenue code. PRC-1, when given, must be the charge code.
 */
function readLine(entry: MasterFileEntry, cdm: Hl7Segment, locate: Locate): ChargemasterLine {
  const prc = entry.segments.find((s) => s.name === 'PRC');
  if (prc && prc.get(1) !== '' && prc.get(1) !== entry.key) {
    throw new Hl7Refusal('AE', '207', 'Application internal error', `PRC-1 "${prc.get(1)}" is not the charge code MFE-4 names (${entry.key})`, locate(prc, 1));
  }
  const description = cdm.get(4) || cdm.get(3);
  if (description === '') throw new Hl7Refusal('AE', '101', 'Required field missing', 'CDM-3 charge description is empty', locate(cdm, 3));
  const flag = cdm.get(8).toUpperCase();
  const status = CHARGE_STATUS[flag];
  if (status === undefined) throw new Hl7Refusal('AE', '103', 'Table value not found', `CDM-8 active/inactive flag "${flag}" is not A or I (table 0183)`, locate(cdm, 8));
  const price = prc?.get(5, 1, 1) ?? '';
  if (prc && price !== '' && !/^-?\d{1,12}(\.\d{1,4})?$/.test(price)) {
    throw new Hl7Refusal('AE', '102', 'Data type error', `PRC-5 price "${price}" is not a decimal amount`, locate(prc, 5));
  }
  const revenueCode = prc?.get(14) ?? '';
  if (prc && revenueCode !== '' && !/^\d{4}$/.test(revenueCode)) {
    throw new Hl7Refusal('AE', '102', 'Data type error', `PRC-14 revenue code "${revenueCode}" is not 4 digits`, locate(prc, 14));
  }
  return {
    chargeCode: entry.key,
    description,
    revenueCode: revenueCode || null,
    hcpcs: cdm.get(7) || null,
    price: price || null,
    currency: prc?.get(5, 1, 2) || null,
    itemId: cdm.get(9) || null,
    status,
  };
}

export const CHARGEMASTER: MasterRecordSpec<ChargemasterLine> = {
  event: 'M04',
  fileId: 'CDM',
  segment: 'CDM',
  noun: 'charge code',
  coll: 'chargemaster',
  kind: 'chargemaster',
  read: readLine,
};

export function chargemasterView(app: FastifyInstance, store: SimStore): void {
  app.get('/chargemaster', async () => ({
    data: store.all<ChargemasterLine>(CHARGEMASTER.coll).sort((a, b) => (a.chargeCode < b.chargeCode ? -1 : 1)),
  }));
  app.get('/chargemaster/:code', async (req) => {
    const { code } = req.params as { code: string };
    const line = store.get<ChargemasterLine>(CHARGEMASTER.coll, code);
    if (!line) throw notFound(`no charge code ${code} in the chargemaster`);
    return line;
  });
}
