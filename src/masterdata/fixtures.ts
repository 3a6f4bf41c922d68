// Test data only: a small two-hospital network's master data, as the ERP would send it, for enrichment and flow
// tests. Every record goes through its MASTER_SCHEMAS schema, exactly as a pull stores it, so defaults apply and
// a fixture that drifts from the schema fails loudly instead of testing something no ERP could send.
import { MASTER_SCHEMAS, type MasterEntity } from '../model/masterdata.ts';
import { buildSnapshot, type MasterRecords, type Snapshot, type Xref } from './snapshot.ts';

const updatedAt = '2026-01-05T08:00:00Z';
const parsed = <E extends MasterEntity>(entity: E, rows: Record<string, unknown>[]): unknown[] =>
  rows.map((r) => MASTER_SCHEMAS[entity].parse({ updatedAt, ...r }));

export const NORTH = 'FAC-NORTH';
export const SOUTH = 'FAC-SOUTH';

/** Par locations: the main OR core (Tendon replenishes) and the cath lab cabinet (replenishes itself). */
export const OR_CORE = 'LOC-N-OR-CORE';
export const CATH_CABINET = 'LOC-N-CATH-CAB';
export const SOUTH_OR = 'LOC-S-OR-CORE';

export const COST_CENTERS = { northOr: 'CC-4010', northCath: 'CC-4020', southOr: 'CC-5010' } as const;

export const ITEMS = {
  /** Orthopaedic implant: GTIN, lot + serial + expiry controlled, charged under 0278 with a device C-code. */
  knee: 'ITM-100234',
  /** Sterile supply charged to the patient under 0272, lot controlled only. */
  cement: 'ITM-200118',
  /** Routine supply, never charged. */
  gauze: 'ITM-300051',
  /** Cardiac implant kept in the cath lab cabinet. */
  stent: 'ITM-100990',
  /** Discontinued: a use of it must be held. */
  gown: 'ITM-300777',
  /** Chargeable, but its only chargemaster line is inactive. */
  foley: 'ITM-200450',
} as const;

/** The knee implant's GTIN as the ERP stores it (GTIN-14), and as a GTIN-13 / UPC-A label prints it. */
export const KNEE_GTIN14 = '00885556123454';
export const KNEE_GTIN13 = '0885556123454';
export const KNEE_UPC12 = '885556123454';

/** The perioperative system's own item codes, cross-referenced to ERP items. */
export const PERIOP = 'periop';
export const CODES = { knee: 'KN-FEM-5L', cement: 'BC40', gauze: 'GZ44', gown: 'GWN-STD', foley: 'FOL16' } as const;

export const CHARGES = {
  knee: { chargeCode: 'CDM-2780011', revenueCode: '0278', hcpcs: 'C1776', price: '9850.00' },
  cement: { chargeCode: 'CDM-2720045', revenueCode: '0272', price: '436.00' },
  stent: { chargeCode: 'CDM-2780190', revenueCode: '0278', hcpcs: 'C1874', price: '5120.00' },
} as const;

/** The knee's contract price changed on 2026-04-01: before it, 2650.00; from it, 2480.00. */
export const KNEE_PRICE_BEFORE_APRIL = '2650.00';
export const KNEE_PRICE_FROM_APRIL = '2480.00';

