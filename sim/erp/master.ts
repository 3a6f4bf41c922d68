// Incremental paging of master data, as pure functions. Records are ordered by (updatedAt, id); a page
// holds records with updatedAt strictly after `updatedSince` and strictly after the cursor's position.
// Strictly-after is safe because every write stamps updatedAt later than anything already in the entity
// (see nextStamp), so a client that keeps its highest updatedAt as a watermark never misses an update.
import { z } from 'zod';
import { badRequest } from '../common/problem.ts';

export type MasterRecord = { id: string; updatedAt: string; [field: string]: unknown };
export type Page = { data: MasterRecord[]; nextCursor: string | null };
export type PageRequest = { updatedSince?: string; limit: number; cursor?: string };

export const DEFAULT_LIMIT = 500;
export const MAX_LIMIT = 1000;

/** The query of every paged list (`GET /api/<entity>`, `GET /api/payments`). */
export const pageQuery = z.object({
  updatedSince: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().min(1).optional(),
});

export function compareRecords(a: MasterRecord, b: MasterRecord): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function encodeCursor(record: MasterRecord): string {
  return Buffer.from(JSON.stringify([record.updatedAt, record.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { updatedAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('cursor is not one this server issued');
}

/** Normalises any ISO 8601 instant (with offset or Z) to the `toISOString` form records are stamped in. */
export function normaliseInstant(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw badRequest(`updatedSince must be an ISO 8601 date-time, got "${value}"`);
  }
  return new Date(ms).toISOString();
}

/** Index of the first record strictly after `key` in a sorted array (binary search). */
function firstAfter(sorted: MasterRecord[], key: { updatedAt: string; id: string }): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = sorted[mid] as MasterRecord;
    if (r.updatedAt < key.updatedAt || (r.updatedAt === key.updatedAt && r.id <= key.id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One page out of records already sorted with compareRecords. */
export function pageOf(sorted: MasterRecord[], req: PageRequest): Page {
  let start = 0;
  if (req.updatedSince !== undefined) {
    // '\uffff' sorts after every id, so this skips all records stamped exactly at updatedSince.
    start = firstAfter(sorted, { updatedAt: normaliseInstant(req.updatedSince), id: '\uffff' });
  }
  if (req.cursor !== undefined) start = Math.max(start, firstAfter(sorted, decodeCursor(req.cursor)));
  const data = sorted.slice(start, start + req.limit);
  const last = data.at(-1);
  const more = start + data.length < sorted.length;
  return { data, nextCursor: more && last ? encodeCursor(last) : null };
}

/** A stamp later than both the clock and every existing record, so watermarks never skip an update. */
export function nextStamp(latestExisting: string | undefined, nowMs: number = Date.now()): string {
  const floor = latestExisting === undefined ? 0 : Date.parse(latestExisting) + 1;
  return new Date(Math.max(nowMs, floor)).toISOString();
}
