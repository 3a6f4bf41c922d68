// Observability: OpenTelemetry traces and the JSON logs. A real OTLP/HTTP receiver (node:http on 127.0.0.1) takes
// what a real hub process exports when it is started with the standard OTEL_* variables, as an operator would; the
// trace of a business transaction is found from its correlation id alone. Without those variables nothing starts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, logLevel } from '../src/cli/hub.ts';
import { startDeliverSpan, startIngestSpan, startTracing, traceFields, tracingChoice } from '../src/engine/tracing.ts';
import type { Delivery } from '../src/core/types.ts';
import { api, drained, ledger, spawnHub, startSims, testConfig, tokensFor, used, waitFor, writeConfig, type Sims } from './support/hub.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';
import { picks } from './support/picks.ts';

test('the standard variables decide: an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp turns tracing on; none and OTEL_SDK_DISABLED keep it off', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
  assert.equal(tracingChoice({}).on, false, 'nothing set: off');
  assert.equal(tracingChoice({ OTEL_SERVICE_NAME: 'tendon', OTEL_EXPORTER_OTLP_HEADERS: 'a=b' }).on, false, 'no endpoint, no exporter: off');
  assert.equal(tracingChoice(endpoint).on, true);
  assert.equal(tracingChoice(endpoint).endpoint, 'http://collector:4318/v1/traces');
  assert.equal(tracingChoice({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://u:secret@tempo.example/otlp/v1/traces' }).endpoint,
    'https://tempo.example/otlp/v1/traces', 'the signal endpoint as given, without credentials');
  assert.equal(tracingChoice({ OTEL_TRACES_EXPORTER: 'otlp' }).endpoint, 'http://localhost:4318/v1/traces', 'the exporter\'s default');
  assert.equal(tracingChoice({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).on, false);
  assert.equal(tracingChoice({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).on, false);
  assert.equal(tracingChoice({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).on, true);
  const zipkin = tracingChoice({ ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' });
  assert.equal(zipkin.on, false, 'an exporter Tendon does not have is not replaced by another');
  assert.match(zipkin.warnings.join('\n'), /zipkin not supported/);
  const grpc = tracingChoice({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
  assert.equal(grpc.on, true, 'grpc asked for: still on, over HTTP');
  assert.match(grpc.warnings.join('\n'), /gRPC is not supported.*http\/json/s);
  assert.deepEqual(tracingChoice({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).warnings, []);
});

test('with no OTEL_* variable tracing stays off: spans are one shared non-recording span and logs get no trace ids', async () => {
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith('OTEL_'));
  for (const [k] of saved) delete process.env[k];
  try {
    const tracing = await startTracing(createLogger('silent'));
    const ingest = startIngestSpan('m-1', { channel: 'mllp:ehr', sourceSystem: 'OPTIME', sourceId: 'X1' }, [{ event: { type: 'supply.used', correlationId: 'CASE-1' } }]);
    const deliver = startDeliverSpan('erp', { id: 'd-1', eventId: 'e-1', correlationId: 'CASE-1', action: 'inventory.issue', attempts: 0 } as Delivery);
    assert.equal(ingest.isRecording(), false);
    assert.equal(deliver, ingest, 'the same object every time: nothing is built per message');
    assert.deepEqual(traceFields(ingest), {});
    await tracing.stop();
  } finally {
    for (const [k, v] of saved) process.env[k] = v;
  }
});

test('log lines are JSON, and a patient identifier in a logged object is redacted at any depth up to three', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  const log = createLogger('info', sink);
  log.info({ patient: { identifier: 'MRN00000001' } }, 'top');
  log.info({ event: { payload: { patient: { identifier: 'MRN00000002' } } } }, 'payload');
  log.info({ events: [{ payload: { patient: { identifier: 'MRN00000003' } } }] }, 'array');
  log.info({ delivery: { body: { patient: { mrn: 'MRN00000004' } } } }, 'billing body');
  log.info({ req: { headers: { authorization: 'Bearer tdn_secret' } } }, 'request');
  log.debug({ correlationId: 'CASE-1' }, 'below the level');
  assert.equal(lines.length, 5);
  const text = JSON.stringify(lines);
  assert.ok(!/MRN0000000\d|tdn_secret/.test(text), text);
  assert.equal(lines[0]!.service, 'tendon');
  assert.equal(lines[0]!.msg, 'top');
});

test('TENDON_LOG_LEVEL wins over the configured level, and an unknown level is refused by name', () => {
  assert.equal(logLevel('info', {}), 'info');
  assert.equal(logLevel('info', { TENDON_LOG_LEVEL: 'debug' }), 'debug');
  assert.throws(() => logLevel('info', { TENDON_LOG_LEVEL: 'loud' }), /TENDON_LOG_LEVEL must be one of .*not "loud"/);
});

// ---- A hub process exporting to a real OTLP/HTTP receiver ----

interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; arrayValue?: { values?: OtlpValue[] } };
type OtlpAttributes = { key: string; value: OtlpValue }[] | undefined;

const valueOf = (v: OtlpValue): unknown =>
  v.arrayValue ? (v.arrayValue.values ?? []).map(valueOf) : v.intValue !== undefined ? Number(v.intValue) : v.stringValue ?? v.boolValue ?? v.doubleValue;
const attributesOf = (list: OtlpAttributes) => Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));
// OTLP/JSON carries ids as hex; accept base64 too (the protobuf JSON mapping) so a change of encoding shows as a value.
const hexOf = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/.test(id) ? id : Buffer.from(id, 'base64').toString('hex'));

let sims: Sims;
let receiver: Server;
const bodies: string[] = [];
const requests: { path: string; contentType: string }[] = [];

before(async () => {
  sims = await startSims();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type']) });
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
});
after(async () => {
  await new Promise((r) => receiver?.close(r));
  await sims?.close();
});

function receivedSpans(): ReceivedSpan[] {
  return bodies.flatMap((b) => (JSON.parse(b) as { resourceSpans: { resource?: { attributes: OtlpAttributes }; scopeSpans: { spans: Record<string, unknown>[] }[] }[] }).resourceSpans
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({
      name: String(s.name), traceId: hexOf(s.traceId as string), spanId: hexOf(s.spanId as string), parentSpanId: hexOf(s.parentSpanId as string),
      attributes: attributesOf(s.attributes as OtlpAttributes), status: (s.status ?? {}) as ReceivedSpan['status'],
      resource: attributesOf(rs.resource?.attributes),
    })))));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

const sha256TraceId = (correlationId: string) => createHash('sha256').update(correlationId).digest('hex').slice(0, 32);

test('a hub started with OTEL_EXPORTER_OTLP_ENDPOINT exports an ingest span per message and a deliver span per attempt, one trace per correlation id, flushed when it stops', { timeout: 120_000 }, async (t) => {
  const p = picks(sims);
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-tracing-'));
  const [httpPort, mllpPort] = [await freePort(), await freePort()];
  const config = testConfig(dataDir, sims, (c) => {
    c.http = { host: '127.0.0.1', port: httpPort };
    c.thresholds = { ...c.thresholds, autoApproveLimit: 0 }; // every requisition waits for a person's decision
    c.inbound = [{ name: 'ehr', kind: 'mllp', host: '127.0.0.1', port: mllpPort }];
  });
  const file = writeConfig(dataDir, config);
  const tokens = await tokensFor(dataDir);
  const url = `http://127.0.0.1:${httpPort}`;

  // The child inherits these; a schedule delay longer than the test shows that what arrives was flushed at stop.
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as { port: number }).port}`,
    OTEL_SERVICE_NAME: 'tendon-test', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.name=ignored',
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  };
  Object.assign(process.env, otel);
  let hub: Awaited<ReturnType<typeof spawnHub>>;
  try {
    hub = await spawnHub(file, url);
  } finally {
    for (const k of Object.keys(otel)) delete process.env[k];
  }
  const exited = new Promise((r) => hub.child.once('exit', r));
  t.after(() => hub.child.kill('SIGKILL'));

  // Over HTTP: one implant use, PHI included.
  const event = used('trace-http-1', { item: p.implant.id, location: p.location.id, facility: p.facility, mrn: 'MRN00099001' });
  const posted = await api<{ results: { id: string; correlationId: string }[] }>({ url }, tokens.operator, 'POST', '/v1/events', [event]);
  assert.equal(posted.status, 202);
  const httpCase = posted.body.results[0]!.correlationId;
  assert.equal(httpCase, 'CASE-trace-http-1');

  // Over MLLP: a case with one implant (accepted), then a message with no charge line (refused with AE).
  const segments = (controlId: string, ft1: string[]) => [
    `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NETWORK|20261121091500-0500||DFT^P03|${controlId}|P|2.5.1`,
    'EVN|P03|20261121091500-0500', `PID|1||MRN00099002^^^HOSP^MR||DOE^JANE||19600101|F||||||||||ENC-9900001`,
    `PV1|1|O|${p.location.id}^^^${p.facility}||||||||||||||||CASE-${controlId}`, `ZPA|${p.location.id}`, ...ft1,
  ].join('\r');
  const client = await MllpTestClient.connect(mllpPort);
  const accepted = await client.request(segments('TRACE-0001', [
    `FT1|1|||20261121091400-0500||CG|CDM0|||1|||SURG||||||||NPI1234567^SMITH^ANNA||CASE-TRACE-0001||C1776|||||||||${p.implant.id}^implant^erp`,
    'ZQD|SN-TRACE-1|LOT-TRACE-1|20290131',
  ]));
  assert.equal(field(accepted, 'MSA', 1), 'AA');
  const refused = await client.request(segments('TRACE-0002', []));
  assert.equal(field(refused, 'MSA', 1), 'AE');
  client.close();

  await drained({ url, tokens });
  const billed = (await ledger(sims, 'billing')).filter((e) => e.body.reference?.eventId === posted.body.results[0]!.id);
  assert.equal(billed.length, 1, 'the deliveries went out');
  assert.equal(bodies.length, 0, 'OTEL_BSP_SCHEDULE_DELAY is honoured: nothing exported yet');

  // Later operations, each a span in the trace of what it changes: the HTTP case redelivered and reprocessed, a
  // release that finds its event still wrong, and a person's decision on a requisition above the approval limit.
  const eventId = posted.body.results[0]!.id;
  const erp = (await api<{ deliveries: { id: string; destination: string }[] }>({ url }, tokens.viewer, 'GET', `/v1/trace/${httpCase}`)).body.deliveries.find((d) => d.destination === 'erp')!;
  assert.equal((await api({ url }, tokens.operator, 'POST', `/v1/deliveries/${erp.id}/replay`, {})).status, 200);
  const { messageId } = (await api<{ messageId: string }>({ url }, tokens.viewer, 'GET', `/v1/events/${eventId}`)).body;
  assert.equal((await api({ url }, tokens.operator, 'POST', `/v1/messages/${messageId}/reprocess`, {})).status, 200);
  const held = (await api<{ results: { id: string; correlationId: string; status: string }[] }>({ url }, tokens.operator, 'POST', '/v1/events',
    [used('trace-held-1', { item: p.implant.id, location: 'LOC-A-ZZ99', facility: p.facility })])).body.results[0]!;
  assert.equal(held.status, 'held');
  const exception = (await api<{ data: { id: string; eventId: string | null }[] }>({ url }, tokens.viewer, 'GET', '/v1/exceptions?status=open&limit=1000')).body.data.find((x) => x.eventId === held.id)!;
  assert.equal((await api<{ released: boolean }>({ url }, tokens.operator, 'POST', `/v1/exceptions/${exception.id}/release`, {})).body.released, false);
  const requisition = {
    type: 'requisition.created', idempotencyKey: 'REQ-TRACE-1', occurredAt: '2026-11-21T10:00:00-05:00', facility: p.facility, source: { system: 'trace-test' },
    payload: { item: { system: 'erp', code: p.routine.id }, quantity: { value: 6, unit: 'EA' }, location: p.location.id, priority: 'routine', requisitionNumber: 'REQ-TRACE-1' },
  };
  assert.equal((await api({ url }, tokens.operator, 'POST', '/v1/events', [requisition])).status, 202);
  const requisitionKey = 'trace-test:REQ-TRACE-1:1';
  await waitFor('the requisition to wait for approval', async () =>
    (await api<{ decisions?: string[] }>({ url }, tokens.viewer, 'GET', `/v1/workflows/requisition/${encodeURIComponent(requisitionKey)}`)).body.decisions?.includes('approve') || undefined, 10_000);
  const decided = await api({ url }, tokens.operator, 'POST', `/v1/workflows/requisition/${encodeURIComponent(requisitionKey)}/decisions`, { decision: 'approve' });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));

  hub.child.kill('SIGTERM');
  await exited;
  await waitFor('the spans to arrive', async () => receivedSpans().some((s) => s.name === 'tendon.deliver'), 10_000);

  assert.ok(requests.every((r) => r.path === '/v1/traces' && r.contentType.startsWith('application/json')), JSON.stringify(requests));
  const spans = receivedSpans();
  assert.equal(spans[0]!.resource['service.name'], 'tendon-test', 'OTEL_SERVICE_NAME wins');
  assert.equal(spans[0]!.resource['deployment.environment.name'], 'test', 'OTEL_RESOURCE_ATTRIBUTES are kept');

  // The HTTP event: its ingest span and its three delivery attempts share one trace, derived from the case id.
  const ingest = spans.filter((s) => s.name === 'tendon.ingest' && s.attributes['tendon.correlation_id'] === httpCase);
  assert.equal(ingest.length, 1);
  assert.equal(ingest[0]!.traceId, sha256TraceId(httpCase), 'trace id = first 16 bytes of SHA-256 of the correlation id');
  assert.equal(ingest[0]!.attributes['tendon.channel'], 'http:/v1/events');
  assert.equal(ingest[0]!.attributes['tendon.source_system'], 'ehr-optime');
  assert.equal(ingest[0]!.attributes['tendon.result'], 'accepted');
  assert.deepEqual(ingest[0]!.attributes['tendon.event_types'], ['supply.used']);
  assert.equal(typeof ingest[0]!.attributes['tendon.message_id'], 'string');
  // (Its first attempts: the redelivery and the reprocess below add attempts of their own to the same trace.)
  const delivers = spans.filter((s) => s.name === 'tendon.deliver' && s.attributes['tendon.correlation_id'] === httpCase
    && s.attributes['tendon.event_id'] === eventId && s.attributes['tendon.attempt'] === 1);
  assert.deepEqual(delivers.map((s) => s.attributes['tendon.destination']).sort(), ['billing', 'erp', 'inventory']);
  for (const d of delivers) {
    assert.equal(d.traceId, ingest[0]!.traceId, 'one business transaction, one trace');
    assert.equal(d.attributes['tendon.event_id'], posted.body.results[0]!.id);
    assert.equal(d.attributes['tendon.outcome'], 'success');
    assert.equal(d.attributes['tendon.delivery_status'], 'delivered');
    assert.equal(d.attributes['tendon.attempt'], 1);
    assert.ok(Number(d.attributes['http.response.status_code']) >= 200 && Number(d.attributes['http.response.status_code']) < 300);
    assert.equal(typeof d.attributes['tendon.delivery_id'], 'string');
  }

  // The MLLP case: the same, and the refused message has a span of its own.
  const mllp = spans.find((s) => s.name === 'tendon.ingest' && s.attributes['tendon.source_id'] === 'TRACE-0001');
  assert.equal(mllp?.attributes['tendon.channel'], 'mllp:ehr');
  assert.equal(mllp?.attributes['tendon.correlation_id'], 'CASE-TRACE-0001');
  assert.equal(mllp?.traceId, sha256TraceId('CASE-TRACE-0001'));
  assert.ok(spans.some((s) => s.name === 'tendon.deliver' && s.traceId === mllp.traceId), 'its deliveries are in its trace');
  const no = spans.find((s) => s.name === 'tendon.ingest' && s.attributes['tendon.source_id'] === 'TRACE-0002');
  assert.equal(no?.attributes['tendon.result'], 'refused');

  const operation = (name: string, key: string, value: string) => spans.find((s) => s.name === name && s.attributes[key] === value);
  const redelivered = operation('tendon.redeliver', 'tendon.delivery_id', erp.id);
  assert.equal(redelivered?.traceId, ingest[0]!.traceId, 'a redelivery is in its case\'s trace');
  assert.equal(redelivered?.attributes['tendon.result'], 'pending');
  const reprocessed = operation('tendon.reprocess', 'tendon.message_id', messageId);
  assert.equal(reprocessed?.traceId, ingest[0]!.traceId, 'so is a reprocess');
  assert.equal(reprocessed?.attributes['tendon.result'], 'reprocessed');
  const released = operation('tendon.release', 'tendon.exception_id', exception.id);
  assert.equal(released?.traceId, sha256TraceId(held.correlationId));
  assert.deepEqual([released?.attributes['tendon.category'], released?.attributes['tendon.result']], ['unknown_location', 'held']);
  const approved = operation('tendon.decide', 'tendon.workflow', `requisition/${requisitionKey}`);
  assert.equal(approved?.traceId, sha256TraceId(requisitionKey), 'a decision is in its instance\'s trace');
  assert.equal(approved?.attributes['tendon.decision'], 'approve');

  assert.ok(!/MRN0009900|DOE/.test(bodies.join('')), 'no patient identifier in any span');
});
