// REST JSON codecs: a delivery (action + enriched body) → the HTTP request a destination's API expects. Pure: the
// dispatcher resolves everything that needs I/O (revealed PHI, the remote id of an effect being reversed) first.
import type { Delivery } from '../../core/types.ts';

export interface HttpRequestSpec {
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  json: Record<string, unknown>;
  /** Headers of this request alone, e.g. a FHIR conditional create's If-None-Exist. */
  headers?: Record<string, string>;
}

export interface EncodeContext {
  /** Patient identifiers in clear, by token: present only for destinations allowed to receive PHI. */
  revealed: ReadonlyMap<string, string>;
  /** For action "reverse": the reversed delivery's action and body, and the destination's id for its effect. */
  reversed?: {
    action: string; remoteRef: string; body: Record<string, unknown>;
    /** The reversed delivery's own key: FHIR finds the resource that delivery created by it (its identifier). */
    idempotencyKey?: string;
  };
}

export type RestCodec = (delivery: Delivery, ctx: EncodeContext) => HttpRequestSpec;

export const reference = (d: Delivery) => ({ eventId: d.eventId, correlationId: d.correlationId, deliveryId: d.id });

export class EncodeError extends Error {}

/** The collection an effect lives in, so a reversal can address it. */
export function reversalPath(collections: Record<string, string>, ctx: EncodeContext): string {
  if (!ctx.reversed) throw new EncodeError('a reversal needs the reversed effect');
  const collection = collections[ctx.reversed.action];
  if (!collection) throw new EncodeError(`no reversal is known for ${ctx.reversed.action}`);
  return `/${collection}/${encodeURIComponent(ctx.reversed.remoteRef)}/reversal`;
}
