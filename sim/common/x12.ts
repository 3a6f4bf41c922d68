// The simulators' own ASC X12: an interchange reader (delimiters from the ISA, envelope checks that map to TA1
// note codes), a writer that counts SE01/GE01/IEA01 itself, and the TA1 interchange acknowledgment. Hand-written
// from the standard on purpose, although node-x12 is installed: the hub reads and writes X12 with node-x12, and
// a round trip between two independent implementations is what proves both read the standard the same way. So
// nothing here may come from src/ or from node-x12 (the tests use node-x12 only to check this writer's output).

// ---------------------------------------------------------------------------------------------------------
// Delimiters and segments

export type X12Delimiters = {
  element: string;
  /** ISA16. */
  component: string;
  /** ISA11 from version 00402 on ("U", the standards identifier, before). */
  repetition: string;
  segment: string;
  /** Written after each segment terminator for readability ("" for none); readers skip CR/LF there. */
  lineEnd: string;
};

export const DEFAULT_DELIMITERS: X12Delimiters = { element: '*', component: '>', repetition: '^', segment: '~', lineEnd: '\n' };

export type X12Segment = {
  tag: string;
  /** Raw element texts: `elements[1]` is element 01 (`elements[0]` is the tag). */
  elements: string[];
  /** 1-based position in the interchange (ISA = 1). */
  position: number;
  /** Element `n` (1-based), or its component `component` (1-based); '' when absent. */
  get(n: number, component?: number): string;
};

/**
 * An interchange the reader refused, with the TA1 note code (X12 data element I18) that says why. `header` is
 * whatever could be read of the ISA, so the TA1 can name the interchange it answers.
 */
