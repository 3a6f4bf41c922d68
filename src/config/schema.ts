// The hub's configuration: one zod schema, the single source of validation, types, defaults and the JSON Schema
// in the docs. Secrets come in through ${ENV} references (see load.ts).
import { z } from 'zod';
import { ROLES, type DestinationRole } from '../flows/plan.ts';
import { EVENT_TYPES } from '../model/events.ts';
import { DATA_EXCEPTION_CATEGORIES, PROCESS_EXCEPTION_CATEGORIES } from '../model/exceptions.ts';

const Retry = z.object({
  maxAttempts: z.int().min(1).max(1000).default(12).describe('attempts before a delivery goes dead'),
  maxAgeSeconds: z.number().positive().default(86_400).describe('age after which a failing delivery goes dead'),
  baseMs: z.int().min(1).default(500).describe('first backoff; doubles each attempt, with full jitter'),
  capMs: z.int().min(1).default(60_000).describe('longest backoff'),
});

const Circuit = z.object({
  failures: z.int().min(1).default(5).describe('consecutive retryable failures that open the circuit'),
  halfOpenAfterMs: z.int().min(10).default(5_000).describe('while open, one probe is let through this often'),
});

/** What each destination kind carries and where: a kind speaks one format over one family of transports. */
export const KIND_RULES = {
  http: { roles: ['erp', 'inventory', 'billing', 'procurement'], schemes: ['http:', 'https:'], what: 'REST JSON' },
  mllp: { roles: ['billing', 'clinical'], schemes: ['mllp:'], what: 'HL7 v2: DFT^P03 charges, MFN^M16 item and MFN^M04 chargemaster updates' },
  fhir: { roles: ['billing', 'erp', 'supplier'], schemes: ['http:', 'https:'], what: 'FHIR R4 ChargeItem / SupplyRequest' },
  x12: { roles: ['supplier'], schemes: ['http:', 'https:', 'file:'], what: 'X12 850 purchase orders' },
  nats: { roles: ['analytics'], schemes: ['nats:'], what: 'canonical events on a JetStream stream' },
  webhook: { roles: ['analytics'], schemes: ['http:', 'https:'], what: 'canonical events as signed webhooks' },
  csv: { roles: ['analytics'], schemes: ['file:'], what: 'canonical events as CSV files, written atomically' },
} as const satisfies Record<string, { roles: readonly DestinationRole[]; schemes: readonly string[]; what: string }>;
export const DESTINATION_KINDS = Object.keys(KIND_RULES) as (keyof typeof KIND_RULES)[];

/** NATS names: a stream or durable consumer name, and literal subjects (dot-separated tokens, no wildcards). */
const NatsName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only');
const NatsSubject = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'tokens of letters, digits, - and _, joined by dots');

/** Where a nats destination publishes (see channels/nats/subjects.ts for the subject of each event). */
export const NatsPublishing = z.object({
  stream: NatsName.default('TENDON_EVENTS').describe('the JetStream stream that stores the events'),
  subjectPrefix: NatsSubject.default('tendon.events').describe('events go to <prefix>.<event type>.<facility>'),
  createStream: z.boolean().default(true).describe('create the stream (subjects <prefix>.>) when missing, or add that subject to it'),
  duplicateWindowSeconds: z.int().min(1).default(600).describe('duplicate window of a stream Tendon creates: a re-publish within it is dropped'),
});

/** X12 interchange ids (ISA06/ISA08, GS02/GS03): 2 to 15 characters, none of them an X12 delimiter. */
const X12Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._\/-]{1,14}$/, '2 to 15 letters, digits, spaces, . _ / -');
const X12Qualifier = z.string().regex(/^[A-Z0-9]{2}$/, 'a two-character ID qualifier (ZZ, 01, 14, 12…)');

/** Who Tendon is and who the supplier is in an x12 destination's interchanges (ISA05–ISA08, GS02/GS03). */
const X12Envelope = z.object({
  senderQualifier: X12Qualifier.default('ZZ').describe('ISA05: qualifier of Tendon\'s id (ZZ mutually defined, 01 DUNS, 12 phone…)'),
  senderId: X12Id.default('TENDON').describe('ISA06 and GS02: Tendon\'s id as the supplier knows it'),
  receiverQualifier: X12Qualifier.default('ZZ').describe('ISA07: qualifier of the supplier\'s id'),
  receiverId: X12Id.describe('ISA08 and GS03: the supplier\'s id'),
  version: z.enum(['004010', '005010']).default('004010').describe('GS08 of the 850s (ISA12 00401 or 00501)'),
  usage: z.enum(['P', 'T']).default('P').describe('ISA15: P production, T test'),
});

