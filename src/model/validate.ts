// Validation of inbound canonical events, with every problem named by array index and JSON path, so the
// sender can fix all of them at once.
import type { z } from 'zod';
import { invalid, type FieldIssue } from '../core/errors.ts';
import { InboundEvent, type InboundEventT } from './events.ts';

export const MAX_BATCH = 1000;

const pointer = (path: ReadonlyArray<PropertyKey>): string =>
  '/' + path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export function issuesOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): FieldIssue[] {
  return error.issues.map((i) => ({ path: pointer([...prefix, ...i.path]), message: i.message }));
}

/** Validates one event or an array of up to MAX_BATCH; throws `invalid` naming each bad field. */
export function parseEvents(body: unknown): { events: InboundEventT[]; batch: boolean } {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? (body as unknown[]) : [body];
  if (items.length === 0) throw invalid('the batch is empty', [{ path: '/', message: 'at least one event' }]);
  if (items.length > MAX_BATCH) {
    throw invalid(`a batch holds at most ${MAX_BATCH} events`, [{ path: '/', message: `${items.length} events` }]);
  }
  const events: InboundEventT[] = [];
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const result = InboundEvent.safeParse(item);
    if (result.success) events.push(result.data as InboundEventT);
    else issues.push(...issuesOf(result.error, batch ? [index] : []));
  });
  if (issues.length > 0) throw invalid(`${issues.length} invalid field(s); nothing was stored`, issues);
  return { events, batch };
}
