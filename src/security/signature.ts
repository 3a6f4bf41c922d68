// Signed webhooks, both ways, with one scheme (Stripe's): Tendon signs what it posts to a webhook destination and
// verifies what a sender posts to a webhook channel.
//
//   Tendon-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// The timestamp is inside the signed text, so a captured request cannot be replayed once it falls outside the
// tolerance window, and cannot be re-dated. A header may carry several v1 entries: a sender rotating its secret
// signs with the old and the new one, and a receiver holding either accepts. Pure: the time comes in.
// node:crypto is the library here: HMAC-SHA256 and a constant-time compare are all the scheme needs.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'tendon-signature';

/** The hex HMAC-SHA256 of "<timestamp>.<body>": the body exactly as its bytes go over the wire. */
export function signatureOf(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The Tendon-Signature header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

export type Verification =
  | { ok: true; timestamp: number }
  | { ok: false; problem: 'missing' | 'malformed' | 'mismatch' | 'expired'; detail: string };

/** `t=…` and every `v1=…` of a header; unknown schemes (a future v2) are skipped, as Stripe's receivers do. */
function parse(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const [key, value] = [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    if (key === 't' && /^\d{1,12}$/.test(value) && timestamp === null) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a request: the header's form, then the signature (compared in constant time, so its bytes cannot be
 * guessed one at a time), then the time. The signature is checked before the time so that a stale but authentic
 * request is told apart, in the refusal, from a forged one.
 */
export function verifySignature(
  header: string | undefined,
  body: string | Uint8Array,
  secret: string,
  options: { nowSeconds: number; toleranceSeconds: number },
): Verification {
  if (header === undefined || header.trim() === '') {
    return { ok: false, problem: 'missing', detail: 'the Tendon-Signature header is missing' };
  }
  const parsed = parse(header);
  if (!parsed) {
    return { ok: false, problem: 'malformed', detail: 'the Tendon-Signature header is not t=<unix seconds>,v1=<hex HMAC-SHA256>' };
  }
  const expected = Buffer.from(signatureOf(secret, parsed.timestamp, body), 'hex');
  if (!parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))) {
    return { ok: false, problem: 'mismatch', detail: 'no v1 signature matches the body with this channel\'s secret' };
  }
  const skew = parsed.timestamp - options.nowSeconds;
  if (Math.abs(skew) > options.toleranceSeconds) {
    return {
      ok: false, problem: 'expired',
      detail: `the signature was made ${Math.abs(skew)} s ${skew < 0 ? 'ago' : 'ahead of now'}, outside the ±${options.toleranceSeconds} s tolerance: a replayed or mis-dated request is refused`,
    };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