export const DestinationConfig = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  role: z.enum(ROLES).describe('what kind of system this is; flows deliver by role'),
  kind: z.enum(DESTINATION_KINDS).default('http').describe('the format and transport; see KIND_RULES for the roles and URLs each takes'),
  url: z.url().describe('http(s)://… for http, fhir, webhook and x12 over HTTP; mllp://host:port; nats://host:port; file:///folder for csv and x12 files'),
  hl7: z.object({
    sendingApplication: z.string().default('TENDON'), sendingFacility: z.string().default('TENDON'),
    receivingApplication: z.string().default('BILLING'), receivingFacility: z.string().default(''),
  }).prefault({}).describe('MSH-3 to MSH-6 of outbound HL7 (kind mllp)'),
  fhir: z.object({
    bearerToken: z.string().min(1).optional().describe('sent as Authorization: Bearer on every request; give it as ${ENV}'),
  }).prefault({}).describe('the FHIR R4 server of a fhir destination (url: its base, e.g. https://billing.example.org/fhir)'),
  webhook: z.object({
    secret: z.string().min(32).describe('HMAC-SHA256 key of the Tendon-Signature header, at least 32 characters; give it as ${ENV}'),
  }).optional().describe('how a webhook destination signs what it posts (required for kind webhook)'),
  nats: NatsPublishing.optional().describe('the stream and subjects of a nats destination (defaults when omitted)'),
  x12: X12Envelope.optional().describe('the X12 envelope of an x12 destination (required for kind x12: at least receiverId)'),
  phi: z.boolean().default(false).describe('allowed to receive patient identifiers in clear (billing only)'),
  suppliers: z.array(z.string().min(1)).min(1).optional()
    .describe('a supplier destination: the supplier ids (ERP) whose purchase orders it carries; omitted: every supplier'),
  ownerRole: z.string().default('integration').describe('who owns business rejections from this destination'),
  concurrency: z.int().min(1).max(1024).default(32),
  held: z.int().min(2).default(10_000)
    .describe('the most deliveries held in memory; the rest of a backlog waits in the store and is read in, in order, as these go'),
  rps: z.number().min(0).default(0).describe('requests per second; 0 = unlimited'),
  timeoutMs: z.int().min(10).default(10_000),
  strict: z.boolean().default(false).describe('a dead delivery blocks its partition until it is replayed'),
  retry: Retry.prefault({}),
  circuit: Circuit.prefault({}),
});
export type DestinationConfig = z.infer<typeof DestinationConfig>;
const destinationRules = (d: DestinationConfig, ctx: z.RefinementCtx) => {
  if (typeof d.url !== 'string' || !URL.canParse(d.url)) return; // the url's own error is already reported
  const rule = KIND_RULES[d.kind];
  if (!(rule.roles as readonly string[]).includes(d.role)) {
    ctx.addIssue({ code: 'custom', path: ['kind'], message: `a ${d.kind} destination carries ${rule.what}: its role must be ${rule.roles.join(' or ')}, not ${d.role}` });
  }
  if (!(rule.schemes as readonly string[]).includes(new URL(d.url).protocol)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${d.kind} destination needs a ${rule.schemes.map((s) => `${s}//`).join(' or ')} url` });
  }
  if (d.kind === 'x12' && !d.x12) {
    ctx.addIssue({ code: 'custom', path: ['x12'], message: 'an x12 destination needs its envelope: x12.receiverId at least' });
  }
  if (d.suppliers && d.role !== 'supplier') {
    ctx.addIssue({ code: 'custom', path: ['suppliers'], message: 'only a supplier destination carries some suppliers\' orders' });
  }
  if (d.kind === 'webhook' && !d.webhook) {
    ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'a webhook destination signs what it posts: it needs webhook.secret' });
  }
};

/** HL7 v2 reading options, per channel: senders differ in where they put lot/serial and location. */
const Hl7Reading = z.object({
  defaultOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).default('-05:00').describe('UTC offset for HL7 times that carry none'),
  facilities: z.record(z.string(), z.string()).default({}).describe('MSH-4 sending facility → Tendon facility code'),
  traceabilitySegment: z.object({
    segment: z.string().regex(/^Z[A-Z0-9]{2}$/).default('ZQD'),
    serial: z.int().min(1).default(1), lot: z.int().min(1).default(2), expiry: z.int().min(1).default(3),
  }).prefault({}).describe('the Z-segment after an FT1 that carries lot, serial and expiry (PRT is read too)'),
  locationSegment: z.object({ segment: z.string().regex(/^Z[A-Z0-9]{2}$/).default('ZPA'), field: z.int().min(1).default(1) })
    .prefault({}).describe('the Z-segment and field holding the inventory location (Epic: ZPA)'),
}).prefault({});

const MllpInbound = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal('mllp'),
  host: z.string().default('127.0.0.1'),
  port: z.int().min(0).max(65535).default(2575),
  maxFrameBytes: z.int().min(1024).default(4 * 1024 * 1024),
  stalledFrameMs: z.int().min(100).default(30_000).describe('a sender stopped mid-frame this long is disconnected'),
  idleMs: z.int().min(1000).default(600_000),
  hl7: Hl7Reading,
});
export type MllpInboundConfig = z.infer<typeof MllpInbound>;

/**
 * A watched folder (any format): when a file counts as complete, and where it goes once read. Channels that take
 * files (CSV, X12) extend this, so every folder channel is configured the same way.
 */
export const FolderWatch = z.object({
  path: z.string().min(1).describe('the watched folder (the inbox); created if missing'),
  archiveDir: z.string().optional().describe('where read files go; default <path>/archive'),
  errorDir: z.string().optional().describe('where refused files and error reports go; default <path>/error'),
  completeWhen: z.enum(['stable', 'done-marker']).default('stable')
    .describe('stable: size and mtime unchanged for stableMs; done-marker: a NAME.done file beside it'),
  stableMs: z.int().min(0).default(2000),
  pollMs: z.int().min(10).default(1000),
  maxFileBytes: z.int().min(1024).default(4 * 1024 * 1024).describe('a larger file is not read: it goes to the error folder'),
});
export type FolderWatchConfig = z.infer<typeof FolderWatch>;

/** A CSV column mapping: which column feeds which canonical field (paths such as payload.quantity.value). */
const CsvMapping = z.object({
  eventType: z.enum(['supply.used', 'supply.returned', 'item.upserted', 'stock.counted']),
  columns: z.record(z.string(), z.union([z.string().min(1), z.int().min(1)]))
    .describe('canonical field path (occurredAt, facility, transactionId, return, payload.…) → column header, or 1-based column number'),
  defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('values for fields whose column is absent or empty'),
});
export type CsvMappingConfig = z.infer<typeof CsvMapping>;

const CsvInbound = FolderWatch.extend({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal('csv'),
  format: z.union([z.enum(['usage', 'items', 'counts']), CsvMapping], { error: 'usage, items, counts, or a mapping { eventType, columns, defaults }' })
    .describe('a built-in layout, or a column mapping'),
  sourceSystem: z.string().min(1).optional().describe('the source system of its events (scopes their idempotency keys); default the channel name'),
  facility: z.string().min(1).optional().describe('the facility of rows that name none'),
  delimiter: z.string().length(1).default(','),
  header: z.boolean().default(true).describe('the first row names the columns; without one, columns are mapped by number'),
  encoding: z.enum(['utf-8', 'windows-1252']).default('utf-8'),
  dateFormat: z.string().min(1).default('iso').describe('iso, or a pattern of YYYY MM DD HH hh mm ss A, e.g. "MM/DD/YYYY hh:mm A"'),
  defaultOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).default('-05:00').describe('UTC offset of times that carry none'),
  mode: z.enum(['rows', 'all-or-nothing']).default('rows')
    .describe('rows: good rows go in, bad rows to NAME.errors.csv; all-or-nothing: one bad row refuses the file'),
});
export type CsvInboundConfig = z.infer<typeof CsvInbound>;

/** Canonical JSON events POSTed to /v1/webhooks/{name}, authenticated by their signature instead of a token. */
const WebhookInbound = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal('webhook'),
  secret: z.string().min(32).describe('HMAC-SHA256 key the sender signs with (Tendon-Signature), at least 32 characters; give it as ${ENV}'),
  toleranceSeconds: z.int().min(1).max(3600).default(300).describe('how far a signature\'s timestamp may be from now; older or later is a refused replay'),
});
export type WebhookInboundConfig = z.infer<typeof WebhookInbound>;

/** Canonical JSON events read from a JetStream stream by a durable pull consumer (acked after the commit). */
const NatsInbound = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal('nats'),
  url: z.url({ protocol: /^nats$/, error: 'a nats://host:port url' }).describe('nats://host:port'),
  stream: NatsName.describe('the stream to read; it must exist (its producer makes it)'),
  subjects: z.array(z.string().regex(/^((\*|[^\s.*>]+)\.)*(\*|>|[^\s.*>]+)$/, 'a subject; * and > as whole tokens')).default([])
    .describe('filter subjects (wildcards allowed); empty: the whole stream; more than one needs NATS 2.10+'),
  durable: NatsName.describe('the durable consumer, created when missing; it remembers what was acknowledged'),
  ackWaitMs: z.int().min(1000).default(30_000).describe('a message not acknowledged within this is delivered again'),
  maxDeliver: z.int().min(-1).default(-1).describe('deliveries of one message before NATS gives up on it; -1: no limit'),
  batch: z.int().min(1).max(1000).default(100).describe('messages fetched per pull'),
  retryDelayMs: z.int().min(100).default(5_000).describe('how long a message waits after a failed commit before it comes again'),
});
export type NatsInboundConfig = z.infer<typeof NatsInbound>;

/**
 * X12 interchanges from suppliers (855, 856, 810, 832, and their 997/999s for Tendon's 850s), POSTed to
 * /v1/x12/{name} or dropped in a folder; answered with a 997/999 (a TA1 for a broken envelope).
 */
const X12Inbound = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal('x12'),
  partners: z.record(z.string().min(1).max(15), z.string().min(1)).default({})
    .describe('ISA06 sender id (without its padding) → Tendon supplier id; a sender not listed is named x12:<sender id>'),
  facility: z.string().min(1).optional().describe('the facility of documents whose ship-to (N1*ST, qualifier 92) names none'),
  defaultOffset: z.string().regex(/^([+-]\d{2}:\d{2}|Z)$/).default('-05:00').describe('UTC offset of X12 times, which carry none'),
  folder: FolderWatch.extend({ ackDir: z.string().optional().describe('where answers are written, as <file>.ack.edi; default <path>/ack') })
    .optional().describe('also read interchanges dropped in this folder (one interchange per file)'),
});
export type X12InboundConfig = z.infer<typeof X12Inbound>;

/** Every kind of inbound channel: each has a `kind`, a unique `name`, and its own options. */
const InboundChannel = z.discriminatedUnion('kind', [MllpInbound, CsvInbound, WebhookInbound, NatsInbound, X12Inbound]);
export type InboundConfig = z.infer<typeof InboundChannel>;
export type Hl7ReadingConfig = z.infer<typeof Hl7Reading>;

/** Business thresholds: one set of defaults, and per site (facility code) only what differs there. */
const Thresholds = z.object({
  emergencyOnHand: z.number().min(0).default(0).describe('a critical item at or below this on hand is reordered as emergency'),
  priceVariancePercent: z.number().min(0).default(2).describe('a supplier price (832 catalog, 855 acknowledgment) further than this from the contract or PO price is a price_variance exception'),
  autoApproveLimit: z.number().min(0).default(5000).describe('requisitions up to this amount are approved without a person (when the budget covers them)'),
  poConsolidationMinutes: z.number().min(0).default(0).describe('routine requisition lines for one supplier gather this long into one PO; 0: each goes at once'),
  supplierAckHours: z.number().positive().default(24).describe('no 855 within this many hours after the 850 → supplier_ack_late'),
  matchTolerancePercent: z.number().min(0).default(2).describe('three-way match: an invoice line may differ from PO price × quantity by this percent…'),
  matchToleranceAmount: z.number().min(0).default(5).describe('…or by this amount, whichever is larger'),
  invoiceWaitHours: z.number().positive().default(72).describe('an invoice ahead of its goods waits this long for the receipt before it is an invoice_mismatch'),
  receiveOnShipNotice: z.boolean().default(true).describe('an 856 ship notice is also the goods receipt (no separate dock receipt is sent)'),
  chargeSlaHours: z.number().positive().default(24).describe('a chargeable use without a charge billing took within this many hours → charge_missing'),
});
export type ThresholdsConfig = z.infer<typeof Thresholds>;

const Route = z.object({
  role: z.enum(ROLES),
  facilities: z.array(z.string().min(1)).min(1).optional().describe('the facilities this route serves; omitted: every facility'),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1).optional().describe('the event types it serves; omitted: every type'),
  to: z.array(z.string()).min(1).describe('names of destinations of that role'),
}).describe('the first route matching (role, facility, event type) chooses the destinations; without one, every destination of the role');
export type RouteConfig = z.infer<typeof Route>;

const EXCEPTION_CATEGORIES = [...new Set([...DATA_EXCEPTION_CATEGORIES, ...PROCESS_EXCEPTION_CATEGORIES, 'delivery_rejected' as const])];

/**
 * A business service level (docs/monitoring.md): what is measured, for which flows, against which target. The
 * overview shows each against its target, and the `service-level-breach` alert rule tells its owner when it is missed.
 */
const ServiceLevel = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string().default(''),
  measure: z.enum(['delivery-latency', 'exception-age', 'supplier-ack-lateness'])
    .describe('delivery-latency: ingest commit → the destination acknowledged, and deliveries still waiting; exception-age: open exceptions per category; supplier-ack-lateness: purchase orders past their 855 due time'),
  actions: z.array(z.string().min(1)).min(1).optional()
    .describe('delivery-latency: the delivery actions it measures (charge.post, stock.decrement, …); omitted: every action'),
  destinations: z.array(z.string().min(1)).min(1).optional().describe('delivery-latency: only these destinations'),
  roles: z.array(z.enum(ROLES)).min(1).optional().describe('delivery-latency: only destinations of these roles'),
  categories: z.array(z.enum(EXCEPTION_CATEGORIES)).min(1).optional()
    .describe('exception-age: these categories, each shown even when none is open; omitted: every category with open exceptions'),
  target: z.number().min(0).optional()
    .describe('the most a measured item may take, in `unit`; exception-age without a target uses each category\'s slaHours'),
  unit: z.enum(['seconds', 'hours']).default('seconds'),
  objective: z.number().gt(0).max(1).default(0.95).describe('the share of measured items that must be within the target'),
  windowMinutes: z.number().positive().max(10_080).default(60).describe('delivery-latency: the rolling window of delivered items'),
  ownerRole: z.string().min(1).optional()
    .describe('who is alerted when it breaches; default: the category\'s owner (exception-age, supplier-ack-lateness), else integration'),
  runbook: z.string().min(1).optional().describe('the runbook its breach alert names; default docs/runbooks/service-level-breach.md#<name>'),
}).superRefine((s, ctx) => {
  if (s.target === undefined && s.measure !== 'exception-age') ctx.addIssue({ code: 'custom', path: ['target'], message: `a ${s.measure} service level needs a target` });
  const only: readonly string[] = { 'delivery-latency': ['actions', 'destinations', 'roles'], 'exception-age': ['categories'], 'supplier-ack-lateness': [] }[s.measure];
  for (const key of ['actions', 'destinations', 'roles', 'categories'] as const) {
    if (s[key] !== undefined && !only.includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} does not select anything a ${s.measure} service level measures` });
  }
});
export type ServiceLevelConfig = z.infer<typeof ServiceLevel>;

