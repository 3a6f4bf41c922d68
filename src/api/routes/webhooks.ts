// POST /v1/webhooks/{name} — canonical JSON events from a sender that signs them instead of holding an API token.
// The Tendon-Signature header is the authentication (security/signature.ts): the channel's secret, over the exact
// bytes received and a timestamp within its tolerance. A request that fails it is answered 401 and its body kept
// as a refused message, so a misconfigured sender (or an attacker) can be inspected. A request that passes is
// received exactly as POST /v1/events receives it: the same validation, answers and duplicate handling.
import type { FastifyInstance } from 'fastify';
import type { WebhookInboundConfig } from '../../config/schema.ts';
import { notFound, unauthorized } from '../../core/errors.ts';
import { webhookChannel } from '../../engine/inbound/webhook.ts';
import { SIGNATURE_HEADER, verifySignature } from '../../security/signature.ts';
import type { ApiContext } from '../context.ts';
import { receiveCanonical } from '../../engine/inbound/canonical.ts';

export function webhookRoutes(app: FastifyInstance, ctx: ApiContext) {
  const channels = new Map(
    ctx.config.inbound.filter((c): c is WebhookInboundConfig => c.kind === 'webhook').map((c) => [c.name, c]),
  );

  // Registered in its own scope so that a body of any content type reaches the route as bytes: the signature is over
  // the raw body, and a body that is not JSON is refused (and kept) here rather than by the framework.
  void app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      request.bodyError = `the body must be application/json, not ${request.headers['content-type'] ?? 'untyped'}`;
      done(null, undefined);
    });

    scope.post<{ Params: { name: string } }>('/v1/webhooks/:name', async (request, reply) => {
      const cfg = channels.get(request.params.name);
      if (!cfg) throw notFound(`webhook channel ${request.params.name}`);
      const channel = webhookChannel(cfg.name);
      const raw = request.rawBody ?? Buffer.alloc(0);
      const header = request.headers[SIGNATURE_HEADER];
      const verified = verifySignature(Array.isArray(header) ? header.join(',') : header, raw, cfg.secret, {
        nowSeconds: Math.floor(Date.now() / 1000), toleranceSeconds: cfg.toleranceSeconds,
      });
      if (!verified.ok) {
        // Nothing in an unauthenticated body is trusted, not even the source it names: it is kept under the channel.
        const messageId = await ctx.pipeline.refuse(
          { channel, sourceSystem: channel, sourceId: null, contentType: 'application/json', raw }, `401 ${verified.detail}`,
        );
        ctx.metrics.messagesIn.inc({ channel: cfg.name, result: 'refused' });
        const error = unauthorized(verified.detail);
        error.extra.messageId = messageId;
        throw error;
      }
      const idempotencyKey = request.headers['idempotency-key'];
      const results = await receiveCanonical(ctx, {
        channel, sourceId: typeof idempotencyKey === 'string' ? idempotencyKey : null, raw,
        parsed: { body: request.body, bodyError: request.bodyError }, metric: cfg.name,
      });
      return reply.code(202).send({ results });
    });
  });
}
