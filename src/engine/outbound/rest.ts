// REST JSON destinations: the role's REST codec, sent over a keep-alive HTTP pool with the Idempotency-Key header.
import { EncodeError, REST_CODECS, REST_ROLES } from '../../codecs/rest/index.ts';
import { createHttpOutbound } from '../../channels/http/outbound.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Outbound } from './index.ts';

export function createRestOutbound(cfg: DestinationConfig): Outbound {
  const transport = createHttpOutbound(cfg.url, { connections: cfg.concurrency, timeoutMs: cfg.timeoutMs });
  const role = REST_ROLES.find((r) => r === cfg.role);
  if (!role) throw new EncodeError(`no REST JSON codec for the ${cfg.role} role`); // the config schema refuses this first
  const codec = REST_CODECS[role];
  return {
    deliver: (d, ctx) => transport.send(codec(d, ctx), d.idempotencyKey),
    close: () => transport.close(),
  };
}
