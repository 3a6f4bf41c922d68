// An interchange → canonical events and the answer to send back. The order of the checks is the order of the
// answers: an envelope Tendon cannot trust (TA1, nothing taken), then per functional group a version or function
// Tendon does not take (AK9 R), then per transaction set its own envelope, then its content (AK3/AK4, AK5 R).
// A rejected set makes no event; the sets beside it still do. Every failure is a value: nothing a sender writes
// can make this throw.
import type { InboundEventT } from '../../model/events.ts';
import { priceUpdated } from './catalog.ts';
import type { SetMapper } from './document.ts';
import { el, tagOf } from './elements.ts';
import { invoiceReceived } from './invoice.ts';
import { poAcknowledged } from './po-ack.ts';
import { readInterchange, type FunctionalGroup, type Interchange, type TransactionSet } from './read.ts';
import { readReceivedAck, readTa1 } from './received-ack.ts';
import { shipmentNoticed } from './ship-notice.ts';
import { DEFAULT_OFFSET, GROUP_ERRORS, SET_ERRORS, SetFailure, type GroupAnswer, type ReceivedAck, type SetAnswer, type X12Decoded, type X12Options } from './types.ts';

/** X12 is ASCII by tradition and UTF-8 in 005010's extended set; bytes that are not UTF-8 are read as Latin-1. */
export function textOf(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** The transaction sets Tendon takes, each in its functional group (GS01). */
const SETS: Record<string, { functionalId: string; map: SetMapper }> = {
  '855': { functionalId: 'PR', map: poAcknowledged },
  '856': { functionalId: 'SH', map: shipmentNoticed },
  '810': { functionalId: 'IN', map: invoiceReceived },
  '832': { functionalId: 'SC', map: priceUpdated },
};
const FUNCTIONS = new Set(Object.values(SETS).map((s) => s.functionalId));

/** The supplier an ISA06 sender id is (the channel's partner table), else `x12:<sender>`. */
export const supplierOf = (partners: Record<string, string>, sender: string): string =>
  Object.hasOwn(partners, sender) ? partners[sender]! : `x12:${sender}`;

/** 999 answers groups of version 005010; 997 answers every earlier version. */
const ackFor = (version: string): GroupAnswer['ack'] => (version.startsWith('00501') ? '999' : '997');
const TAKEN_VERSIONS = /^00(401|501)/;

export function decodeX12(raw: Buffer | string, options: X12Options): X12Decoded {
  try {
    return decode(textOf(raw), options);
  } catch (error) {
    // A bug of ours, not the sender's: the interchange is refused (it can be sent again once fixed), never thrown.
    const message = `internal error: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}`;
    return { ok: false, header: null, answer: { ta1: { note: '024' }, groups: [] }, error: { note: '024', message } };
  }
}

function decode(text: string, options: X12Options): X12Decoded {
  const read = readInterchange(text);
  if (!read.ok) {
    return { ok: false, header: read.header, answer: { ta1: { note: read.note }, groups: [] }, error: { note: read.note, message: read.message } };
  }
  const { interchange } = read;
  const { header } = interchange;
  const supplierId = supplierOf(options.partners, header.sender);
  const events: InboundEventT[] = [];
  const received: ReceivedAck[] = interchange.interchangeAcks.map(readTa1);
  const groups: GroupAnswer[] = [];
  const rejections: string[] = [];

  for (const group of interchange.groups) {
    const [functionalId, control, version] = [el(group.gs, 1), el(group.gs, 6), el(group.gs, 8)];
    const rejected = (set: TransactionSet, why: string) =>
      rejections.push(`${el(set.segments[0], 1) || '?'} ${el(set.segments[0], 2) || '?'} in group ${control}: ${why}`);
    if (functionalId === 'FA') {
      // A partner's acknowledgments: read, never answered; one that cannot be read is only noted.
      for (const set of group.sets) {
        const type = el(set.segments[0], 1);
        if (set.envelopeError || (type !== '997' && type !== '999')) rejected(set, `not a readable 997 or 999`);
        else {
          try {
            received.push(readReceivedAck(type, set.segments));
          } catch (error) {
            rejected(set, (error as Error).message);
          }
        }
      }
      continue;
    }
    const answer: GroupAnswer = {
      ack: ackFor(version), functionalId, applicationSender: el(group.gs, 2), applicationReceiver: el(group.gs, 3), controlNumber: control, version, sets: [],
    };
    if (!TAKEN_VERSIONS.test(version)) answer.groupError = '2';
    else if (!FUNCTIONS.has(functionalId)) answer.groupError = '1';
    for (const set of group.sets) {
      const outcome = answerFor(set, group, answer, interchange, options, supplierId, events);
      if (!outcome.accepted) rejected(set, outcome.error?.message ?? (answer.groupError ? GROUP_ERRORS[answer.groupError] : SET_ERRORS[outcome.code!]));
      answer.sets.push(outcome);
    }
    groups.push(answer);
  }
  const kind = interchange.groups.every((g) => el(g.gs, 1) === 'FA') ? 'acknowledgment' : 'documents';
  return { ok: true, kind, header, events, received, answer: { ta1: header.ackRequested ? { note: '000' } : null, groups }, rejections };
}

/** One transaction set: its events are added to `events` only when the whole set maps. */
function answerFor(
  set: TransactionSet, group: FunctionalGroup, answer: GroupAnswer, interchange: Interchange, options: X12Options,
  supplierId: string, events: InboundEventT[],
): SetAnswer {
  const st = set.segments[0]!;
  const base = { type: el(st, 1), controlNumber: el(st, 2) };
  if (answer.groupError) return { ...base, accepted: false, code: '1' };
  if (set.envelopeError) return { ...base, accepted: false, code: set.envelopeError };
  if (set.unreadable) return { ...base, accepted: false, code: '5', error: set.unreadable };
  const entry = Object.hasOwn(SETS, base.type) ? SETS[base.type] : undefined;
  if (!entry) return { ...base, accepted: false, code: '1' };
  if (entry.functionalId !== answer.functionalId) return { ...base, accepted: false, code: '6' };
  try {
    events.push(...entry.map({
      header: interchange.header, gs: group.gs, segments: set.segments, delimiters: interchange.delimiters, supplierId,
      facility: options.facility, defaultOffset: options.defaultOffset ?? DEFAULT_OFFSET,
    }));
    return { ...base, accepted: true };
  } catch (error) {
    if (error instanceof SetFailure) return { ...base, accepted: false, code: '5', error: error.error };
    // A bug of ours, not the sender's: the set is rejected (the sender may send it again once it is fixed), never thrown.
    const detail = error instanceof Error ? error.message : String(error);
    return { ...base, accepted: false, code: '5', error: { tag: tagOf(st), position: 1, code: '8', message: `internal error: ${detail.slice(0, 200)}` } };
  }
}
