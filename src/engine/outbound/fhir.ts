// FHIR R4 destinations: a delivery becomes one or more resources (codecs/fhir, pure), each POSTed to the server's
// base as a conditional create (`If-None-Exist: identifier=urn:tendon:delivery|<key>`), so a retry after a lost
// answer, or a redelivery, finds the first resource instead of making a second one.
//   billing   charge.post → ChargeItem; charge.credit → an offsetting ChargeItem (negative quantity)
//   erp       requisition.create → SupplyRequest
//   supplier  purchase-order.send → a SupplyRequest per PO line (sent in line order; each line its own create)
//   reverse   the reversed delivery's resources again, entered-in-error, as conditional updates (PUT
//             [base]/[type]?identifier=…) — the first resource should never have been
// Answers are read by the FHIR codec (OperationOutcome diagnostics as the reason) and Retry-After is honoured, over
// the same HTTP transport as REST destinations.
import { retryAfterMs, type AnswerReader } from '../../channels/http/classify.ts';
import { createHttpOutbound, type SendResult } from '../../channels/http/outbound.ts';
import {
  encodeChargeCredit, encodeChargeItem, encodePurchaseOrder, encodeSupplyRequest, enteredInError, readFhirAnswer,
  type ChargeItem, type ChargeItemContext, type Encoded, type SupplyRequest,
} from '../../codecs/fhir/index.ts';
import { EncodeError, type EncodeContext, type HttpRequestSpec } from '../../codecs/rest/index.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Outbound } from './index.ts';
import { revealedMrn } from './patient.ts';

const FHIR_JSON = 'application/fhir+json';

/** The resources of one delivery action, from its body; the patient is in the context (its MRN only with phi). */
type Encoder = (body: Record<string, unknown>, ctx: ChargeItemContext) => Encoded<ChargeItem | SupplyRequest>[];

const ENCODERS: Record<string, Encoder> = {
  'charge.post': (body, ctx) => [encodeChargeItem(body, ctx)],
  'charge.credit': (body, ctx) => [encodeChargeCredit(body, ctx)],
  'requisition.create': (body, ctx) => [encodeSupplyRequest(body, ctx)],
  'purchase-order.send': encodePurchaseOrder,
};

/** Retry-After matters only when the server asks to wait; the rest is the FHIR codec's reading of the answer. */
const readFhirResponse: AnswerReader = (answer, now) => {
  const read = readFhirAnswer(answer.status, answer.body, answer.header('location'));
  return { ...read, retryAfterMs: read.outcome === 'retryable' ? retryAfterMs(answer.header('retry-after'), now) : null };
};

function patientOf(body: Record<string, unknown>, revealed: ReadonlyMap<string, string>): ChargeItemContext['patient'] {
  const mrn = revealedMrn(body, revealed);
  return mrn ? { mrn } : { token: (body.patient as { token?: string } | undefined)?.token ?? '' };
}

/** One HTTP request, and the conditional reference (`ChargeItem?identifier=…`) that finds its resource whatever the answer. */
interface FhirRequest {
  request: HttpRequestSpec;
  conditionalRef: string;
}

/** The requests of one delivery: conditional creates for a new effect; withdrawing conditional updates for a reversal. */
function fhirRequests(d: { action: string; body: Record<string, unknown>; idempotencyKey: string }, ctx: EncodeContext, now: string): FhirRequest[] {
  const original = d.action === 'reverse' ? ctx.reversed : undefined;
  const [action, body, key] = original ? [original.action, original.body, original.idempotencyKey] : [d.action, d.body, d.idempotencyKey];
  const encoder = ENCODERS[action];
  if (!encoder) throw new EncodeError(`a FHIR destination has no resource for ${action}`);
  if (!key) throw new EncodeError('a FHIR reversal needs the key of the delivery it reverses: its resources\' identifier');
  return encoder(body, { idempotencyKey: key, now, patient: patientOf(body, ctx.revealed) }).map((encoded) => {
    const { resource, ifNoneExist } = original ? enteredInError(encoded) : encoded;
    const conditionalRef = `${resource.resourceType}?${ifNoneExist}`;
    const request: HttpRequestSpec = original
      ? { method: 'PUT', path: `/${conditionalRef}`, json: { ...resource } }
      : { method: 'POST', path: `/${resource.resourceType}`, json: { ...resource }, headers: { 'if-none-exist': ifNoneExist } };
    return { request, conditionalRef };
  });
}

export function createFhirOutbound(cfg: DestinationConfig): Outbound {
  const token = cfg.fhir.bearerToken;
  const transport = createHttpOutbound(cfg.url, {
    connections: cfg.concurrency, timeoutMs: cfg.timeoutMs, read: readFhirResponse,
    headers: () => ({ 'content-type': FHIR_JSON, accept: FHIR_JSON, ...(token ? { authorization: `Bearer ${token}` } : {}) }),
  });
  return {
    async deliver(d, ctx) {
      // One request at a time, in order: a purchase order's lines stop at the first that does not succeed, and the
      // retry sends them all again, the lines already created finding themselves (conditional create).
      const refs: string[] = [];
      let latencyMs = 0;
      let last: SendResult | undefined;
      for (const { request, conditionalRef } of fhirRequests(d, ctx, new Date().toISOString())) {
        last = await transport.send(request, d.idempotencyKey);
        latencyMs += last.latencyMs;
        if (last.outcome !== 'success') return { ...last, latencyMs };
        // A server may answer with neither Location nor a body: the conditional reference still names the resource,
        // and a delivered effect needs a reference, or its later reversal would be skipped as "nothing to undo".
        refs.push(last.remoteRef ?? conditionalRef);
      }
      return { ...last!, remoteRef: refs.join(' '), latencyMs };
    },
    close: () => transport.close(),
  };
}
