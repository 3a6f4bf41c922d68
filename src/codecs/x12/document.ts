// What every supplier document mapping shares: the context of its transaction set (who sent it, under which
// control numbers), its facility and time, its idempotency key, the canonical envelope, and a last check against
// the canonical schema whose failure still names the segment and element the sender must fix.
import { InboundEvent, type EventType, type InboundEventT } from '../../model/events.ts';
import { el, isoDate, isoTime, missingSegment, tagOf } from './elements.ts';
import { SetFailure, type Delimiters, type ElementErrorCode, type Segment, type X12Header } from './types.ts';

export interface SetContext {
  header: X12Header;
  gs: Segment;
  /** ST … SE, positions from 1. */
  segments: Segment[];
  delimiters: Delimiters;
  supplierId: string;
  /** The channel's facility for documents whose ship-to names none. */
  facility: string | undefined;
  defaultOffset: string;
}

export type SetMapper = (ctx: SetContext) => InboundEventT[];

/**
 * Sender + ISA13 + GS06 + ST02 (+ the part of the set, for sets that make several events): the same interchange
 * sent again makes the same keys, so it is a duplicate with no new effect.
 */
export function keyOf(ctx: SetContext, part?: string | number): string {
  const base = `${ctx.header.sender}:${ctx.header.controlNumber}:${el(ctx.gs, 6)}:${el(ctx.segments[0], 2)}`;
  return part === undefined ? base : `${base}:${part}`;
}

/** When the sender made the group (GS04 + GS05, both checked with the envelope), at the sender's offset. */
export function groupTime(ctx: SetContext): string {
  return `${isoDate(el(ctx.gs, 4))}T${isoTime(el(ctx.gs, 5))}${ctx.defaultOffset}`;
}

/** The first segment with this tag (and, when given, this first element): a qualifier picks among repeats. */
export function find(segments: Segment[], tag: string, qualifier?: string): Segment | undefined {
  return segments.find((s) => tagOf(s) === tag && (qualifier === undefined || el(s, 1) === qualifier));
}

/** Loops that start at each `start` segment and run until the next one or any `end` tag. */
export function loopsOf(segments: Segment[], start: string, ends: readonly string[] = ['CTT', 'SE']): Segment[][] {
  const loops: Segment[][] = [];
  let current: Segment[] | null = null;
  for (const s of segments) {
    const tag = tagOf(s);
    if (tag === start) loops.push((current = [s]));
    else if (ends.includes(tag)) current = null;
    else current?.push(s);
  }
  return loops;
}

/**
 * The ship-to Tendon named in its 850 (N1*ST with qualifier 92, buyer-assigned: the facility code), else the
 * channel's facility. Without either the document cannot be placed, and the sender is told where it was expected.
 */
export function facilityOf(ctx: SetContext): string {
  const shipTo = ctx.segments.find((s) => tagOf(s) === 'N1' && el(s, 1) === 'ST' && el(s, 3) === '92' && el(s, 4) !== '');
  if (shipTo) return el(shipTo, 4);
  if (ctx.facility) return ctx.facility;
  return missingSegment('N1', 2, 'no facility: no N1*ST with a buyer-assigned (92) facility code, and the channel has no default facility');
}

/** Where a value of the payload was read: `payload/lines/0/quantity` → SN1 element 2. */
export type Provenance = Map<string, [Segment, number]>;

/** The canonical event, validated; a failure is reported at the element the value came from (AK4). */
export function eventOf(
  ctx: SetContext,
  type: EventType,
  parts: { key: string; occurredAt: string; facility: string; payload: Record<string, unknown> },
  provenance: Provenance,
  fallback: Segment,
): InboundEventT {
  const candidate = {
    type, schemaVersion: 1, idempotencyKey: parts.key, occurredAt: parts.occurredAt, facility: parts.facility,
    source: { system: ctx.supplierId }, payload: parts.payload,
  };
  const result = InboundEvent.safeParse(candidate);
  if (result.success) return result.data as InboundEventT;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  let at: [Segment, number] | undefined;
  for (let n = path.length; n > 0 && !at; n--) at = provenance.get(path.slice(0, n).join('/'));
  const [segment, element] = at ?? [fallback, 0];
  const code: ElementErrorCode = issue.code === 'too_big' && issue.origin === 'string' ? '5' : issue.code === 'too_small' && issue.origin === 'string' ? '4' : '7';
  const message = `${tagOf(segment)}${element ? String(element).padStart(2, '0') : ''} (${path.join('.') || 'event'}): ${issue.message}`;
  if (element === 0) throw new SetFailure({ tag: tagOf(segment), position: segment.position, code: '8' }, message);
  const value = el(segment, element);
  throw new SetFailure({ tag: tagOf(segment), position: segment.position, code: '8', element: { position: element, code, value: value || undefined } }, message);
}