/** The five named service levels a hub measures unless its configuration lists its own. */
export const DEFAULT_SERVICE_LEVELS: z.input<typeof ServiceLevel>[] = [
  {
    name: 'inventory-update-latency', description: 'stock movements reach the inventory system, so on-hand and reorders act on what was really used',
    measure: 'delivery-latency', roles: ['inventory'], actions: ['stock.decrement', 'stock.increment', 'stock.adjust', 'stock.count'],
    target: 300, unit: 'seconds', objective: 0.95, windowMinutes: 60, ownerRole: 'supply-chain',
  },
  {
    name: 'charge-sync-latency', description: 'charges and credits for supplies used reach billing: no implant used but not billed',
    measure: 'delivery-latency', roles: ['billing'], actions: ['charge.post', 'charge.credit'],
    target: 900, unit: 'seconds', objective: 0.99, windowMinutes: 60, ownerRole: 'revenue-cycle',
  },
  {
    name: 'financial-posting-window', description: 'issues, returns, receipts, adjustments and supplier invoices are posted in the ERP within the window',
    measure: 'delivery-latency', roles: ['erp'], actions: ['inventory.issue', 'inventory.return', 'inventory.receipt', 'inventory.adjustment', 'ap-invoice.post'],
    target: 4, unit: 'hours', objective: 0.99, windowMinutes: 1440, ownerRole: 'finance',
  },
  {
    name: 'supplier-ack-lateness', description: 'purchase orders acknowledged (855) by their due time (thresholds.supplierAckHours after the 850)',
    measure: 'supplier-ack-lateness', target: 0, unit: 'hours', objective: 0.95,
  },
  {
    name: 'exception-age', description: 'open business exceptions are worked within their category\'s SLA',
    measure: 'exception-age', unit: 'hours', objective: 0.9,
  },
];

