// Record shapes of the seeded network, as the ERP serves them. Every master-data record has `id` and
// `updatedAt`; money is a decimal string, never a float.

export type Status = 'active' | 'inactive';
export type ServiceLine = 'orthopaedics' | 'general surgery' | 'cardiology' | 'interventional radiology';
export type DepartmentKind = 'or' | 'cathlab' | 'ir' | 'medsurg' | 'ed';
export type ItemCategory = 'implant' | 'sterile' | 'routine';

/** `purchasingGroup`: the group purchasing organisation whose contract tiers the facility buys on. */
export type Facility = { id: string; name: string; timezone: string; purchasingGroup: string | null; updatedAt: string };
export type Department = { id: string; facilityId: string; name: string; costCenterId: string; updatedAt: string };
export type Location = {
  id: string;
  facilityId: string;
  departmentId: string;
  name: string;
  managedBy: 'tendon' | 'cabinet';
  updatedAt: string;
};
/** `glAccountId`: the expense account supplies charged to the cost center are booked to. */
export type CostCenter = { id: string; facilityId: string; name: string; glAccountId: string | null; status: Status; updatedAt: string };
export type GlAccount = { id: string; name: string; status: Status; updatedAt: string };
/** A cost center's supply budget for one month (`YYYY-MM`): what finance allows, and what is already spent. */
export type Budget = {
  id: string;
  costCenterId: string;
  period: string;
  amount: string;
  consumed: string;
  currency: 'USD';
  updatedAt: string;
};
export type Supplier = { id: string; name: string; duns: string; gln: string; status: Status; updatedAt: string };
/** A packaging level above the base unit: how many base units (the item's `uom`) it holds, and its own GTIN-14. */
export type Packaging = { uom: 'BX' | 'CS'; quantity: number; gtin: string | null };
export type Item = {
  id: string;
  description: string;
  uom: string;
  gtin: string | null;
  /** Box and case, smallest first; empty for items sold only by the each (implants). */
  packaging: Packaging[];
  /** HIBCC primary data (labeler id + product number) for items whose maker labels with HIBCC, else null. */
  hibcc: string | null;
  manufacturer: string;
  catalogNumber: string;
  unspsc: string;
  supplierId: string;
  implant: boolean;
  /** A rep's consigned implant: the hospital owns it only once used, and buys it after the case on a bill-only PO. */
  consigned: boolean;
  lotControlled: boolean;
  serialControlled: boolean;
  expiryControlled: boolean;
  chargeable: boolean;
  status: Status;
  updatedAt: string;
};
export type ContractPrice = {
  id: string;
  itemId: string;
  supplierId: string;
  price: string;
  currency: 'USD';
  uom: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** Null on the network-wide price; set on a tier that only one facility or one purchasing group gets. */
  facilityId: string | null;
  purchasingGroup: string | null;
  updatedAt: string;
};
/** A charge made from cost: cost × (1 + percent/100), rounded up to a multiple of roundTo, at least minimum. */
export type Markup = { percent: number; roundTo: string; minimum: string | null };
export type ChargemasterLine = {
  id: string;
  itemId: string;
  chargeCode: string;
  revenueCode: '0278' | '0272';
  hcpcs: string | null;
  description: string;
  /** A fixed price, or null when `markup` prices the line from the contract cost. */
  price: string | null;
  markup: Markup | null;
  status: Status;
  updatedAt: string;
};
export type ParLevel = {
  id: string;
  locationId: string;
  itemId: string;
  par: number;
  reorderPoint: number;
  orderUnit: { uom: string; quantity: number };
  critical: boolean;
  /** Set only where the cabinet system reorders itself; elsewhere Tendon does. */
  managedBy?: 'cabinet';
  updatedAt: string;
};
export type Surgeon = { id: string; name: string; facilityId: string; serviceLine: ServiceLine };

/** The ERP's master-data entities, by URL name. */
export type MasterData = {
  facilities: Facility[];
  departments: Department[];
  locations: Location[];
  'cost-centers': CostCenter[];
  'gl-accounts': GlAccount[];
  budgets: Budget[];
  suppliers: Supplier[];
  items: Item[];
  'contract-prices': ContractPrice[];
  chargemaster: ChargemasterLine[];
  'par-levels': ParLevel[];
};
export type EntityName = keyof MasterData;
export const ENTITY_NAMES: readonly EntityName[] = [
  'facilities',
  'departments',
  'locations',
  'cost-centers',
  'gl-accounts',
  'budgets',
  'suppliers',
  'items',
  'contract-prices',
  'chargemaster',
  'par-levels',
];

/**
 * What the simulated world knows beyond the ERP's records: which department does what, which clinical
 * family an item belongs to, the surgeons. The traffic generator uses it to make realistic cases; the
 * ERP does not serve it.
 */
export type NetworkProfile = {
  departments: Record<string, { kind: DepartmentKind; serviceLine: ServiceLine | null }>;
  items: Record<string, { category: ItemCategory; family: string; serviceLine: ServiceLine | null }>;
  surgeons: Surgeon[];
};

export type Network = { seed: number; master: MasterData; profile: NetworkProfile };
