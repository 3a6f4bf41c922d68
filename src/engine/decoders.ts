// How a stored message is turned back into inbound events for reprocessing: by the content type it arrived with.
// The formats issue adds HL7 v2, FHIR, X12 and CSV here; each decoder is pure.
import { invalid } from '../core/errors.ts';
import type { InboundEventT } from '../model/events.ts';
import { parseEvents } from '../model/validate.ts';
import { maskHl7 } from '../codecs/hl7v2/index.ts';
import { decodeFhir, maskFhir } from '../codecs/fhir/index.ts';
import { CSV_MEDIA_TYPE, maskCsv } from '../codecs/csv/index.ts';
import { maskX12, X12_CONTENT_TYPE } from '../codecs/x12/index.ts';

/**
 * Raw bytes of a stored message → its events again; the message says who sent it (some formats scope keys by it)
 * and when (a CSV item load's rows take the time their file arrived).
 */
export type Decoder = (raw: Uint8Array, message: { sourceSystem: string; receivedAt?: string }) => InboundEventT[];

/** Canonical JSON events, as POST /v1/events, signed webhooks and NATS messages carry them. */
export const decodeJson: Decoder = (raw) => parseEvents(JSON.parse(Buffer.from(raw).toString('utf8'))).events;

const decodeFhirMessage: Decoder = (raw, message) => {
  const decoded = decodeFhir(Buffer.from(raw), { sourceSystem: message.sourceSystem });
  if (!decoded.ok) throw invalid(`${decoded.status}: ${decoded.outcome.issue.map((i) => i.diagnostics).join('; ')}`);
  return decoded.events;
};

/**
 * The decoder of each channel (channels read their input with their own options, e.g. an HL7 sender's Z-segment
 * layout), falling back to the decoder of the content type.
 */
export function createDecoders() {
  const byChannel = new Map<string, Decoder>();
  const byType = new Map<string, Decoder>([['application/json', decodeJson], ['application/fhir+json', decodeFhirMessage]]);
  return {
    register(channel: string, decoder: Decoder): void {
      byChannel.set(channel, decoder);
    },
    for(message: { channel: string; contentType: string }): Decoder {
      const decoder = byChannel.get(message.channel) ?? byType.get(message.contentType);
      if (!decoder) throw invalid(`no decoder for ${message.channel} (${message.contentType})`);
      return decoder;
    },
  };
}
export type Decoders = ReturnType<typeof createDecoders>;

/**
 * Masks PHI in a raw message for display. Every content type Tendon receives has one; others are not shown. Found by
 * media type; the whole content type is passed on (a CSV's parameters say which of its columns to mask).
 */
export type Masker = (raw: string, contentType: string) => string;

/** Replaces every patient identifier in a JSON document, wherever it sits. */
function maskJson(raw: string): string {
  const mask = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(mask);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'patient' && x && typeof x === 'object' && 'identifier' in x ? { ...(x as object), identifier: '***' } : mask(x)]));
    }
    return v;
  };
  try {
    return JSON.stringify(mask(JSON.parse(raw)), null, 2);
  } catch {
    // Not JSON (it was refused for that): show no more than its size; it may hold anything.
    return `[${raw.length} characters that are not JSON; not shown, as they may carry PHI]`;
  }
}

export const MASKERS: Record<string, Masker> = {
  'application/json': maskJson,
  'application/hl7-v2': maskHl7,
  'application/fhir+json': maskFhir,
  [CSV_MEDIA_TYPE]: maskCsv,
  [X12_CONTENT_TYPE]: maskX12, // supply documents carry no PHI; a claim posted by mistake is masked (codecs/x12/mask.ts)
};

/** The masker of a content type, bound to it. */
export function maskerFor(contentType: string): (raw: string) => string {
  const masker = MASKERS[contentType.split(';')[0]!.trim().toLowerCase()];
  return masker ? (raw) => masker(raw, contentType) : (raw) => `[${raw.length} characters of ${contentType}; no PHI mask is known, not shown]`;
}

