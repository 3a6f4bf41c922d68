// The traffic generator's public surface, one import path for tests and the benchmark.
export { canonicalEventSchema, isoWithOffset, type CanonicalEvent, type EventType, type ItemRef } from './events.ts';
export {
  BAD_KINDS,
  createTrafficState,
  nextBatch,
  type BadKind,
  type TrafficOptions,
  type TrafficState,
  type TrafficStats,
} from './generator.ts';
export { caseToDft, isEhrDocumented, splitForHl7, toDftCase, type DftCase, type DftLine } from './dft.ts';
export { initialCounts, receiptFor, type OpenRequisition } from './stock-events.ts';
export { runTraffic, type RunStats, type TrafficRunOptions } from './poster.ts';
