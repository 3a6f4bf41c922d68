// Record shapes of the seeded network, as the ERP serves them. Every master-data record has `id` and
// `updatedAt`; money is a decimal string, never a float.

export type Status = 'active' | 'inactive';
export type ServiceLine = 'orthopaedics' | 'general surgery' | 'cardiology' | 'interventional radiology';
export type DepartmentKind = 'or' | 'cathlab' | 'ir' | 'medsurg' | 'ed';
export type ItemCategory = 'implant' | 'sterile' | 'routine';

export type Facility = { id: string; name: string; timezone: string; updatedAt: string };
export type Department = { id: string; facilityId: string; name: string; costCenterId: string; updatedAt: string };
export type Location = {
  id: string;
  facilityId: string;
  departmentId: string;
  name: string;
  managedBy: 'tendon' | 'cabinet';
  updatedAt: string;
};
export type CostCenter = { id: string; facilityId: string; name: string; status: Status; updatedAt: string };
export type Supplier = { id: string; name: string; duns: string; gln: string; status: Status; updatedAt: string };
export type Item = {
  id: string;
  description: string;
  uom: string;
  gtin: string | null;
  manufacturer: string;
  catalogNumber: string;
  unspsc: string;
  supplierId: string;
  implant: boolean;
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
  updatedAt: string;
};
export type ChargemasterLine = {
  id: string;
  itemId: string;
  chargeCode: string;
  revenueCode: '0278' | '0272';
  hcpcs: string | null;
  description: string;
  price: string;
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
  updatedAt: string;
};
export type Surgeon = { id: string; name: string; facilityId: string; serviceLine: ServiceLine };

/** The ERP's master-data entities, by URL name. */
export type MasterData = {
  facilities: Facility[];
  departments: Department[];
  locations: Location[];
  'cost-centers': CostCenter[];
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
