import type { DestinationRole } from '../../flows/plan.ts';
import { billingCodec } from './billing.ts';
import type { RestCodec } from './codec.ts';
import { erpCodec } from './erp.ts';
import { inventoryCodec } from './inventory.ts';

export const REST_CODECS: Record<DestinationRole, RestCodec> = { erp: erpCodec, inventory: inventoryCodec, billing: billingCodec };
export { EncodeError, type EncodeContext, type HttpRequestSpec, type RestCodec } from './codec.ts';
