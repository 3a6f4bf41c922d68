// Canonical JSON events, whichever door they came through (POST /v1/events, a signed webhook, a NATS stream):
// read and validated, then ingested in one commit, resolving after it; or refused with every invalid field named,
// and kept as a refused message so the sender's mistake can be inspected. One path, so the doors can never answer
// differently.
import { invalid, TendonError } from '../../core/errors.ts';
import type { InboundEventT } from '../../model/events.ts';
import { parseEvents } from '../../model/validate.ts';
import type { Metrics } from '../metrics.ts';
import type { IngestResult, Pipeline } from '../pipeline.ts';

export interface CanonicalReceipt {
  channel: string;
  sourceId: string | null;
  /** The bytes as received: stored as the message, the replay source. */
  raw: Uint8Array;
  /** The body when the door already parsed it (the HTTP server does), or why it is not JSON. */
  parsed?: { body: unknown; bodyError?: string | undefined };
  /** The `channel` label of the ingest metrics. */
  metric: string;
  /** Where it came from, for the refusal's reason (a NATS subject and stream sequence). */
  origin?: string;
}

/** The bytes (or a body already parsed) → the events, or the validation error naming each bad field. Never throws on bad input. */
export function readCanonical(raw: Uint8Array, parsed?: CanonicalReceipt['parsed']):
  { ok: true; events: InboundEventT[] } | { ok: false; error: TendonError; sourceSystem: string } {
  const notJson = (why: string) => ({ ok: false as const, error: invalid(why, [{ path: '/', message: 'invalid JSON' }]), sourceSystem: 'unknown' });
  if (parsed?.bodyError) return notJson(parsed.bodyError);
  let body = parsed?.body;
  if (!parsed) {
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (e) {
      return notJson(`the body is not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    return { ok: true, events: parseEvents(body).events };
  } catch (error) {
    if (error instanceof TendonError) return { ok: false, error, sourceSystem: sourceOf(body) };
    throw error;
  }
}

/**
 * Ingests a receipt's events in one commit. An unreadable receipt is kept as a refused message and its error
 * thrown (a TendonError whose `extra.messageId` names the kept message), for the door to answer in its protocol.
 */
export async function receiveCanonical(deps: { pipeline: Pipeline; metrics: Metrics }, r: CanonicalReceipt): Promise<IngestResult[]> {
  const started = performance.now();
  const received = { channel: r.channel, sourceId: r.sourceId, contentType: 'application/json', raw: r.raw };
  const read = readCanonical(r.raw, r.parsed);
  if (!read.ok) {
    const fields = read.error.issues.slice(0, 20).map((i) => `${i.path} ${i.message}`).join('; ');
    const reason = `${read.error.message}${fields ? `: ${fields}` : ''}${r.origin ? ` (${r.origin})` : ''}`;
    read.error.extra.messageId = await deps.pipeline.refuse({ ...received, sourceSystem: read.sourceSystem }, reason);
    deps.metrics.messagesIn.inc({ channel: r.metric, result: 'refused' });
    throw read.error;
  }
  const results = await deps.pipeline.ingest({ ...received, sourceSystem: read.events[0]!.source.system, events: read.events });
  for (const [i, res] of results.entries()) {
    deps.metrics.eventsIn.inc({ type: read.events[i]!.type, result: res.duplicate ? 'duplicate' : res.status });
  }
  deps.metrics.messagesIn.inc({ channel: r.metric, result: 'accepted' });
  deps.metrics.ingestLatency.observe({ channel: r.metric }, (performance.now() - started) / 1000);
  return results;
}

/** The sender named in a body that failed validation, if it names one. */
function sourceOf(body: unknown): string {
  const first = Array.isArray(body) ? body[0] : body;
  const system = (first as { source?: { system?: unknown } } | undefined)?.source?.system;
  return typeof system === 'string' && system.length > 0 && system.length <= 128 ? system : 'unknown';
}
