import type { DestinationRole } from '../../flows/plan.ts';
import { billingCodec } from './billing.ts';
import type { RestCodec } from './codec.ts';
import { erpCodec } from './erp.ts';
import { inventoryCodec } from './inventory.ts';
import { procurementCodec } from './procurement.ts';

/** The roles whose systems take Tendon's REST JSON (suppliers speak X12 or FHIR; analytics takes events as they are). */
export const REST_ROLES = ['erp', 'inventory', 'billing', 'procurement'] as const satisfies readonly DestinationRole[];
export const REST_CODECS: Record<(typeof REST_ROLES)[number], RestCodec> = {
  erp: erpCodec, inventory: inventoryCodec, billing: billingCodec, procurement: procurementCodec,
};
export { EncodeError, type EncodeContext, type HttpRequestSpec, type RestCodec } from './codec.ts';
