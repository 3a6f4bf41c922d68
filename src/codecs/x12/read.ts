// Text → one interchange: its delimiters, ISA header, functional groups and transaction sets, every segment with
// its position in its set. The envelope is checked here; what is wrong with it becomes a TA1 note code.
//
// Written by hand rather than with node-x12's X12Parser, which Tendon uses to write X12 (encode.ts, ack.ts): its
// non-strict parse throws TypeErrors on broken envelopes (ST or GE without a GS), hands a segment that has a tag
// and no elements the previous segment's last element, silently drops segments that sit outside a transaction
// set, runs ISA13 and IEA02 through parseInt (so `00000000X` reads as 0 and `20` equals `000000020`), and merges a
// second ISA into the first interchange. Every one of those must become a precise TA1, 997 or 999 here, and none
// may throw, so the reading is done directly: split on the delimiters the ISA names, then walk the envelope.
import { isoDate, isoTime } from './elements.ts';
import { EnvelopeFailure, type Delimiters, type Segment, type SetErrorCode, type SegmentError, type Ta1Note, type X12Header } from './types.ts';

export interface TransactionSet {
  /** ST to SE inclusive (no SE when the trailer is missing). */
  segments: Segment[];
  /** A fault of the set's own envelope (AK502): trailer missing, control numbers or count disagree. */
  envelopeError: SetErrorCode | null;
  /** The first segment whose tag cannot be a segment at all (AK3 code 1). */
  unreadable: SegmentError | null;
}

export interface FunctionalGroup {
  gs: Segment;
  sets: TransactionSet[];
}

export interface Interchange {
  header: X12Header;
  delimiters: Delimiters;
  groups: FunctionalGroup[];
  /** TA1 segments: a partner's answer about the envelope of an interchange Tendon sent. */
  interchangeAcks: string[][];
}

export type ReadResult =
  | { ok: true; interchange: Interchange }
  | { ok: false; header: X12Header | null; note: Ta1Note; message: string };

const ISA_LENGTH = 106;
/** ISA01–ISA16 are fixed width; each has its own TA1 note when it is wrong. */
const ISA_FIELDS: [width: number, note: Ta1Note][] = [
  [2, '010'], [10, '011'], [2, '012'], [10, '013'], [2, '005'], [15, '006'], [2, '007'], [15, '008'],
  [6, '014'], [4, '015'], [1, '016'], [5, '017'], [9, '018'], [1, '019'], [1, '020'], [1, '027'],
];
const PUNCTUATION = /^[^\p{L}\p{N}\s]$/u;
const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
const ENVELOPE_TAGS = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE']);

function fail(note: Ta1Note, message: string): never {
  throw new EnvelopeFailure(note, message);
}

function headerOf(fields: string[]): X12Header {
  const f = (n: number) => fields[n] ?? '';
  return {
    senderQualifier: f(5).trim(), sender: f(6).trim(), receiverQualifier: f(7).trim(), receiver: f(8).trim(),
    date: f(9), time: f(10), version: f(12), controlNumber: f(13), ackRequested: f(14) === '1', usage: f(15),
  };
}

/** The ISA's sixteen fields: it is fixed width, so its delimiters sit at known offsets. */
function isaFields(text: string): string[] {
  if (!text.startsWith('ISA')) fail('022', 'the interchange does not start with an ISA segment');
  const element = text.charAt(3);
  if (!PUNCTUATION.test(element)) fail('026', `the data element separator (ISA offset 3) "${element}" is not a punctuation character`);
  if (text.length < ISA_LENGTH) fail('023', `the text ends inside the ISA (${text.length} characters; the ISA is ${ISA_LENGTH})`);
  const fields = text.slice(0, ISA_LENGTH - 1).split(element);
  if (fields.length !== 17) {
    fail('022', `the ISA is not ${ISA_LENGTH} characters with 16 fixed-width elements (found ${fields.length - 1} elements in its first ${ISA_LENGTH - 1} characters)`);
  }
  return fields;
}

