// Prometheus metrics (prom-client). Names are documented in docs/metrics.md; keep the two in step.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SERVICE_LATENCY_BOUNDS } from '../monitoring/histogram.ts';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tendon_process_' });
  const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  return {
    registry,
    eventsIn: new Counter({ name: 'tendon_events_ingested_total', help: 'Canonical events received, by type and result (accepted, held, duplicate)', labelNames: ['type', 'result'], registers: [registry] }),
    messagesIn: new Counter({ name: 'tendon_messages_received_total', help: 'Inbound messages, by channel and result', labelNames: ['channel', 'result'], registers: [registry] }),
    deliveries: new Counter({ name: 'tendon_deliveries_total', help: 'Deliveries that reached a final state, by destination and outcome', labelNames: ['destination', 'outcome'], registers: [registry] }),
    partnerAcks: new Counter({ name: 'tendon_partner_acks_total', help: 'Partners\' 997/999/TA1 about interchanges Tendon sent, by destination and result (accepted, refused, unmatched)', labelNames: ['destination', 'result'], registers: [registry] }),
    attempts: new Counter({ name: 'tendon_delivery_attempts_total', help: 'Delivery attempts, by destination and outcome (success, retryable, rejected)', labelNames: ['destination', 'outcome'], registers: [registry] }),
    attemptLatency: new Histogram({ name: 'tendon_delivery_attempt_seconds', help: 'Latency of one delivery attempt', labelNames: ['destination'], buckets: latencyBuckets, registers: [registry] }),
    endToEnd: new Histogram({ name: 'tendon_ingest_to_delivery_seconds', help: 'From ingest commit to the destination acknowledging', labelNames: ['destination'], buckets: latencyBuckets, registers: [registry] }),
    ingestLatency: new Histogram({ name: 'tendon_ingest_commit_seconds', help: 'From request to durable commit (what the sender waits for)', labelNames: ['channel'], buckets: latencyBuckets, registers: [registry] }),
    queueDepth: new Gauge({ name: 'tendon_queue_depth', help: 'Deliveries waiting or in flight, by destination', labelNames: ['destination'], registers: [registry] }),
    circuit: new Gauge({ name: 'tendon_circuit_state', help: 'Circuit breaker per destination: 0 closed, 1 open, 2 half-open', labelNames: ['destination'], registers: [registry] }),
    paused: new Gauge({ name: 'tendon_destination_paused', help: '1 when a destination is paused by an operator', labelNames: ['destination'], registers: [registry] }),
    exceptionsRaised: new Counter({ name: 'tendon_exceptions_raised_total', help: 'Business exceptions raised since start, by category', labelNames: ['category'], registers: [registry] }),
    // What the business service levels and the overview need (engine/monitor.ts, docs/monitoring.md).
    serviceLatency: new Histogram({ name: 'tendon_delivery_latency_seconds', help: 'From ingest commit to the destination acknowledging, by destination and action, in buckets up to a day (service levels)', labelNames: ['destination', 'action'], buckets: [...SERVICE_LATENCY_BOUNDS], registers: [registry] }),
    facilityEvents: new Counter({ name: 'tendon_facility_events_total', help: 'Canonical events committed, by facility and status (accepted, held)', labelNames: ['facility', 'status'], registers: [registry] }),
    serviceLevelCompliance: new Gauge({ name: 'tendon_service_level_compliance', help: 'Share of measured items within the service level\'s target, 0..1 (absent when nothing was measured)', labelNames: ['service_level'], registers: [registry] }),
    serviceLevelBreached: new Gauge({ name: 'tendon_service_level_breached', help: '1 while a service level misses its objective', labelNames: ['service_level'], registers: [registry] }),
    alertsFiring: new Gauge({ name: 'tendon_alerts_firing', help: 'Alerts firing, by rule and severity', labelNames: ['rule', 'severity'], registers: [registry] }),
    monitorTick: new Histogram({ name: 'tendon_monitor_tick_seconds', help: 'One evaluation of the overview and the alert rules (the monitor\'s own cost, every second)', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25], registers: [registry] }),
    alertNotifications: new Counter({ name: 'tendon_alert_notifications_total', help: 'Alert notifications, by status (firing, resolved, escalated) and outcome (sent, failed, unrouted)', labelNames: ['status', 'outcome'], registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Counts committed events by facility: the overview's events per second per facility. Children are kept per
 * (facility, status), so a commit costs a map lookup per event rather than a label lookup.
 */
export function facilityCounter(metrics: Metrics): (events: readonly { facility: string; status: string }[]) => void {
  const children = new Map<string, { inc(): void }>();
  return (events) => {
    for (const e of events) {
      const key = `${e.facility}\u0000${e.status}`;
      let child = children.get(key);
      if (!child) children.set(key, (child = metrics.facilityEvents.labels(e.facility, e.status)));
      child.inc();
    }
  };
}
