// Traces (OpenTelemetry): one `tendon.ingest` span per inbound message (decode → durable commit), one
// `tendon.deliver` span per delivery attempt, and one span per later operation on a business transaction
// (`tendon.reprocess`, `tendon.redeliver`, `tendon.release`, `tendon.decide`), exported over OTLP/HTTP (JSON
// bodies) when the standard OTEL_* variables ask for it. Off by default, and off costs nothing per message: every
// helper here returns at once with one shared non-recording span, and nothing builds attributes unless a span
// records.
//
// A trace IS a Tendon business transaction: the trace id of every span is derived from the correlation id (the
// first 16 bytes of its SHA-256), so the ingest of a surgical case, each of its deliveries, their retries and a
// later return of the same case all land in one trace, found in Jaeger or Tempo from the case id alone, without
// storing a span context anywhere. The deliveries are roots of their own in that trace rather than children of the
// ingest span: a delivery attempt can come days later, from another process after a restart, and its parent would
// be known only if it were stored. Sampling by trace id (OTEL_TRACES_SAMPLER=traceidratio) therefore keeps or
// drops a business transaction whole.
//
// The SDK reads the rest of the standard variables itself: OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS,
// _TIMEOUT, _COMPRESSION and the certificate files (the exporter), OTEL_BSP_* (the batch span processor),
// OTEL_TRACES_SAMPLER(_ARG) and the span limits (the provider), OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
// (the resource's env detector). Tendon's provider is its own, not registered as the global one: the hub's spans
// do not depend on, nor disturb, whatever else the process sets up.
import { createHash } from 'node:crypto';
import { diag, DiagLogLevel, INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Delivery } from '../core/types.ts';

type Env = Record<string, string | undefined>;

export interface TracingChoice {
  on: boolean;
  /** Why it is on or off, for the log line at start. */
  why: string;
  /** Where spans go (credentials removed), when on. */
  endpoint: string | null;
  /** Variables Tendon cannot honour as asked, said once at start. */
  warnings: string[];
}

/**
 * Whether the standard variables ask for traces: OTEL_TRACES_EXPORTER=otlp, or, with it unset, an OTLP endpoint;
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keeps tracing off. Pure, so it can be tested on any env.
 */