/** Every ISA field checked for its own TA1 note; the delimiters it names. */
function delimitersOf(fields: string[], text: string, header: X12Header): Delimiters {
  ISA_FIELDS.forEach(([width, note], i) => {
    if (fields[i + 1]!.length !== width) fail(note, `ISA${String(i + 1).padStart(2, '0')} is ${fields[i + 1]!.length} characters; it must be ${width}`);
  });
  const [element, component, segment, repetition] = [text.charAt(3), fields[16]!, text.charAt(ISA_LENGTH - 1), fields[11]!];
  const check = (ok: boolean, note: Ta1Note, message: string) => ok || fail(note, message);
  check(/^\d{2}$/.test(fields[1]!), '010', 'ISA01 must be a two-digit qualifier');
  check(/^\d{2}$/.test(fields[3]!), '012', 'ISA03 must be a two-digit qualifier');
  check(/^[A-Z0-9]{2}$/.test(fields[5]!), '005', 'ISA05 must be a two-character qualifier');
  check(header.sender !== '', '006', 'ISA06 sender id is blank');
  check(/^[A-Z0-9]{2}$/.test(fields[7]!), '007', 'ISA07 must be a two-character qualifier');
  check(header.receiver !== '', '008', 'ISA08 receiver id is blank');
  check(isoDate(header.date) !== null, '014', `ISA09 "${header.date}" is not a date (YYMMDD)`);
  check(isoTime(header.time) !== null, '015', `ISA10 "${header.time}" is not a time (HHMM)`);
  check(/^\d{5}$/.test(header.version), '017', `ISA12 "${header.version}" is not a version such as 00401 or 00501`);
  check(/^\d{9}$/.test(header.controlNumber), '018', `ISA13 "${header.controlNumber}" is not a nine-digit control number`);
  check(/^[01]$/.test(fields[14]!), '019', 'ISA14 must be 0 or 1');
  check(/^[PTI]$/.test(header.usage), '020', 'ISA15 must be P, T or I');
  check(PUNCTUATION.test(component) && component !== element, '027', `the component separator (ISA16) "${component}" must be punctuation distinct from the element separator`);
  // The terminator may be a line end (one public sample uses LF), but never a letter, digit or another delimiter.
  check((PUNCTUATION.test(segment) || segment === '\n' || segment === '\r') && segment !== element && segment !== component,
    '004', `the segment terminator (ISA offset 105) "${segment}" is not usable`);
  // Before 00402 ISA11 is the standards identifier (U); from 00402 on it is the repetition separator.
  const repeats = PUNCTUATION.test(repetition);
  check(!repeats || ![element, component, segment].includes(repetition), '016', `ISA11 "${repetition}" repeats another delimiter`);
  check(repeats || /^[A-Z]$/.test(repetition), '016', `ISA11 "${repetition}" is neither a standards id (U) nor a repetition separator`);
  return { element, component, segment, repetition: repeats ? repetition : null };
}

/** The segments after the ISA: line ends and indentation around segments are dropped (pretty-printed files). */
function segmentsOf(body: string, d: Delimiters): string[][] {
  const out: string[][] = [];
  for (const piece of body.split(d.segment)) {
    const text = piece.replace(/^\s+/, '').replace(/[\r\n]+$/, '');
    if (text !== '') out.push(text.split(d.element));
  }
  return out;
}

const num = (value: string | undefined): number | null => (/^\d{1,9}$/.test(value?.trim() ?? '') ? Number(value) : null);

function checkGs(gs: string[]): void {
  const at = (n: number) => gs[n]?.trim() ?? '';
  if (!/^[A-Z]{2}$/.test(at(1))) fail('024', `GS01 functional identifier "${at(1).slice(0, 10)}" is not two letters`);
  if (at(2) === '' || at(3) === '') fail('024', 'GS02 and GS03 (application sender and receiver codes) are required');
  // CCYYMMDD from 004010 on; 003010 groups (answered as a version not taken) still write YYMMDD.
  if (isoDate(at(4)) === null) fail('024', `GS04 "${at(4).slice(0, 10)}" is not a date (CCYYMMDD)`);
  if (isoTime(at(5)) === null) fail('024', `GS05 "${at(5).slice(0, 10)}" is not a time (HHMM[SS])`);
  if (num(at(6)) === null) fail('024', `GS06 group control number "${at(6).slice(0, 12)}" is not 1 to 9 digits`);
  if (at(8) === '') fail('024', 'GS08 version is required');
}

