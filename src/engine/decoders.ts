// How a stored message is turned back into inbound events for reprocessing: by the content type it arrived with.
// The formats issue adds HL7 v2, FHIR, X12 and CSV here; each decoder is pure.
import { invalid } from '../core/errors.ts';
import type { InboundEventT } from '../model/events.ts';
import { parseEvents } from '../model/validate.ts';

export type Decoder = (raw: Uint8Array) => InboundEventT[];

export const DECODERS: Record<string, Decoder> = {
  'application/json': (raw) => parseEvents(JSON.parse(Buffer.from(raw).toString('utf8'))).events,
};

export function decoderFor(contentType: string): Decoder {
  const decoder = DECODERS[contentType];
  if (!decoder) throw invalid(`no decoder for ${contentType}`);
  return decoder;
}
