// REST JSON destinations: the role's REST codec, sent over a keep-alive HTTP pool with the Idempotency-Key header.
import { REST_CODECS } from '../../codecs/rest/index.ts';
import { createHttpOutbound } from '../../channels/http/outbound.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Outbound } from './index.ts';

export function createRestOutbound(cfg: DestinationConfig): Outbound {
  const transport = createHttpOutbound(cfg.url, { connections: cfg.concurrency, timeoutMs: cfg.timeoutMs });
  const codec = REST_CODECS[cfg.role];
  return {
    deliver: (d, ctx) => transport.send(codec(d, ctx), d.idempotencyKey),
    close: () => transport.close(),
  };
}
