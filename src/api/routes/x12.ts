// POST /v1/x12/{channel} — an X12 interchange from a supplier (855, 856, 810, 832, or a 997/999 for Tendon's 850s),
// as application/edi-x12 or text/plain, with an operator token. Answered after the commit with the interchange X12
// expects back: 200 and the 997/999 (or nothing, for a partner's own acknowledgments), 400 and a TA1 when the
// envelope cannot be trusted. `X-Tendon-Duplicate: true` says the interchange was already taken: no new effect.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { X12InboundConfig } from '../../config/schema.ts';
import { notFound, TendonError } from '../../core/errors.ts';
import { X12_CONTENT_TYPE } from '../../codecs/x12/index.ts';
import { createX12Receiver } from '../../engine/inbound/x12.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export const DUPLICATE_HEADER = 'x-tendon-duplicate';

export function x12Routes(app: FastifyInstance, ctx: ApiContext, auth: Auth, log: Logger) {
  const receivers = new Map(
    ctx.config.inbound.filter((c): c is X12InboundConfig => c.kind === 'x12')
      .map((c) => [c.name, createX12Receiver(c, { pipeline: ctx.pipeline, metrics: ctx.metrics, store: ctx.store, acks: ctx.acks, log })]),
  );

  // Its own scope: the interchange reaches the route as the bytes sent (it is stored exactly as received), and the
  // text/plain parser here does not change how other routes read text.
  void app.register(async (scope) => {
    scope.addContentTypeParser([X12_CONTENT_TYPE, 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { channel: string } }>('/v1/x12/:channel', { preHandler: auth.require('operator') }, async (request, reply) => {
      const receiver = receivers.get(request.params.channel);
      if (!receiver) throw notFound(`X12 channel ${request.params.channel}`);
      const body = request.body ?? Buffer.alloc(0);
      if (!Buffer.isBuffer(body)) {
        throw new TendonError('unsupported-media-type', 'invalid', 415, `an X12 interchange is sent as ${X12_CONTENT_TYPE} or text/plain`);
      }
      const receipt = await receiver.receive(body);
      if (receipt.duplicate) reply.header(DUPLICATE_HEADER, 'true');
      reply.code(receipt.outcome === 'refused' ? 400 : 200);
      return receipt.answer === null ? reply.send() : reply.type(X12_CONTENT_TYPE).send(receipt.answer);
    });
  });
}
