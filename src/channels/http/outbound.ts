// The HTTP outbound transport: one keep-alive connection pool per destination (undici), the idempotency key in
// the `Idempotency-Key` header, a timeout per request, and every answer classified.
import { Pool } from 'undici';
import type { HttpRequestSpec } from '../../codecs/rest/index.ts';
import { classify, type Classified } from './classify.ts';

export interface SendResult extends Classified {
  status: number | null;
  latencyMs: number;
}

export interface HttpOutbound {
  send(request: HttpRequestSpec, idempotencyKey: string): Promise<SendResult>;
  close(): Promise<void>;
}

export function createHttpOutbound(url: string, options: { connections: number; timeoutMs: number }): HttpOutbound {
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
        const res = await pool.request({
          method: request.method,
          path: prefix + request.path,
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(request.json),
        }); // the pool's headersTimeout and bodyTimeout bound every request: no timer per request
        const text = await res.body.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch { /* a non-JSON answer is kept as text for the reason */ }
        const retryAfter = res.headers['retry-after'];
        const c = classify(res.statusCode, body, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now());
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