export const records: MasterRecords = {
  facilities: parsed('facilities', [
    { id: NORTH, name: 'Northside General Hospital', timezone: 'America/Chicago' },
    { id: SOUTH, name: 'Southlake Medical Center', timezone: 'America/Chicago' },
  ]),
  'cost-centers': parsed('cost-centers', [
    { id: COST_CENTERS.northOr, facilityId: NORTH, name: 'Surgical Services - Main OR' },
    { id: COST_CENTERS.northCath, facilityId: NORTH, name: 'Cardiac Cath Lab' },
    { id: COST_CENTERS.southOr, facilityId: SOUTH, name: 'Surgical Services - South OR' },
  ]),
  departments: parsed('departments', [
    { id: 'DEP-N-OR', facilityId: NORTH, name: 'Main Operating Room', costCenterId: COST_CENTERS.northOr },
    { id: 'DEP-N-CATH', facilityId: NORTH, name: 'Cardiac Catheterization Lab', costCenterId: COST_CENTERS.northCath },
    { id: 'DEP-S-OR', facilityId: SOUTH, name: 'Operating Room', costCenterId: COST_CENTERS.southOr },
  ]),
  locations: parsed('locations', [
    { id: OR_CORE, facilityId: NORTH, departmentId: 'DEP-N-OR', name: 'Main OR Sterile Core' },
    { id: CATH_CABINET, facilityId: NORTH, departmentId: 'DEP-N-CATH', name: 'Cath Lab Cabinet 1', managedBy: 'cabinet' },
    { id: SOUTH_OR, facilityId: SOUTH, departmentId: 'DEP-S-OR', name: 'South OR Supply Room' },
  ]),
  suppliers: parsed('suppliers', [
    { id: 'SUP-0042', name: 'Meridian Orthopedics' },
    { id: 'SUP-0107', name: 'Harbor Medical Supply' },
  ]),
  items: parsed('items', [
    {
      id: ITEMS.knee, description: 'Total Knee Femoral Component, Cemented, Posterior Stabilized, Size 5, Left', uom: 'EA',
      gtin: KNEE_GTIN14, manufacturer: 'Meridian Orthopedics', catalogNumber: 'MO-TKF-PS5L', supplierId: 'SUP-0042',
      implant: true, lotControlled: true, serialControlled: true, expiryControlled: true, chargeable: true,
    },
    {
      id: ITEMS.cement, description: 'Bone Cement, Radiopaque, 40g', uom: 'EA', supplierId: 'SUP-0042',
      lotControlled: true, expiryControlled: true, chargeable: true,
    },
    { id: ITEMS.gauze, description: 'Gauze Sponge, Sterile, 4 x 4in, 12-Ply, 10-Pack', uom: 'EA', supplierId: 'SUP-0107' },
    {
      id: ITEMS.stent, description: 'Drug-Eluting Coronary Stent System, 3.0 x 15mm', uom: 'EA', gtin: '00840012345672',
      implant: true, lotControlled: true, serialControlled: true, expiryControlled: true, chargeable: true,
    },
    { id: ITEMS.gown, description: 'Surgical Gown, Standard, Sterile (discontinued)', uom: 'EA', status: 'inactive' },
    { id: ITEMS.foley, description: 'Foley Catheter Tray, Temperature Sensing, 16Fr', uom: 'EA', chargeable: true },
  ]),
  'contract-prices': parsed('contract-prices', [
    // The expired price is listed first on purpose: the snapshot must not depend on the ERP's order.
    {
      id: 'CP-1', itemId: ITEMS.knee, supplierId: 'SUP-0042', price: KNEE_PRICE_BEFORE_APRIL, currency: 'USD', uom: 'EA',
      effectiveFrom: '2025-04-01', effectiveTo: '2026-03-31',
    },
    {
      id: 'CP-2', itemId: ITEMS.knee, supplierId: 'SUP-0042', price: KNEE_PRICE_FROM_APRIL, currency: 'USD', uom: 'EA',
      effectiveFrom: '2026-04-01',
    },
    { id: 'CP-3', itemId: ITEMS.cement, supplierId: 'SUP-0042', price: '112.40', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01' },
    { id: 'CP-4', itemId: ITEMS.gauze, supplierId: 'SUP-0107', price: '0.62', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01' },
    { id: 'CP-5', itemId: ITEMS.stent, price: '1340.00', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01' },
  ]),
  chargemaster: parsed('chargemaster', [
    { id: 'CDM-1', itemId: ITEMS.knee, ...CHARGES.knee, description: 'KNEE FEM COMP CEMENTED PS' },
    { id: 'CDM-2', itemId: ITEMS.cement, ...CHARGES.cement, description: 'BONE CEMENT 40G' },
    { id: 'CDM-3', itemId: ITEMS.stent, ...CHARGES.stent, description: 'STENT CORONARY DRUG ELUTING' },
    { id: 'CDM-4', itemId: ITEMS.foley, chargeCode: 'CDM-2720300', revenueCode: '0272', price: '48.00', status: 'inactive' },
  ]),
  'par-levels': parsed('par-levels', [
    { id: 'PAR-1', locationId: OR_CORE, itemId: ITEMS.knee, par: 4, reorderPoint: 2, critical: true },
    { id: 'PAR-2', locationId: OR_CORE, itemId: ITEMS.cement, par: 20, reorderPoint: 8, orderUnit: { uom: 'BX', quantity: 10 } },
    { id: 'PAR-3', locationId: OR_CORE, itemId: ITEMS.gauze, par: 200, reorderPoint: 80, orderUnit: { uom: 'CS', quantity: 50 } },
    { id: 'PAR-4', locationId: CATH_CABINET, itemId: ITEMS.stent, par: 6, reorderPoint: 3, critical: true },
  ]),
};

export const xrefs: Xref[] = [
  { system: PERIOP, code: CODES.knee, itemId: ITEMS.knee },
  { system: PERIOP, code: CODES.cement, itemId: ITEMS.cement },
  { system: PERIOP, code: CODES.gauze, itemId: ITEMS.gauze },
  { system: PERIOP, code: CODES.gown, itemId: ITEMS.gown },
  { system: PERIOP, code: CODES.foley, itemId: ITEMS.foley },
  // The same code means different things in different systems: '1001' is the knee to the EHR, gauze to the cabinet.
  { system: 'ehr', code: '1001', itemId: ITEMS.knee },
  { system: 'cabinet', code: '1001', itemId: ITEMS.gauze },
  { system: 'cabinet', code: 'DES-3015', itemId: ITEMS.stent },
];

export const snapshot = (): Snapshot => buildSnapshot(records, xrefs);

/** A tokenised patient, as flows see one (never an identifier). */
export const PATIENT_TOKEN = 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6';
