// Signed webhooks, inbound: canonical JSON events POSTed to /v1/webhooks/{name}. They arrive over the hub's own
// HTTP server (the route is in the API, src/api/routes/webhooks.ts), so starting the channel only registers its
// decoder: a stored webhook message is reprocessed as the canonical JSON it is.
import type { WebhookInboundConfig } from '../../config/schema.ts';
import { decodeJson, type Decoders } from '../decoders.ts';

/** The channel its messages are stored under, and reprocessed by. */
export const webhookChannel = (name: string): string => `webhook:${name}`;

export async function startWebhookInbound(cfg: WebhookInboundConfig, deps: { decoders: Decoders }): Promise<{ close(): Promise<void> }> {
  deps.decoders.register(webhookChannel(cfg.name), decodeJson);
  return { close: async () => {} };
}