/** A set's own envelope: ST01 and ST02 present, SE there, SE02 = ST02, SE01 = its segment count. */
function setEnvelopeError(segments: Segment[], closed: boolean): SetErrorCode | null {
  const st = segments[0]!.values;
  if (!/^\d{3}$/.test(st[1]?.trim() ?? '')) return '6';
  if (!/^[A-Za-z0-9]{4,9}$/.test(st[2]?.trim() ?? '')) return '7';
  if (!closed) return '2';
  const se = segments[segments.length - 1]!.values;
  if ((se[2]?.trim() ?? '') !== st[2]!.trim()) return '3';
  if (num(se[1]) !== segments.length) return '4';
  return null;
}

function walk(rows: string[][], header: X12Header): { groups: FunctionalGroup[]; acks: string[][] } {
  const groups: FunctionalGroup[] = [];
  const acks: string[][] = [];
  let group: FunctionalGroup | null = null;
  let set: TransactionSet | null = null;
  let ended = false;
  const closeSet = (closed: boolean) => {
    set!.envelopeError = setEnvelopeError(set!.segments, closed);
    group!.sets.push(set!);
    set = null;
  };
  for (const values of rows) {
    const tag = values[0]!;
    if (ended) fail('022', `${tag.slice(0, 3)} after the IEA: one interchange per message`);
    if (set && ENVELOPE_TAGS.has(tag) && tag !== 'SE') closeSet(false); // its SE is missing
    if (set) {
      const segment = { values, position: set.segments.length + 1 };
      set.segments.push(segment);
      if (tag === 'SE') closeSet(true);
      else if (!TAG.test(tag) && !set.unreadable) {
        set.unreadable = { tag: tag.slice(0, 3), position: segment.position, code: '1', message: `segment ${segment.position} "${tag.slice(0, 20)}" is not a segment id` };
      }
      continue;
    }
    switch (tag) {
      case 'GS':
        if (group) fail('024', `GS ${values[6] ?? ''} starts before GS ${group.gs.values[6] ?? ''} ended with a GE`);
        checkGs(values);
        group = { gs: { values, position: 0 }, sets: [] };
        break;
      case 'ST':
        if (!group) fail('024', 'an ST outside a functional group (no GS before it)');
        set = { segments: [{ values, position: 1 }], envelopeError: null, unreadable: null };
        break;
      case 'GE': {
        if (!group) fail('024', 'a GE without its GS');
        const control = group.gs.values[6]!.trim();
        if ((values[2]?.trim() ?? '') !== control) fail('024', `GE02 "${(values[2] ?? '').slice(0, 12)}" is not GS06 "${control}"`);
        if (num(values[1]) !== group.sets.length) fail('024', `GE01 says ${(values[1] ?? '').slice(0, 12)} transaction sets; group ${control} holds ${group.sets.length}`);
        groups.push(group);
        group = null;
        break;
      }
      case 'TA1': // a partner's interchange acknowledgment of one of Tendon's interchanges: outside any group
        if (group) fail('024', 'a TA1 inside a functional group');
        acks.push(values);
        break;
      case 'IEA':
        if (group) fail('024', `IEA before group ${group.gs.values[6] ?? ''} ended with a GE`);
        if ((values[2]?.trim() ?? '') !== header.controlNumber) fail('001', `IEA02 "${(values[2] ?? '').slice(0, 12)}" is not ISA13 "${header.controlNumber}"`);
        if (num(values[1]) !== groups.length) fail('021', `IEA01 says ${(values[1] ?? '').slice(0, 12)} groups; the interchange holds ${groups.length}`);
        ended = true;
        break;
      default:
        fail('024', `${tag.slice(0, 3) || 'an empty segment'} outside a transaction set`);
    }
  }
  if (!ended) fail('023', 'the interchange ends without its IEA');
  return { groups, acks };
}

export function readInterchange(input: string): ReadResult {
  let header: X12Header | null = null;
  try {
    const text = input.replace(/^\uFEFF/, '').replace(/^\s+/, '');
    const fields = isaFields(text);
    header = headerOf(fields);
    const delimiters = delimitersOf(fields, text, header);
    const { groups, acks } = walk(segmentsOf(text.slice(ISA_LENGTH), delimiters), header);
    return { ok: true, interchange: { header, delimiters, groups, interchangeAcks: acks } };
  } catch (error) {
    if (!(error instanceof EnvelopeFailure)) throw error;
    return { ok: false, header, note: error.note, message: error.message };
  }
}
