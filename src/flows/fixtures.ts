// Test data for flows: the master-data fixture plus an event as the pipeline hands it to a flow.
import type { FlowEvent } from './plan.ts';
import { NORTH, PERIOP } from '../masterdata/fixtures.ts';

export * from '../masterdata/fixtures.ts';

/** An event as the pipeline hands it to a flow; occurredAt is a weekday morning at a Central-time site. */
export const flowEvent = (type: string, payload: Record<string, unknown>, over: Partial<FlowEvent> = {}): FlowEvent => ({
  id: '01J0000000000000000000TEST', type, facility: NORTH, occurredAt: '2026-05-12T09:41:00-05:00', sourceSystem: PERIOP,
  correlationId: 'CASE-20260512-0007', payload, ...over,
});
