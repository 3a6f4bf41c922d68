// The HTTP outbound transport: one keep-alive connection pool per destination (undici), the idempotency key in
// the `Idempotency-Key` header, a timeout per request, and every answer classified (REST's way unless the
// destination's protocol reads answers its own way, as FHIR does).
import { Pool } from 'undici';
import type { HttpRequestSpec } from '../../codecs/rest/index.ts';
import { readRestAnswer, type AnswerReader, type Classified } from './classify.ts';

export interface SendResult extends Classified {
  status: number | null;
  latencyMs: number;
}

/** A body already written in the destination's own format (an X12 interchange): sent as it is, with its type. */
export interface TextRequestSpec {
  method: 'POST' | 'PUT';
  path: string;
  text: string;
  contentType: string;
}

export interface HttpOutbound {
  send(request: HttpRequestSpec | TextRequestSpec, idempotencyKey: string): Promise<SendResult>;
  close(): Promise<void>;
}

export interface HttpOutboundOptions {
  connections: number;
  timeoutMs: number;
  /** The destination's own headers, made from the exact body sent (a bearer token, a content type, a signature). */
  headers?: (body: string) => Record<string, string>;
  read?: AnswerReader;
}

export function createHttpOutbound(url: string, options: HttpOutboundOptions): HttpOutbound {
  const read = options.read ?? readRestAnswer;
  const base = new URL(url);
  const prefix = base.pathname.replace(/\/$/, '');
  const pool = new Pool(base.origin, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: Math.min(options.timeoutMs, 5000),
  });
  return {
    async send(request, idempotencyKey) {
      const started = performance.now();
      try {
        const body = 'text' in request ? request.text : JSON.stringify(request.json);
        const res = await pool.request({
          method: request.method,
          path: prefix + request.path || '/',
          headers: {
            'content-type': 'text' in request ? request.contentType : 'application/json', 'idempotency-key': idempotencyKey,
            ...options.headers?.(body), ...('headers' in request ? request.headers : {}),
          },
          body,
        }); // the pool's headersTimeout and bodyTimeout bound every request: no timer per request
        const text = await res.body.text();
        let answer: unknown = text;
        try {
          answer = text ? JSON.parse(text) : null;
        } catch { /* a non-JSON answer is kept as text for the reason */ }
        const header = (name: string) => {
          const v = res.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const c = read({ status: res.statusCode, body: answer, header }, Date.now());
        return { ...c, status: res.statusCode, latencyMs: performance.now() - started };
      } catch (error) {
        // No answer: connection refused or reset, or a timeout. The effect may or may not have happened; the
        // retry carries the same idempotency key, so it is safe either way.
        const e = error as Error & { code?: string };
        return {
          outcome: 'retryable', reason: `${e.code ?? e.name}: ${e.message}`, remoteRef: null, retryAfterMs: null,
          status: null, latencyMs: performance.now() - started,
        };
      }
    },
    close: () => pool.close(),
  };
}