export function tracingChoice(env: Env): TracingChoice {
  const get = (name: string) => env[name]?.trim() || undefined;
  const warnings: string[] = [];
  const off = (why: string): TracingChoice => ({ on: false, why, endpoint: null, warnings });
  if (get('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return off('OTEL_SDK_DISABLED=true');
  const exporters = get('OTEL_TRACES_EXPORTER')?.toLowerCase().split(',').map((e) => e.trim()).filter(Boolean);
  if (exporters) {
    if (exporters.includes('none')) return off('OTEL_TRACES_EXPORTER=none');
    const others = exporters.filter((e) => e !== 'otlp');
    if (others.length > 0) warnings.push(`OTEL_TRACES_EXPORTER: ${others.join(', ')} not supported (Tendon exports traces over OTLP only); ignored`);
    if (!exporters.includes('otlp')) return off(`OTEL_TRACES_EXPORTER=${exporters.join(',')} names no exporter Tendon has`);
  } else if (!get('OTEL_EXPORTER_OTLP_ENDPOINT') && !get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')) {
    return off('no OTEL_TRACES_EXPORTER or OTLP endpoint set');
  }
  const protocol = get('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? get('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol === 'grpc') {
    warnings.push('OTLP over gRPC is not supported: Tendon exports traces over OTLP/HTTP with JSON bodies (http/json). '
      + 'Point OTEL_EXPORTER_OTLP_ENDPOINT at the collector\'s OTLP/HTTP port (4318 by default), not its gRPC port (4317)');
  }
  return { on: true, why: exporters ? 'OTEL_TRACES_EXPORTER=otlp' : 'an OTLP endpoint is set', endpoint: endpointOf(env), warnings };
}

/** The traces URL as the exporter builds it (signal endpoint as given; the general one + /v1/traces), for the log. */
function endpointOf(env: Env): string {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const raw = specific || (general ? `${general.replace(/\/$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces');
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(not a URL: the exporter will say so)';
  }
}

/** The trace id of a business transaction: the first 16 bytes of SHA-256 of its correlation id, in hex. */
export function traceIdOf(correlationId: string): string {
  return createHash('sha256').update(correlationId).digest('hex').slice(0, 32);
}

// What a span needs from the SDK's id generator: a trace id chosen by the caller for the next root span.
interface CorrelatedIds {
  next: string | undefined;
}

let tracer: Tracer | null = null;
let ids: CorrelatedIds | null = null;
let running: { users: number; stop: () => Promise<void> } | null = null;
let starting: Promise<void> | null = null; // hubs started together wait for the one provider

/** One shared span for everything while tracing is off (or a span is not sampled): no allocation per message. */
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface Tracing {
  /** Flushes the spans still buffered and stops exporting (the last hub of the process to stop does it). */
  stop(): Promise<void>;
}

/**
 * Starts exporting when the standard variables ask for it (see tracingChoice). The SDK is loaded only then. Hubs in
 * one process (tests) share one provider; the last to stop shuts it down.
 */
export async function startTracing(log: Logger): Promise<Tracing> {
  const choice = tracingChoice(process.env);
  for (const warning of choice.warnings) log.warn(warning);
  if (!choice.on) return { stop: async () => {} };
  if (!running) await (starting ??= startProvider(log, choice).finally(() => (starting = null)));
  running!.users++;
  return user();
}

async function startProvider(log: Logger, choice: TracingChoice): Promise<void> {
  const [{ NodeTracerProvider, BatchSpanProcessor, RandomIdGenerator }, { OTLPTraceExporter }, resources, semconv] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  // The SDK's own troubles (an export the collector refused, a queue full) go to the hub's log, at OTEL_LOG_LEVEL.
  const otel = log.child({ component: 'opentelemetry' });
  diag.setLogger({
    error: (m) => otel.error(m), warn: (m) => otel.warn(m), info: (m) => otel.info(m), debug: (m) => otel.debug(m), verbose: (m) => otel.trace(m),
  }, diagLevel(process.env.OTEL_LOG_LEVEL));
  // OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES, then `tendon` (the env detector does the first two).
  const resource = resources.defaultResource()
    .merge(resources.resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: 'tendon' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const random = new RandomIdGenerator();
  const correlated: CorrelatedIds & { generateTraceId(): string; generateSpanId(): string } = {
    next: undefined,
    // Called synchronously by startSpan for a root span, right after startRootSpan sets `next`.
    generateTraceId() {
      const id = this.next ?? random.generateTraceId();
      this.next = undefined;
      return id;
    },
    generateSpanId: () => random.generateSpanId(),
  };
  const provider = new NodeTracerProvider({
    resource, idGenerator: correlated, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracer = provider.getTracer('tendon');
  ids = correlated;
  running = {
    users: 0,
    async stop() {
      tracer = null;
      ids = null;
      await provider.shutdown().catch((e: Error) => otel.warn({ err: e.message }, 'could not export the last spans'));
      diag.disable();
    },
  };
  log.info({ endpoint: choice.endpoint, why: choice.why }, 'exporting traces over OTLP/HTTP');
}

/** One hub's hold on the shared provider, released once. */
function user(): Tracing {
  let released = false;
  return {
    async stop() {
      if (released || !running) return;
      released = true;
      if (--running.users > 0) return;
      const last = running;
      running = null;
      await last.stop();
    },
  };
}

function diagLevel(value: string | undefined): DiagLogLevel {
  const levels: Record<string, DiagLogLevel> = {
    NONE: DiagLogLevel.NONE, ERROR: DiagLogLevel.ERROR, WARN: DiagLogLevel.WARN, INFO: DiagLogLevel.INFO,
    DEBUG: DiagLogLevel.DEBUG, VERBOSE: DiagLogLevel.VERBOSE, ALL: DiagLogLevel.ALL,
  };
  return levels[value?.trim().toUpperCase() ?? ''] ?? DiagLogLevel.WARN;
}

/** A root span in the trace of `correlationId` (a random trace when there is none). */
function startRootSpan(t: Tracer, name: string, kind: SpanKind, correlationId: string | undefined, startTime?: number): Span {
  if (ids && correlationId) ids.next = traceIdOf(correlationId);
  const span = t.startSpan(name, { kind, root: true, startTime });
  if (ids) ids.next = undefined; // not consumed (a provider not ours): never leak into the next span
  return span;
}

const LISTED = 20; // a CSV file can carry thousands of events: span attributes list the first few, and count all

/**
 * The span of one inbound message, started when it arrived (`startTime`, a performance.now() reading) and ended by
 * endIngestSpan after its commit. Its trace is its first event's business transaction.
 */
export function startIngestSpan(
  messageId: string,
  input: { channel: string; sourceSystem: string; sourceId: string | null },
  prepared: readonly { event: { type: string; correlationId: string } }[],
  startTime?: number,
): Span {
  if (!tracer) return NOT_RECORDING;
  const span = startRootSpan(tracer, 'tendon.ingest', SpanKind.CONSUMER, prepared[0]?.event.correlationId, startTime);
  if (!span.isRecording()) return span;
  const correlations = new Set<string>();
  const types = new Set<string>();
  for (const { event } of prepared) {
    if (correlations.size < LISTED) correlations.add(event.correlationId);
    types.add(event.type);
  }
  const attributes: Attributes = {
    'tendon.channel': input.channel, 'tendon.source_system': input.sourceSystem, 'tendon.message_id': messageId,
    'tendon.event_count': prepared.length, 'tendon.event_types': [...types],
  };
  if (input.sourceId !== null) attributes['tendon.source_id'] = input.sourceId;
  if (prepared.length > 0) {
    attributes['tendon.correlation_id'] = prepared[0]!.event.correlationId;
    attributes['tendon.correlation_ids'] = [...correlations];
  }
  span.setAttributes(attributes);
  return span;
}

/**
 * Ends an ingest span with the message's result: `refused` (it could not be turned into events), `duplicate`
 * (every event was seen before), `held` (one was held as an exception), else `accepted`; and the counts.
 */
export function endIngestSpan(span: Span, results: readonly { duplicate: boolean; status: string }[] | 'refused'): void {
  if (!span.isRecording()) return;
  if (results === 'refused') {
    span.setAttribute('tendon.result', 'refused');
  } else {
    let duplicate = 0;
    let held = 0;
    for (const r of results) {
      if (r.duplicate) duplicate++;
      else if (r.status === 'held') held++;
    }
    const accepted = results.length - duplicate - held;
    span.setAttributes({
      'tendon.result': held > 0 ? 'held' : accepted === 0 && duplicate > 0 ? 'duplicate' : 'accepted',
      'tendon.events.accepted': accepted, 'tendon.events.held': held, 'tendon.events.duplicate': duplicate,
    });
  }
  span.end();
}

/** Marks a span failed (the error's type only: a message may quote data) and ends it; rethrows the error. */
export function failSpan(span: Span, error: unknown): never {
  if (span.isRecording()) {
    const type = error instanceof Error ? error.name : typeof error;
    span.setAttribute('error.type', type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    span.end();
  }
  throw error;
}

/** The span of one delivery attempt, in the trace of the delivery's business transaction. */
export function startDeliverSpan(destination: string, d: Delivery): Span {
  if (!tracer) return NOT_RECORDING;
  const span = startRootSpan(tracer, 'tendon.deliver', SpanKind.CLIENT, d.correlationId);
  if (!span.isRecording()) return span;
  span.setAttributes({
    'tendon.destination': destination, 'tendon.delivery_id': d.id, 'tendon.event_id': d.eventId,
    'tendon.correlation_id': d.correlationId, 'tendon.action': d.action, 'tendon.attempt': d.attempts + 1,
  });
  return span;
}

/**
 * Ends a delivery attempt's span with its outcome (`success`, `retryable`, `rejected`, or `unencodable` when it
 * could not be encoded), the delivery's state after it, and the destination's HTTP status. The destination's
 * reason text is left out: a destination allowed PHI may quote it.
 */
export function endDeliverSpan(
  span: Span | undefined,
  after: Pick<Delivery, 'status'>,
  attempt: { outcome: string; statusCode?: number | null } | null,
): void {
  if (!span?.isRecording()) return;
  const outcome = attempt?.outcome ?? (after.status === 'dead' ? 'unencodable' : after.status);
  span.setAttributes({ 'tendon.outcome': outcome, 'tendon.delivery_status': after.status });
  if (typeof attempt?.statusCode === 'number') span.setAttribute('http.response.status_code', attempt.statusCode);
  if (outcome !== 'success') span.setStatus({ code: SpanStatusCode.ERROR, message: `${outcome} (${after.status})` });
  span.end();
}

/** What a person does to a business transaction after its ingest; each is one span in its trace. */
export type Operation = 'tendon.reprocess' | 'tendon.redeliver' | 'tendon.release' | 'tendon.decide';

/**
 * The span of one operation (a reprocess, a redelivery, a release, a decision), in the trace of the business
 * transaction it changes, ended by endOperationSpan with its result once committed (failSpan if not).
 * Attributes name what was touched (ids, category, decision), never what it carries.
 */
export function startOperationSpan(name: Operation, correlationId: string | undefined, attributes: Attributes): Span {
  if (!tracer) return NOT_RECORDING;
  const span = startRootSpan(tracer, name, SpanKind.INTERNAL, correlationId);
  if (span.isRecording()) span.setAttributes(correlationId ? { ...attributes, 'tendon.correlation_id': correlationId } : attributes);
  return span;
}

export function endOperationSpan(span: Span, result: string, attributes: Attributes = {}): void {
  if (!span.isRecording()) return;
  span.setAttributes({ ...attributes, 'tendon.result': result });
  span.end();
}

const NO_TRACE = Object.freeze({});

/** `trace_id` and `span_id` for a log line about what a span covers (ended or not); nothing while tracing is off. */
export function traceFields(span: Span | undefined): { trace_id?: string; span_id?: string } {
  const context = span?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return NO_TRACE;
  return { trace_id: context.traceId, span_id: context.spanId };
}