export class X12EnvelopeError extends Error {
  readonly code: string;
  readonly header: IsaHeader | undefined;
  constructor(code: string, message: string, header?: IsaHeader) {
    super(message);
    this.code = code;
    this.header = header;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export type IsaHeader = {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA09 YYMMDD and ISA10 HHMM, as sent. */
  date: string;
  time: string;
  /** ISA12, e.g. "00401" or "00501". */
  version: string;
  /** ISA13, nine digits. */
  controlNumber: string;
  /** ISA14: the sender asks for a TA1. */
  ackRequested: boolean;
  /** ISA15: P production, T test. */
  usage: string;
};

export type X12Set = {
  /** ST01, e.g. "850". */
  id: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 (5010 implementation convention), '' when absent. */
  implementationRef: string;
  /** From ST to SE inclusive; a segment's position in the set is its index + 1. */
  segments: X12Segment[];
};

export type X12Group = {
  /** GS01, e.g. "PO". */
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. "004010" or "005010X231". */
  version: string;
  sets: X12Set[];
};

export type X12Interchange = {
  delimiters: X12Delimiters;
  header: IsaHeader;
  /** Segments between ISA and the first GS (TA1 acknowledgments). */
  preamble: X12Segment[];
  groups: X12Group[];
};

// Offsets of the 16 element separators in the fixed-width ISA (ISA06 and ISA08 padded to 15, and so on).
const ISA_SEPARATORS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
const ISA_LENGTH = 106;

function makeSegment(text: string, d: X12Delimiters, position: number): X12Segment {
  const elements = text.split(d.element);
  return {
    tag: elements[0] ?? '',
    elements,
    position,
    get(n, component) {
      const value = elements[n] ?? '';
      return component === undefined ? value : (value.split(d.component)[component - 1] ?? '');
    },
  };
}

/** The delimiters of an interchange, read from its ISA: element at offset 3, component ISA16, terminator offset 105. */
export function readDelimiters(isa: string): X12Delimiters {
  if (!isa.startsWith('ISA')) throw new X12EnvelopeError('022', 'not an X12 interchange: it does not start with ISA');
  if (isa.length < ISA_LENGTH) throw new X12EnvelopeError('023', `the ISA is cut short (${isa.length} of ${ISA_LENGTH} characters)`);
  const element = isa.charAt(3);
  if (/[\p{L}\p{N}\s]/u.test(element)) throw new X12EnvelopeError('026', `"${element}" cannot be the element separator`);
  for (const offset of ISA_SEPARATORS) {
    if (isa.charAt(offset) !== element) {
      throw new X12EnvelopeError('022', `the ISA is not fixed-width: offset ${offset} should hold the element separator "${element}"`);
    }
  }
  const component = isa.charAt(104);
  const segment = isa.charAt(105);
  if (component === element || /[\p{L}\p{N} ]/u.test(component)) throw new X12EnvelopeError('027', `"${component}" cannot be the component separator`);
  if (segment === element || segment === component || /[\p{L}\p{N} ]/u.test(segment)) {
    throw new X12EnvelopeError('004', `"${segment}" cannot be the segment terminator`);
  }
  const isa11 = isa.slice(82, 83);
  return { element, component, repetition: isa11 === 'U' ? '' : isa11, segment, lineEnd: '' };
}

function readIsa(isa: X12Segment): IsaHeader {
  const v = (n: number) => isa.get(n).trim();
  return {
    senderQualifier: v(5), senderId: v(6), receiverQualifier: v(7), receiverId: v(8), date: v(9), time: v(10),
    version: v(12), controlNumber: v(13), ackRequested: v(14) === '1', usage: v(15),
  };
}

/** Field checks of the ISA, each with its TA1 note code. */
function checkIsa(h: IsaHeader, isa: X12Segment): void {
  const checks: [boolean, string, string][] = [
    [/^\d{9}$/.test(h.controlNumber), '018', `ISA13 "${h.controlNumber}" is not a nine-digit control number`],
    [h.senderQualifier !== '', '005', 'ISA05 (sender id qualifier) is empty'],
    [h.senderId !== '', '006', 'ISA06 (sender id) is empty'],
    [h.receiverQualifier !== '', '007', 'ISA07 (receiver id qualifier) is empty'],
    [h.receiverId !== '', '008', 'ISA08 (receiver id) is empty'],
    [/^\d{6}$/.test(h.date), '014', `ISA09 "${h.date}" is not a YYMMDD date`],
    [/^\d{4}$/.test(h.time), '015', `ISA10 "${h.time}" is not an HHMM time`],
    [/^\d{5}$/.test(h.version), '017', `ISA12 "${h.version}" is not a version number`],
    [/^[01]$/.test(isa.get(14).trim()), '019', `ISA14 "${isa.get(14)}" is neither 0 nor 1`],
    [/^[PT]$/.test(h.usage), '020', `ISA15 "${h.usage}" is neither P nor T`],
  ];
  for (const [ok, code, message] of checks) if (!ok) throw new X12EnvelopeError(code, message, h);
}

/** The segments of an interchange text: split on the terminator; CR/LF and indentation around segments skipped. */
export function splitSegments(text: string): { delimiters: X12Delimiters; segments: X12Segment[] } {
  const start = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  const delimiters = readDelimiters(start);
  const parts = start.split(delimiters.segment);
  const segments: X12Segment[] = [];
  for (const part of parts) {
    const body = part.replace(/^[\s]+/, '').replace(/[\r\n]+$/, '');
    if (body === '') continue;
    segments.push(makeSegment(body, delimiters, segments.length + 1));
  }
  return { delimiters, segments };
}

/**
 * Reads one interchange and checks its envelope: ISA fields, IEA against ISA13 and the group count, each GS/GE
 * pair (count and control number), and the ST…SE nesting. What is wrong inside a transaction set (SE01, SE02,
 * its content) is not checked here: that is reported per set in a 997/999, not refused with a TA1.
 */
export function parseInterchange(text: string): X12Interchange {
  const { delimiters, segments } = splitSegments(text);
  const isa = segments[0] as X12Segment;
  if (isa.elements.length !== 17) throw new X12EnvelopeError('022', `the ISA has ${isa.elements.length - 1} elements, not 16`);
  const header = readIsa(isa);
  checkIsa(header, isa);
  const fail = (code: string, message: string): never => {
    throw new X12EnvelopeError(code, message, header);
  };

  const preamble: X12Segment[] = [];
  const groups: X12Group[] = [];
  let i = 1;
  while (segments[i]?.tag === 'TA1') preamble.push(segments[i++] as X12Segment);
  while (segments[i]?.tag === 'GS') {
    const gs = segments[i++] as X12Segment;
    const group: X12Group = {
      functionalId: gs.get(1), senderCode: gs.get(2), receiverCode: gs.get(3), controlNumber: gs.get(6), version: gs.get(8), sets: [],
    };
    if (group.functionalId === '' || group.controlNumber === '') fail('024', `the GS at segment ${gs.position} lacks GS01 or GS06`);
    while (segments[i]?.tag === 'ST') {
      const st = segments[i] as X12Segment;
      const end = segments.findIndex((s, k) => k > i && (s.tag === 'SE' || s.tag === 'ST' || s.tag === 'GE' || s.tag === 'IEA'));
      if (end === -1 || segments[end]?.tag !== 'SE') fail('024', `the transaction set opened at segment ${st.position} has no SE`);
      group.sets.push({ id: st.get(1), controlNumber: st.get(2), implementationRef: st.get(3), segments: segments.slice(i, end + 1) });
      i = end + 1;
    }
    const ge = segments[i];
    if (ge === undefined) fail('023', `the functional group ${group.controlNumber} has no GE`);
    if (ge?.tag !== 'GE') fail('024', `segment ${ge?.position} (${ge?.tag}) is outside any transaction set`);
    if (ge?.get(2) !== group.controlNumber) fail('024', `GE02 "${ge?.get(2)}" does not match GS06 "${group.controlNumber}"`);
    if (ge?.get(1) !== String(group.sets.length)) fail('024', `GE01 says ${ge?.get(1)} transaction sets, the group has ${group.sets.length}`);
    groups.push(group);
    i++;
  }
  const iea = segments[i];
  if (iea === undefined) fail('023', 'the interchange has no IEA');
  if (iea?.tag !== 'IEA') fail('022', `segment ${iea?.position} (${iea?.tag}) is outside any functional group`);
  if (iea?.get(2) !== header.controlNumber) fail('001', `IEA02 "${iea?.get(2)}" does not match ISA13 "${header.controlNumber}"`);
  if (iea?.get(1) !== String(groups.length)) fail('021', `IEA01 says ${iea?.get(1)} functional groups, the interchange has ${groups.length}`);
  if (i + 1 < segments.length) fail('022', `segments follow the IEA (one interchange per document)`);
  return { delimiters, header, preamble, groups };
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/** A segment to write: tag then elements 01, 02…; null/undefined are empty, trailing empties are dropped. */
export type SegmentSpec = readonly [tag: string, ...elements: (string | number | null | undefined)[]];

export type PartyId = { qualifier: string; id: string };

export type SetSpec = { id: string; controlNumber: string; implementationRef?: string; body: readonly SegmentSpec[] };
export type GroupSpec = {
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  controlNumber: number;
  version: string;
  sets: readonly SetSpec[];
};
export type InterchangeSpec = {
  sender: PartyId;
  receiver: PartyId;
  /** ISA13 (written with nine digits). */
  controlNumber: number;
  /** ISA12, e.g. "00401". */
  version: string;
  /** ISA15, P (default) or T. */
  usage?: string;
  ackRequested?: boolean;
  /** When the interchange was made: ISA09/10 and GS04/05, in UTC. */
  at: number;
  delimiters?: X12Delimiters;
  /** Segments between ISA and the first GS: TA1s. */
  preamble?: readonly SegmentSpec[];
  groups: readonly GroupSpec[];
};

/** X12 has no escape sequence: a delimiter (or a line break) inside data would split it, so it becomes a space. */
function clean(value: string | number | null | undefined, d: X12Delimiters): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  for (const ch of [d.element, d.component, d.segment, d.repetition, '\r', '\n']) if (ch !== '') text = text.replaceAll(ch, ' ');
  return text;
}

export function writeSegment(spec: SegmentSpec, d: X12Delimiters = DEFAULT_DELIMITERS): string {
  const [tag, ...elements] = spec;
  const values = elements.map((e) => clean(e, d));
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  return [tag, ...values].join(d.element) + d.segment + d.lineEnd;
}

/** `YYYYMMDD` (or `YYMMDD` with `short`) of an instant, in UTC. */
export function x12Date(at: number, short = false): string {
  const iso = new Date(at).toISOString();
  const date = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  return short ? date.slice(2) : date;
}

/** `HHMM` of an instant, in UTC. */
export function x12Time(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** The fixed-width ISA: every element at its set width, so the terminator lands at offset 105. */
function isaSegment(spec: InterchangeSpec, d: X12Delimiters): string {
  const pad = (value: string, width: number) => clean(value, d).slice(0, width).padEnd(width, ' ');
  const fields = [
    '00', pad('', 10), '00', pad('', 10),
    pad(spec.sender.qualifier, 2), pad(spec.sender.id, 15), pad(spec.receiver.qualifier, 2), pad(spec.receiver.id, 15),
    x12Date(spec.at, true), x12Time(spec.at),
    spec.version >= '00402' ? d.repetition : 'U', pad(spec.version, 5),
    String(spec.controlNumber).padStart(9, '0'), spec.ackRequested ? '1' : '0', spec.usage ?? 'P', d.component,
  ];
  return ['ISA', ...fields].join(d.element) + d.segment + d.lineEnd;
}

/** Writes a whole interchange; SE01 (segments including ST and SE), GE01 and IEA01 are counted here. */
export function writeInterchange(spec: InterchangeSpec): string {
  const d = spec.delimiters ?? DEFAULT_DELIMITERS;
  const controlNumber = String(spec.controlNumber).padStart(9, '0');
  let out = isaSegment(spec, d);
  for (const seg of spec.preamble ?? []) out += writeSegment(seg, d);
  for (const g of spec.groups) {
    out += writeSegment(['GS', g.functionalId, g.senderCode, g.receiverCode, x12Date(spec.at), x12Time(spec.at), g.controlNumber, 'X', g.version], d);
    for (const set of g.sets) {
      out += writeSegment(['ST', set.id, set.controlNumber, set.implementationRef], d);
      for (const seg of set.body) out += writeSegment(seg, d);
      out += writeSegment(['SE', set.body.length + 2, set.controlNumber], d);
    }
    out += writeSegment(['GE', g.sets.length, g.controlNumber], d);
  }
  out += writeSegment(['IEA', spec.groups.length, controlNumber], d);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// TA1, the interchange acknowledgment

export type Ta1 = {
  /** TA101: the ISA13 acknowledged. */
  controlNumber: string;
  /** TA104: A accepted, E accepted with errors, R rejected. */
  code: string;
  /** TA105: note code, "000" for no error. */
  note: string;
};

/**
 * A TA1-only interchange answering `answered` (or an unreadable interchange: control number 000000000).
 * The answer goes back to whoever sent it: ISA05/06 ↔ ISA07/08 swapped, its version and usage kept.
 */
export function writeTa1Interchange(options: {
  answered: IsaHeader | undefined;
  us: PartyId;
  controlNumber: number;
  code: 'A' | 'E' | 'R';
  note: string;
  at: number;
  delimiters?: X12Delimiters;
}): string {
  const h = options.answered;
  return writeInterchange({
    sender: options.us,
    receiver: h ? { qualifier: h.senderQualifier, id: h.senderId } : { qualifier: 'ZZ', id: 'UNKNOWN' },
    controlNumber: options.controlNumber,
    version: h && /^\d{5}$/.test(h.version) ? h.version : '00401',
    usage: h?.usage === 'T' ? 'T' : 'P',
    at: options.at,
    delimiters: options.delimiters,
    preamble: [[
      'TA1',
      h && /^\d{9}$/.test(h.controlNumber) ? h.controlNumber : '000000000',
      h && /^\d{6}$/.test(h.date) ? h.date : x12Date(options.at, true),
      h && /^\d{4}$/.test(h.time) ? h.time : x12Time(options.at),
      options.code,
      options.note,
    ]],
    groups: [],
  });
}

/** The TA1s at the head of an interchange. */
export function readTa1s(interchange: X12Interchange): Ta1[] {
  return interchange.preamble.map((s) => ({ controlNumber: s.get(1), code: s.get(4), note: s.get(5) }));
}
