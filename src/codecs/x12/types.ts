// The X12 codec's vocabulary: how one channel reads its partners' interchanges (options), what an interchange's
// envelope said, the canonical events it carries, and what to answer: a TA1 for the interchange, a 997 or 999 for
// each functional group. The code tables are X12's own, so a partner's translator can act on every answer.
import type { InboundEventT } from '../../model/events.ts';

export interface X12Options {
  /** ISA06 sender id (trimmed) → Tendon's supplier id. A sender not listed is named `x12:<sender>`. */
  partners: Record<string, string>;
  /** The facility of documents whose ship-to (N1*ST with qualifier 92) does not name one. */
  facility?: string | undefined;
  /** X12 times carry no offset: the UTC offset of the sender's clock (`-05:00`, `Z`). */
  defaultOffset?: string | undefined;
}

export const DEFAULT_OFFSET = '-05:00';

/** The characters an interchange is written with, read from its ISA (never assumed). */
export interface Delimiters {
  element: string; // ISA offset 3
  component: string; // ISA16
  repetition: string | null; // ISA11 from version 00402 on; before it ISA11 is the standards id `U`
  segment: string; // the character after ISA16 (offset 105)
}

/** One segment as read: `values[0]` is the tag, `values[n]` element n as sent (untrimmed). */
export interface Segment {
  values: string[];
  /** Its position in its transaction set, ST = 1 (what AK302/IK302 report); 0 outside a set. */
  position: number;
}

/** The ISA as read. Identifiers are trimmed of their fixed-width padding; the control number is kept as sent. */
export interface X12Header {
  senderQualifier: string; // ISA05
  sender: string; // ISA06
  receiverQualifier: string; // ISA07
  receiver: string; // ISA08
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  version: string; // ISA12, e.g. 00401, 00501
  controlNumber: string; // ISA13, nine digits
  ackRequested: boolean; // ISA14 = 1: the sender wants a TA1 even when all is well
  usage: string; // ISA15 P production, T test
}

/** TA105, the interchange note codes Tendon reports (all reject the interchange: TA104 `R`). */
export const TA1_NOTES = {
  '000': 'No error',
  '001': 'The Interchange Control Number in the Header and Trailer Do Not Match',
  '004': 'Invalid Segment Terminator',
  '005': 'Invalid Interchange ID Qualifier for Sender',
  '006': 'Invalid Interchange Sender ID',
  '007': 'Invalid Interchange ID Qualifier for Receiver',
  '008': 'Invalid Interchange Receiver ID',
  '010': 'Invalid Authorization Information Qualifier Value',
  '011': 'Invalid Authorization Information Value',
  '012': 'Invalid Security Information Qualifier Value',
  '013': 'Invalid Security Information Value',
  '014': 'Invalid Interchange Date Value',
  '015': 'Invalid Interchange Time Value',
  '016': 'Invalid Interchange Standards Identifier Value',
  '017': 'Invalid Interchange Version ID Value',
  '018': 'Invalid Interchange Control Number Value',
  '019': 'Invalid Acknowledgment Requested Value',
  '020': 'Invalid Test Indicator Value',
  '021': 'Invalid Number of Included Groups Value',
  '022': 'Invalid Control Structure',
  '023': 'Improper (Premature) End-of-File (Transmission)',
  '024': 'Invalid Interchange Content (e.g., Invalid GS Segment)',
  '026': 'Invalid Data Element Separator',
  '027': 'Invalid Component Element Separator',
} as const;
export type Ta1Note = keyof typeof TA1_NOTES;

/** AK304 / IK304: what is wrong with a segment. */
export const SEGMENT_ERRORS = {
  '1': 'Unrecognized segment ID',
  '2': 'Unexpected segment',
  '3': 'Mandatory segment missing',
  '8': 'Segment has data element errors',
} as const;
export type SegmentErrorCode = keyof typeof SEGMENT_ERRORS;

/** AK403 / IK403: what is wrong with a data element. */
export const ELEMENT_ERRORS = {
  '1': 'Mandatory data element missing',
  '2': 'Conditional required data element missing',
  '4': 'Data element too short',
  '5': 'Data element too long',
  '6': 'Invalid character in data element',
  '7': 'Invalid code value',
  '8': 'Invalid date',
  '9': 'Invalid time',
} as const;
export type ElementErrorCode = keyof typeof ELEMENT_ERRORS;

