// A 997 or 999 from a partner, about a functional group Tendon sent (its 850s): which group (AK1), whether it was
// accepted (AK9), and each transaction set's answer (AK2 … AK5/IK5) with the errors the partner pointed at. It
// makes no event and is never acknowledged back (X12 does not acknowledge acknowledgments). A TA1 is the same
// about an interchange's envelope.
import { el, fail, missingSegment, required, tagOf } from './elements.ts';
import { find, loopsOf } from './document.ts';
import { ELEMENT_ERRORS, SEGMENT_ERRORS, TA1_NOTES, type ReceivedAck, type Segment } from './types.ts';

const GROUP_STATUS: Record<string, ReceivedAck['status']> = {
  A: 'accepted', E: 'accepted-with-errors', P: 'partially-accepted', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected',
};

const describe = (s: Segment): string | null => {
  const known = <T extends object>(table: T, code: string) => (Object.hasOwn(table, code) ? table[code as keyof T] : `code ${code}`);
  switch (tagOf(s)) {
    case 'AK3': case 'IK3': return `segment ${el(s, 1)} at position ${el(s, 2)}: ${known(SEGMENT_ERRORS, el(s, 4))}`;
    case 'AK4': case 'IK4': return `element ${el(s, 1)}: ${known(ELEMENT_ERRORS, el(s, 3))}${el(s, 4) ? ` ("${el(s, 4)}")` : ''}`;
    default: return null;
  }
};

export function readReceivedAck(type: '997' | '999', segments: Segment[]): ReceivedAck {
  const ak1 = find(segments, 'AK1') ?? missingSegment('AK1', 2, `a ${type} starts with AK1 (the acknowledged group)`);
  const ak9 = find(segments, 'AK9') ?? missingSegment('AK9', segments.length, `a ${type} ends with AK9 (the group's answer)`);
  const code = required(ak9, 1, 'AK901 functional group acknowledge code');
  const status = Object.hasOwn(GROUP_STATUS, code) ? GROUP_STATUS[code]! : fail(ak9, 1, '7', `"${code.slice(0, 4)}" is not A, E, P, R, M, W or X`);
  const sets = loopsOf(segments, 'AK2', ['AK9', 'SE']).map((loop) => {
    const ak2 = loop[0]!;
    const answer = loop.find((s) => tagOf(s) === 'AK5' || tagOf(s) === 'IK5')
      ?? missingSegment(type === '999' ? 'IK5' : 'AK5', ak2.position + loop.length, `AK2 at ${ak2.position} has no ${type === '999' ? 'IK5' : 'AK5'}`);
    return {
      type: required(ak2, 1, 'AK201 transaction set identifier'),
      controlNumber: required(ak2, 2, 'AK202 transaction set control number'),
      accepted: el(answer, 1) === 'A' || el(answer, 1) === 'E',
      codes: [2, 3, 4, 5, 6].map((n) => el(answer, n)).filter((c) => c !== ''),
      errors: loop.flatMap((s) => describe(s) ?? []),
    };
  });
  return { type, functionalId: required(ak1, 1, 'AK101 functional identifier'), controlNumber: required(ak1, 2, 'AK102 group control number'), status, sets };
}

/** A TA1 (TA101 interchange control number, TA104 A/E/R, TA105 note). */
export function readTa1(values: string[]): ReceivedAck {
  const at = (n: number) => values[n]?.trim() ?? '';
  const note = at(5);
  return {
    type: 'TA1', functionalId: '', controlNumber: at(1), status: GROUP_STATUS[at(4)] ?? 'rejected', sets: [],
    note: `${note}${Object.hasOwn(TA1_NOTES, note) ? ` ${TA1_NOTES[note as keyof typeof TA1_NOTES]}` : ''}`,
  };
}

/** The acknowledgment refuses what it answers: the group or interchange rejected, or any of its sets. */
export const refuses = (ack: ReceivedAck): boolean => ack.status === 'rejected' || ack.sets.some((s) => !s.accepted);

/** A refusal in a line: `997 rejected; segment PO1 at position 4: …`, kept as the delivery's reason. */
export const refusalOf = (ack: ReceivedAck): string =>
  `${ack.type} ${ack.status}${ack.note ? ` ${ack.note}` : ''}${ack.sets.flatMap((s) => s.errors).map((e) => `; ${e}`).join('')}`;