/** One alert rule: the threshold, how long the condition must hold before it fires, and how long it must be gone before it clears. */
const alertRule = (d: { threshold: number; for: number; clearAfter: number; severity: 'warning' | 'critical' }, what: string) => z.object({
  enabled: z.boolean().default(true),
  threshold: z.number().min(0).default(d.threshold).describe(what),
  clearBelow: z.number().min(0).optional().describe('hysteresis: the value must fall below this to count as cleared (default: the threshold)'),
  for: z.number().min(0).default(d.for).describe('seconds the condition must hold (gaps shorter than clearAfter included) before the alert fires'),
  clearAfter: z.number().min(0).default(d.clearAfter).describe('seconds the condition must stay cleared before the alert resolves'),
  severity: z.enum(['warning', 'critical']).default(d.severity),
  escalateAfter: z.number().positive().optional().describe('seconds unacknowledged before escalation; default alerts.escalation.after'),
});
export type AlertRuleConfig = z.output<ReturnType<typeof alertRule>>;

const AlertRoute = z.object({
  url: z.url({ protocol: /^https?$/, error: 'an http(s):// url' }).describe('the webhook that receives this role\'s alerts (POST, JSON)'),
  secret: z.string().min(32).optional().describe('signs each notification (Tendon-Signature, as webhook destinations sign); give it as ${ENV}'),
});

