// The overview the console shows live (GET /v1/overview, and every second on GET /v1/overview/stream as server-sent
// events): flow per channel and destination, service levels against their targets, alerts firing, exceptions, by
// facility. Types only: the engine's monitor fills it, the API serves it, the console draws it.

export interface ChannelFlow {
  name: string;
  kind: string;
  /** listening | running | stopped */
  status: string;
  messagesPerSecond: number;
  /** Messages answered with the protocol's error (refused) per second. */
  errorsPerSecond: number;
  /** errors / messages over the sampling window, 0..1. */
  errorRate: number;
  /** Receive → durable commit, p95 over the window, milliseconds; null when nothing arrived. */
  p95CommitMs: number | null;
  totalMessages: number;
  totalErrors: number;
}

export interface DestinationFlow {
  name: string;
  role: string;
  ownerRole: string;
  queued: number;
  inFlight: number;
  /** Age of the oldest delivery not yet delivered, seconds; 0 when none waits. */
  oldestPendingSeconds: number;
  deliveredPerSecond: number;
  /** Attempts that failed (retryable or rejected) per second. */
  failuresPerSecond: number;
  /** Attempts (any outcome) per second. */
  attemptsPerSecond: number;
  /** failed attempts / attempts over the window, 0..1. */
  errorRate: number;
  /** Ingest commit → destination acknowledged, p95 over the window, milliseconds; null when nothing delivered. */
  p95LatencyMs: number | null;
  circuit: 'closed' | 'open' | 'halfopen';
  paused: boolean;
  dead: number;
  rejected: number;
}

export interface FacilityFlow {
  facility: string;
  eventsPerSecond: number;
  openExceptions: number;
  /** Service-level breaches currently counted against this facility. */
  slaBreaches: number;
}

export interface ServiceLevelStatus {
  name: string;
  description: string;
  /** What is measured: delivery-latency | exception-age | supplier-ack-lateness | … */
  measure: string;
  /** The target the measured value must stay at or under, in `unit`. */
  target: number;
  unit: 'seconds' | 'hours' | 'percent';
  /** The measured value now (p95 latency, oldest age, …) in `unit`; null when there is nothing to measure. */
  current: number | null;
  /** Share of measured items within target over the window, 0..1; null when nothing was measured. */
  compliance: number | null;
  /** The objective compliance must reach, 0..1. */
  objective: number;
  status: 'ok' | 'breached' | 'no-data';
  /** Items currently outside the target, by facility. */
  breachesByFacility: Record<string, number>;
  /** Who is told when it breaches. */
  ownerRole: string;
  /** The rolling window of delivered items (delivery-latency); null for measures of what is open now. */
  windowMinutes: number | null;
}

export interface AlertView {
  id: string;
  rule: string;
  /** What broke: a destination, a channel, a service level or an exception category. */
  subject: string;
  severity: 'warning' | 'critical';
  ownerRole: string;
  summary: string;
  /** Path of the runbook in the repository, e.g. docs/runbooks/destination-backlog.md. */
  runbook: string;
  startedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
  clearedAt: string | null;
  status: 'firing' | 'resolved';
  /** The measured value (queue depth, seconds, error rate, compliance) when last evaluated, and the rule's threshold. */
  value: number | null;
  threshold: number | null;
}

export interface Overview {
  at: string;
  channels: ChannelFlow[];
  destinations: DestinationFlow[];
  facilities: FacilityFlow[];
  serviceLevels: ServiceLevelStatus[];
  alerts: AlertView[]; // firing ones
  exceptions: { open: number; byCategory: { category: string; open: number; oldestSeconds: number; ownerRole: string }[] };
}
