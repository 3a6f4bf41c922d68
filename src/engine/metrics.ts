// Prometheus metrics (prom-client). Names are documented in docs/metrics.md; keep the two in step.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tendon_process_' });
  const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
  return {
    registry,
    eventsIn: new Counter({ name: 'tendon_events_ingested_total', help: 'Canonical events received, by type and result (accepted, held, duplicate)', labelNames: ['type', 'result'], registers: [registry] }),
    messagesIn: new Counter({ name: 'tendon_messages_received_total', help: 'Inbound messages, by channel and result', labelNames: ['channel', 'result'], registers: [registry] }),
    deliveries: new Counter({ name: 'tendon_deliveries_total', help: 'Deliveries that reached a final state, by destination and outcome', labelNames: ['destination', 'outcome'], registers: [registry] }),
    attempts: new Counter({ name: 'tendon_delivery_attempts_total', help: 'Delivery attempts, by destination and outcome (success, retryable, rejected)', labelNames: ['destination', 'outcome'], registers: [registry] }),
    attemptLatency: new Histogram({ name: 'tendon_delivery_attempt_seconds', help: 'Latency of one delivery attempt', labelNames: ['destination'], buckets: latencyBuckets, registers: [registry] }),
    endToEnd: new Histogram({ name: 'tendon_ingest_to_delivery_seconds', help: 'From ingest commit to the destination acknowledging', labelNames: ['destination'], buckets: latencyBuckets, registers: [registry] }),
    ingestLatency: new Histogram({ name: 'tendon_ingest_commit_seconds', help: 'From request to durable commit (what the sender waits for)', labelNames: ['channel'], buckets: latencyBuckets, registers: [registry] }),
    queueDepth: new Gauge({ name: 'tendon_queue_depth', help: 'Deliveries waiting or in flight, by destination', labelNames: ['destination'], registers: [registry] }),
    circuit: new Gauge({ name: 'tendon_circuit_state', help: 'Circuit breaker per destination: 0 closed, 1 open, 2 half-open', labelNames: ['destination'], registers: [registry] }),
    paused: new Gauge({ name: 'tendon_destination_paused', help: '1 when a destination is paused by an operator', labelNames: ['destination'], registers: [registry] }),
    exceptionsRaised: new Counter({ name: 'tendon_exceptions_raised_total', help: 'Business exceptions raised since start, by category', labelNames: ['category'], registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