const Alerts = z.object({
  enabled: z.boolean().default(true),
  hub: z.string().min(1).optional().describe('names this hub in every notification; default: the host name'),
  rules: z.object({
    'queue-depth': alertRule({ threshold: 1000, for: 60, clearAfter: 120, severity: 'warning' }, 'deliveries queued for one destination').prefault({}),
    'oldest-pending': alertRule({ threshold: 300, for: 30, clearAfter: 60, severity: 'critical' }, 'age in seconds of the oldest delivery one destination has not yet taken').prefault({}),
    'error-rate': alertRule({ threshold: 0.25, for: 120, clearAfter: 300, severity: 'warning' }, 'failed attempts / attempts (destinations) or refused / received messages (channels), 0..1')
      .extend({ minPerSecond: z.number().min(0).default(0.2).describe('quieter destinations and channels are not judged by their error rate') }).prefault({}),
    'circuit-open': alertRule({ threshold: 1, for: 30, clearAfter: 60, severity: 'critical' }, 'not used: the alert holds while the circuit is open or half-open').prefault({}),
    'service-level-breach': alertRule({ threshold: 1, for: 300, clearAfter: 600, severity: 'critical' }, 'not used: the alert holds while a service level\'s compliance is below its objective').prefault({}),
  }).prefault({}),
  routes: z.record(z.string().min(1), AlertRoute).default({}).describe('owner role → the webhook its alerts go to'),
  fallbackRole: z.string().min(1).default('integration').describe('whose route takes the alerts of a role that has none'),
  escalation: z.object({
    role: z.string().min(1).default('on-call').describe('the role (its route) told when an alert stays unacknowledged'),
    after: z.number().positive().default(900).describe('seconds a firing alert may stay unacknowledged before it is escalated'),
  }).prefault({}),
  timeoutMs: z.int().min(100).default(5000).describe('one notification attempt'),
  retry: z.object({ baseMs: z.int().min(10).default(1000), capMs: z.int().min(10).default(300_000) }).prefault({})
    .describe('a failed notification is retried with backoff until it is taken; it is never dropped'),
}).prefault({});
export type AlertsConfig = z.infer<typeof Alerts>;

