// A destination's outbound channel: codec (pure) + transport (I/O), chosen by the destination's `kind`. The
// dispatcher sees only `deliver`, so adding a format never touches its ordering, retry or circuit logic.
import type { Delivery } from '../../core/types.ts';
import type { EncodeContext } from '../../codecs/rest/index.ts';
import type { SendResult } from '../../channels/http/outbound.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import { createCsvOutbound } from './csv.ts';
import { createFhirOutbound } from './fhir.ts';
import { createMllpOutbound } from './mllp.ts';
import { createNatsOutbound } from './nats.ts';
import { createRestOutbound } from './rest.ts';
import { createWebhookOutbound } from './webhook.ts';
import { createX12Outbound } from './x12.ts';

export interface Outbound {
  /** Encodes and sends one delivery; throws EncodeError when it cannot be encoded (the delivery goes dead). */
  deliver(delivery: Delivery, ctx: EncodeContext): Promise<SendResult>;
  close(): Promise<void>;
}

/** One creator per destination kind (config/schema.ts KIND_RULES says which roles and URLs each takes). */
const CREATORS: { [K in DestinationConfig['kind']]?: (cfg: DestinationConfig) => Outbound } = {
  http: createRestOutbound,
  mllp: createMllpOutbound,
  fhir: createFhirOutbound,
  webhook: createWebhookOutbound,
  nats: createNatsOutbound,
  csv: createCsvOutbound,
  x12: createX12Outbound,
};

export function createOutbound(cfg: DestinationConfig): Outbound {
  const create = CREATORS[cfg.kind];
  if (!create) throw new Error(`destination ${cfg.name}: the ${cfg.kind} kind has no outbound channel`);
  return create(cfg);
}

export type { SendResult };
