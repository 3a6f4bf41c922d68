// Errors as RFC 9457 problem+json, from the one error registry (core/errors.ts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { invalid, TendonError } from '../core/errors.ts';
import { issuesOf } from '../model/validate.ts';

/** A query or body checked against its schema: the value, or a 400 problem whose errors point at each field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'invalid parameters'): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalid(what, issuesOf(r.error));
  return r.data;
}

export function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/problem+json').send({
    type: `https://tendon.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, status, detail, ...extra,
  });
}

export const errorHandler = (log: Logger) => (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
  if (error instanceof TendonError) {
    return sendProblem(reply, error.status, error.code, error.message, { ...error.extra, ...(error.issues.length ? { errors: error.issues } : {}) });
  }
  const status = (error as FastifyError).statusCode;
  if (status && status < 500) return sendProblem(reply, status, (error as FastifyError).code ?? 'bad-request', error.message);
  log.error({ err: error, method: request.method, url: request.url }, 'request failed');
  return sendProblem(reply, 500, 'internal-error', 'the request failed; the hub log has the details');
};