/** AK502 / IK502: why a transaction set was rejected. */
export const SET_ERRORS = {
  '1': 'Transaction Set Not Supported',
  '2': 'Transaction Set Trailer Missing',
  '3': 'Transaction Set Control Number in Header and Trailer Do Not Match',
  '4': 'Number of Included Segments Does Not Match Actual Count',
  '5': 'One or More Segments in Error',
  '6': 'Missing or Invalid Transaction Set Identifier',
  '7': 'Missing or Invalid Transaction Set Control Number',
} as const;
export type SetErrorCode = keyof typeof SET_ERRORS;

/** AK905: why a whole functional group was rejected. */
export const GROUP_ERRORS = {
  '1': 'Functional Group Not Supported',
  '2': 'Functional Group Version Not Supported',
} as const;
export type GroupErrorCode = keyof typeof GROUP_ERRORS;

/** Where a problem is: the segment (AK3/IK3) and, when one element is at fault, that element (AK4/IK4). */
export interface SegmentError {
  tag: string;
  position: number;
  code: SegmentErrorCode;
  element?: { position: number; component?: number | undefined; code: ElementErrorCode; value?: string | undefined } | undefined;
  message: string;
}

/** The answer for one transaction set: AK2 + AK3/AK4 + AK5 (IK3/IK4/IK5 in a 999). */
export interface SetAnswer {
  type: string; // ST01
  controlNumber: string; // ST02
  accepted: boolean;
  code?: SetErrorCode | undefined;
  error?: SegmentError | undefined;
}

/** The answer for one functional group: a 997 (versions before 005010) or a 999 (005010). */
export interface GroupAnswer {
  ack: '997' | '999';
  functionalId: string; // GS01
  applicationSender: string; // GS02: the answer's GS03
  applicationReceiver: string; // GS03: the answer's GS02
  controlNumber: string; // GS06
  version: string; // GS08
  sets: SetAnswer[];
  groupError?: GroupErrorCode | undefined;
}

/** Everything to send back for one interchange; `ta1` is set on an envelope error, or when ISA14 asks for one. */
export interface X12Answer {
  ta1: { note: Ta1Note } | null;
  groups: GroupAnswer[];
}

/** A 997 or 999 a partner sent about one of Tendon's functional groups (its 850s), or a TA1 about an interchange. */
export interface ReceivedAck {
  type: '997' | '999' | 'TA1';
  functionalId: string; // AK101: the acknowledged group's GS01 ('' for a TA1)
  controlNumber: string; // AK102: the acknowledged group's GS06; TA101: the acknowledged interchange's ISA13
  status: 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected';
  sets: { type: string; controlNumber: string; accepted: boolean; codes: string[]; errors: string[] }[];
  /** TA105 and its meaning, for a TA1. */
  note?: string;
}

export type X12Decoded =
  | {
    ok: true;
    /** `acknowledgment` when every group is a 997/999 from a partner: no events, and no 997 back. */
    kind: 'documents' | 'acknowledgment';
    header: X12Header;
    events: InboundEventT[];
    received: ReceivedAck[];
    answer: X12Answer;
    /** One line per rejected transaction set, for the log and for a refused message's error. */
    rejections: string[];
  }
  | { ok: false; header: X12Header | null; answer: X12Answer; error: { note: Ta1Note; message: string } };

/** Thrown inside a transaction set's mapping to reject it; decodeX12 turns it into an AK3/AK4 answer, never lets it out. */
export class SetFailure extends Error {
  readonly error: SegmentError;

  constructor(error: Omit<SegmentError, 'message'>, message: string) {
    super(message);
    this.name = 'SetFailure';
    this.error = { ...error, message };
  }
}

/** Thrown while reading the envelope; becomes a TA1. */
export class EnvelopeFailure extends Error {
  readonly note: Ta1Note;

  constructor(note: Ta1Note, message: string) {
    super(message);
    this.name = 'EnvelopeFailure';
    this.note = note;
  }
}
