// The hub's configuration: one zod schema, the single source of validation, types, defaults and the JSON Schema
// in the docs. Secrets come in through ${ENV} references (see load.ts).
import { z } from 'zod';
import { ROLES, type DestinationRole } from '../flows/plan.ts';
import { EVENT_TYPES } from '../model/events.ts';

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
  http: { roles: ['erp', 'inventory', 'billing'], schemes: ['http:', 'https:'], what: 'REST JSON' },
  mllp: { roles: ['billing'], schemes: ['mllp:'], what: 'HL7 v2 DFT^P03 charges' },
  fhir: { roles: ['billing', 'erp', 'supplier'], schemes: ['http:', 'https:'], what: 'FHIR R4 ChargeItem / SupplyRequest' },
  x12: { roles: ['supplier'], schemes: ['http:', 'https:', 'file:'], what: 'X12 850 purchase orders' },
  nats: { roles: ['analytics'], schemes: ['nats:'], what: 'canonical events on a JetStream stream' },
  webhook: { roles: ['analytics'], schemes: ['http:', 'https:'], what: 'canonical events as signed webhooks' },
  csv: { roles: ['analytics'], schemes: ['file:'], what: 'canonical events as CSV files, written atomically' },
} as const satisfies Record<string, { roles: readonly DestinationRole[]; schemes: readonly string[]; what: string }>;
export const DESTINATION_KINDS = Object.keys(KIND_RULES) as (keyof typeof KIND_RULES)[];

export const DestinationConfig = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  role: z.enum(ROLES).describe('what kind of system this is; flows deliver by role'),
  kind: z.enum(DESTINATION_KINDS).default('http').describe('the format and transport; see KIND_RULES for the roles and URLs each takes'),
  url: z.url().describe('http(s)://… for http, fhir, webhook and x12 over HTTP; mllp://host:port; nats://host:port; file:///folder for csv and x12 files'),
  hl7: z.object({
    sendingApplication: z.string().default('TENDON'), sendingFacility: z.string().default('TENDON'),
    receivingApplication: z.string().default('BILLING'), receivingFacility: z.string().default(''),
  }).prefault({}).describe('MSH-3 to MSH-6 of outbound HL7 (kind mllp)'),
  phi: z.boolean().default(false).describe('allowed to receive patient identifiers in clear (billing only)'),
  ownerRole: z.string().default('integration').describe('who owns business rejections from this destination'),
  concurrency: z.int().min(1).max(1024).default(32),
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

/** Every kind of inbound channel: each has a `kind`, a unique `name`, and its own options. */
const InboundChannel = z.discriminatedUnion('kind', [MllpInbound]);
export type InboundConfig = z.infer<typeof InboundChannel>;
export type Hl7ReadingConfig = z.infer<typeof Hl7Reading>;

/** Business thresholds: one set of defaults, and per site (facility code) only what differs there. */
const Thresholds = z.object({
  emergencyOnHand: z.number().min(0).default(0).describe('a critical item at or below this on hand is reordered as emergency'),
});
export type ThresholdsConfig = z.infer<typeof Thresholds>;

const Route = z.object({
  role: z.enum(ROLES),
  facilities: z.array(z.string().min(1)).min(1).optional().describe('the facilities this route serves; omitted: every facility'),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1).optional().describe('the event types it serves; omitted: every type'),
  to: z.array(z.string()).min(1).describe('names of destinations of that role'),
}).describe('the first route matching (role, facility, event type) chooses the destinations; without one, every destination of the role');
export type RouteConfig = z.infer<typeof Route>;

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
  inbound: z.array(InboundChannel).default([]).describe('inbound channels besides POST /v1/events'),
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
  c.routes.forEach((r, i) => r.to.forEach((name, j) => {
    const d = c.destinations.find((x) => x.name === name);
    if (!d) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `no destination is named ${name}` });
    else if (d.role !== r.role) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `${name} is a ${d.role} destination, not ${r.role}` });
  }));
});
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;