export const HubConfig = z.object({
  dataDir: z.string().default('./data'),
  http: z.object({ host: z.string().default('127.0.0.1'), port: z.int().min(0).max(65535).default(8080) }).prefault({}),
  store: z.object({
    kind: z.literal('sqlite').default('sqlite'),
    path: z.string().optional().describe('defaults to <dataDir>/tendon.db'),
    synchronous: z.enum(['FULL', 'NORMAL', 'OFF']).default('FULL').describe('FULL: every acknowledged commit is on disk'),
  }).prefault({}),
  security: z.object({
    phiKey: z.string().min(44).describe('32-byte key (64 hex or 44 base64 characters) for PHI tokens and encryption'),
  }),
  masterData: z.object({
    url: z.url().describe('the ERP API that is the system of record for master data'),
    intervalSeconds: z.number().positive().default(60).describe('incremental pull period (updatedSince)'),
  }),
  destinations: z.array(DestinationConfig.superRefine(destinationRules)).min(1),
  routes: z.array(Route).default([]),
  thresholds: Thresholds.prefault({}),
  sites: z.record(z.string(), z.object({ thresholds: Thresholds.partial() }).partial())
    .default({}).describe('per facility code: thresholds that differ at that site'),
  exceptions: z.partialRecord(z.enum([...new Set([...DATA_EXCEPTION_CATEGORIES, ...PROCESS_EXCEPTION_CATEGORIES, 'delivery_rejected' as const])]), z.object({
    ownerRole: z.string().min(1).optional().describe('the role whose work queue it lands in'),
    slaHours: z.number().positive().optional().describe('hours until an open exception of this category breaches its SLA'),
  })).default({}).describe('per exception category: owner role and SLA hours, overriding the defaults (docs/exceptions.md)'),
  inbound: z.array(InboundChannel).default([]).describe('inbound channels besides POST /v1/events'),
  serviceLevels: z.array(ServiceLevel).prefault(DEFAULT_SERVICE_LEVELS)
    .describe('business service levels shown on the overview against their targets (docs/monitoring.md); the default is the five named ones'),
  alerts: Alerts.describe('alert rules, routes to owner roles\' webhooks, escalation (docs/monitoring.md)'),
  fhir: z.object({
    defaultFacility: z.string().optional().describe('facility of FHIR resources that name none'),
  }).prefault({}).describe('the FHIR R4 endpoint at /fhir/r4'),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
}).superRefine((c, ctx) => {
  // Names are how routes, metrics, the API and stored deliveries refer to channels: each must mean one thing.
  const once = (names: string[], path: string) => names.forEach((n, i) => {
    if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: [path, i, 'name'], message: `the name ${n} is used twice` });
  });
  once(c.destinations.map((d) => d.name), 'destinations');
  once(c.inbound.map((d) => d.name), 'inbound');
  once(c.serviceLevels.map((s) => s.name), 'serviceLevels');
  c.serviceLevels.forEach((s, i) => s.destinations?.forEach((name, j) => {
    if (!c.destinations.some((d) => d.name === name)) ctx.addIssue({ code: 'custom', path: ['serviceLevels', i, 'destinations', j], message: `no destination is named ${name}` });
  }));
  c.routes.forEach((r, i) => r.to.forEach((name, j) => {
    const d = c.destinations.find((x) => x.name === name);
    if (!d) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `no destination is named ${name}` });
    else if (d.role !== r.role) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `${name} is a ${d.role} destination, not ${r.role}` });
  }));
});
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;

/** Keys whose values are secrets wherever they sit (the PHI key, webhook secrets, bearer tokens). */
const SECRET_KEYS = new Set(['phiKey', 'secret', 'bearerToken']);

/** The configuration with every secret replaced by "[redacted]", for showing it (GET /v1/config). */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) && v !== undefined ? '[redacted]' : redactSecrets(v)])) as T;
}

/** The JSON Schema of the configuration file (what a user writes: defaults are optional), for editors and the docs. */
export const configJsonSchema = (): unknown => z.toJSONSchema(HubConfig, { io: 'input', unrepresentable: 'any' });
