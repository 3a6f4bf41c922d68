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

export const COST_CENTERS = { northOr: 'CC-4010', northCath: 'CC-4020', southOr: 'CC-5010', closedEndo: 'CC-4090' } as const;
/** A par location whose department still charges a cost center finance has closed. */
export const ENDO_ROOM = 'LOC-N-ENDO';

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
  /** Chargeable, but its only chargemaster line is inactive; no contract price. */
  foley: 'ITM-200450',
  /** Chargeable, priced by a markup over its contract cost rather than a fixed charge. */
  mesh: 'ITM-200610',
} as const;

/** Gauze comes in boxes of 10 and cases of 10 boxes, each level with its own GTIN. */
export const GAUZE_GTINS = { each: '00885556100011', box: '10885556100018', case: '50885556100016' } as const;

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
    { id: SOUTH, name: 'Southlake Medical Center', timezone: 'America/Chicago', purchasingGroup: 'GPO-WEST' },
  ]),
  'cost-centers': parsed('cost-centers', [
    { id: COST_CENTERS.northOr, facilityId: NORTH, name: 'Surgical Services - Main OR', glAccountId: 'GL-6110' },
    { id: COST_CENTERS.northCath, facilityId: NORTH, name: 'Cardiac Cath Lab', glAccountId: 'GL-6110' },
    { id: COST_CENTERS.southOr, facilityId: SOUTH, name: 'Surgical Services - South OR', glAccountId: 'GL-6990' },
    { id: COST_CENTERS.closedEndo, facilityId: NORTH, name: 'Endoscopy (closed)', status: 'inactive' },
  ]),
  'gl-accounts': parsed('gl-accounts', [
    { id: 'GL-6110', name: 'Implants and surgical supplies' },
    { id: 'GL-6990', name: 'Miscellaneous supplies (retired)', status: 'inactive' },
  ]),
  // May 2026: the main OR has budget left; the cath lab has spent all of its.
  budgets: parsed('budgets', [
    { id: 'BUD-1', costCenterId: COST_CENTERS.northOr, period: '2026-05', amount: '50000.00', consumed: '12000.00' },
    { id: 'BUD-2', costCenterId: COST_CENTERS.northCath, period: '2026-05', amount: '20000.00', consumed: '20000.00' },
  ]),
  departments: parsed('departments', [
    { id: 'DEP-N-OR', facilityId: NORTH, name: 'Main Operating Room', costCenterId: COST_CENTERS.northOr },
    { id: 'DEP-N-CATH', facilityId: NORTH, name: 'Cardiac Catheterization Lab', costCenterId: COST_CENTERS.northCath },
    { id: 'DEP-S-OR', facilityId: SOUTH, name: 'Operating Room', costCenterId: COST_CENTERS.southOr },
    { id: 'DEP-N-ENDO', facilityId: NORTH, name: 'Endoscopy', costCenterId: COST_CENTERS.closedEndo },
  ]),
  locations: parsed('locations', [
    { id: OR_CORE, facilityId: NORTH, departmentId: 'DEP-N-OR', name: 'Main OR Sterile Core' },
    { id: CATH_CABINET, facilityId: NORTH, departmentId: 'DEP-N-CATH', name: 'Cath Lab Cabinet 1', managedBy: 'cabinet' },
    { id: SOUTH_OR, facilityId: SOUTH, departmentId: 'DEP-S-OR', name: 'South OR Supply Room' },
    { id: ENDO_ROOM, facilityId: NORTH, departmentId: 'DEP-N-ENDO', name: 'Endoscopy Supply Room' },
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
    {
      id: ITEMS.gauze, description: 'Gauze Sponge, Sterile, 4 x 4in, 12-Ply, 10-Pack', uom: 'EA', supplierId: 'SUP-0107', gtin: GAUZE_GTINS.each,
      packaging: [{ uom: 'BX', quantity: 10, gtin: GAUZE_GTINS.box }, { uom: 'CS', quantity: 100, gtin: GAUZE_GTINS.case }],
    },
    {
      id: ITEMS.stent, description: 'Drug-Eluting Coronary Stent System, 3.0 x 15mm', uom: 'EA', gtin: '00840012345672',
      implant: true, lotControlled: true, serialControlled: true, expiryControlled: true, chargeable: true,
    },
    { id: ITEMS.gown, description: 'Surgical Gown, Standard, Sterile (discontinued)', uom: 'EA', status: 'inactive' },
    { id: ITEMS.foley, description: 'Foley Catheter Tray, Temperature Sensing, 16Fr', uom: 'EA', chargeable: true },
    { id: ITEMS.mesh, description: 'Hernia Mesh, Polypropylene, 15 x 15cm', uom: 'EA', supplierId: 'SUP-0107', chargeable: true, hibcc: 'H123MESH1515' },
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
    // Tiers: the western purchasing group buys cement cheaper, and Southlake cheaper still.
    { id: 'CP-6', itemId: ITEMS.cement, supplierId: 'SUP-0042', price: '108.00', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01', purchasingGroup: 'GPO-WEST' },
    { id: 'CP-7', itemId: ITEMS.cement, supplierId: 'SUP-0042', price: '105.00', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01', facilityId: SOUTH },
    { id: 'CP-8', itemId: ITEMS.mesh, supplierId: 'SUP-0107', price: '41.30', currency: 'USD', uom: 'EA', effectiveFrom: '2026-01-01' },
  ]),
  chargemaster: parsed('chargemaster', [
    { id: 'CDM-1', itemId: ITEMS.knee, ...CHARGES.knee, description: 'KNEE FEM COMP CEMENTED PS' },
    { id: 'CDM-2', itemId: ITEMS.cement, ...CHARGES.cement, description: 'BONE CEMENT 40G' },
    { id: 'CDM-3', itemId: ITEMS.stent, ...CHARGES.stent, description: 'STENT CORONARY DRUG ELUTING' },
    { id: 'CDM-4', itemId: ITEMS.foley, chargeCode: 'CDM-2720300', revenueCode: '0272', price: '48.00', status: 'inactive' },
    { id: 'CDM-5', itemId: ITEMS.mesh, chargeCode: 'CDM-2780520', revenueCode: '0278', price: null, markup: { percent: 200, roundTo: '1.00', minimum: '25.00' } },
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
