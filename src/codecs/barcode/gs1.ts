// GS1 element strings, in the printed form with parentheses, (01)09504000059118(17)141120(10)7654321D, and as scanned
// from GS1-128, GS1 DataMatrix or GS1 QR: AIs run together, a variable-length value ended by FNC1, which scanners
// send as the ASCII GS character (0x1D).
//
// Read: 01 GTIN, 10 lot, 11 production date, 17 expiry, 21 serial. Checked and then left out of the result: the other
// AIs GS1 gives a predefined length (00 SSCC, 02, 03, 12, 13, 15, 16, 20, 31nn–36nn measures, 410–417 GLNs), so a
// label carrying, say, a net weight still scans. Any other AI is refused by name: its value has no predefined end, and
// skipping it unread would hide whether the scanner dropped an FNC1.
import { hasValidGs1CheckDigit, gs1CheckDigit } from './check-digits.ts';
import { fromYymmdd } from './dates.ts';
import { failure, quote, type BarcodeResult } from './types.ts';

export const GS = '\x1d';

/** AI length by its first two digits; every AI sharing a prefix has the same length (GS1 Syntax Engine, ai.c). */
const AI_LENGTH_BY_PREFIX: Readonly<Record<string, number>> = {
  ...Object.fromEntries(['00', '01', '02', '03', '10', '11', '12', '13', '15', '16', '17', '20', '21', '22', '30', '37'].map((p) => [p, 2])),
  ...Object.fromEntries(['90', '91', '92', '93', '94', '95', '96', '97', '98', '99'].map((p) => [p, 2])),
  ...Object.fromEntries(['23', '24', '25', '40', '41', '42', '71'].map((p) => [p, 3])),
  ...Object.fromEntries(['31', '32', '33', '34', '35', '36', '39', '43', '70', '72', '80', '81', '82'].map((p) => [p, 4])),
};

type Kind = 'gtin' | 'key' | 'date' | 'digits' | 'text';
interface AiSpec { name: string; kind: Kind; length?: number; max?: number }

/** The AIs read or checked; `length` for the predefined-length ones, which need no FNC1 after them. */
function specOf(ai: string): AiSpec | null {
  switch (ai) {
    case '01': return { name: 'GTIN', kind: 'gtin', length: 14 };
    case '10': return { name: 'lot', kind: 'text', max: 20 };
    case '11': return { name: 'production date', kind: 'date', length: 6 };
    case '17': return { name: 'expiry date', kind: 'date', length: 6 };
    case '21': return { name: 'serial number', kind: 'text', max: 20 };
    case '00': return { name: 'SSCC', kind: 'key', length: 18 };
    case '02': return { name: 'GTIN of contained items', kind: 'key', length: 14 };
    case '03': return { name: 'made-to-order GTIN', kind: 'key', length: 14 };
    case '12': return { name: 'due date', kind: 'date', length: 6 };
    case '13': return { name: 'packaging date', kind: 'date', length: 6 };
    case '15': return { name: 'best-before date', kind: 'date', length: 6 };
    case '16': return { name: 'sell-by date', kind: 'date', length: 6 };
    case '20': return { name: 'variant', kind: 'digits', length: 2 };
  }
  if (/^3[1-6]\d\d$/.test(ai)) return { name: 'measure', kind: 'digits', length: 6 };
  if (/^41[0-7]$/.test(ai)) return { name: 'GLN', kind: 'key', length: 13 };
  return null;
}

const READ_AIS = '01, 10, 11, 17 and 21';
const unsupported = (ai: string) =>
  failure(`GS1 AI ${ai} is not supported: Tendon reads AIs ${READ_AIS} and accepts only the predefined-length AIs besides them`);

/** GS1 AI encodable character set 82: the characters a lot or serial number may hold. */
const CSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

interface Element { ai: string; value: string }

export function parseGs1Printed(text: string): BarcodeResult {
  const elements: Element[] = [];
  const aiPattern = /\((\d{2,4})\)/g;
  const starts = [...text.matchAll(aiPattern)];
  if (starts[0]?.index !== 0) return failure(`GS1 printed form must start with an AI in parentheses, e.g. (01), got ${quote(text)}`);
  for (let i = 0; i < starts.length; i++) {
    const match = starts[i]!;
    const ai = match[1]!;
    const expected = AI_LENGTH_BY_PREFIX[ai.slice(0, 2)];
    if (expected === undefined) return failure(`(${ai}) is not a GS1 Application Identifier`);
    if (ai.length !== expected) return failure(`(${ai}) is not a GS1 Application Identifier: AIs starting ${ai.slice(0, 2)} have ${expected} digits`);
    const end = starts[i + 1]?.index ?? text.length;
    elements.push({ ai, value: text.slice(match.index + match[0].length, end) });
  }
  return fromElements(elements);
}

export function parseGs1Scanned(text: string): BarcodeResult {
  const elements: Element[] = [];
  let at = 0;
  while (at < text.length) {
    if (text[at] === GS) { at++; continue; } // an FNC1 after a predefined-length AI, or one leading the data
    const prefix = text.slice(at, at + 2);
    if (/^\d$/.test(prefix)) return failure(`GS1 data ends inside an Application Identifier: ${quote(prefix)}`);
    const aiLength = /^\d\d$/.test(prefix) ? AI_LENGTH_BY_PREFIX[prefix] : undefined;
    if (aiLength === undefined) {
      return failure(/^\d\d$/.test(prefix)
        ? `no GS1 Application Identifier starts with ${prefix} (at position ${at})`
        : `expected a GS1 Application Identifier at position ${at}, found ${quote(text.slice(at), 8)}`);
    }
    const ai = text.slice(at, at + aiLength);
    if (!/^\d+$/.test(ai) || ai.length < aiLength) return failure(`GS1 data ends inside an Application Identifier: ${quote(ai)}`);
    const spec = specOf(ai);
    if (!spec) return unsupported(ai);
    at += aiLength;
    if (spec.length !== undefined) {
      const value = text.slice(at, at + spec.length);
      const separator = value.indexOf(GS);
      if (value.length < spec.length || separator >= 0) {
        const found = separator >= 0 ? separator : value.length;
        return failure(`GS1 data is cut short: AI ${ai} (${spec.name}) needs ${spec.length} digits, found ${found}`);
      }
      // Checked here, not only with the rest: a fixed-length value that is not digits means the scan is not GS1 as
      // read so far, and saying so beats a complaint about wherever the next AI would have started.
      const problem = problemWith(ai, spec, value);
      if (problem) return failure(problem);
      elements.push({ ai, value });
      at += spec.length;
    } else {
      const end = text.indexOf(GS, at);
      const value = text.slice(at, end < 0 ? text.length : end);
      elements.push({ ai, value });
      at += value.length;
    }
  }
  return fromElements(elements);
}

/** Validate each element and gather the ones Tendon keeps. */
function fromElements(elements: readonly Element[]): BarcodeResult {
  const kept = new Map<string, string>();
  for (const { ai, value } of elements) {
    const spec = specOf(ai);
    if (!spec) return unsupported(ai);
    const problem = problemWith(ai, spec, value);
    if (problem) return failure(problem);
    const earlier = kept.get(ai);
    if (earlier !== undefined && earlier !== value) return failure(`GS1 AI ${ai} (${spec.name}) appears twice with different values`);
    kept.set(ai, value);
  }
  const gtin = kept.get('01');
  if (gtin === undefined) return failure('GS1 data has no GTIN (AI 01), so it does not identify a product');
  const date = (ai: string, monthOnly: 'last-day' | 'first-day') => {
    const value = kept.get(ai);
    return value === undefined ? null : fromYymmdd(value, monthOnly);
  };
  return {
    ok: true,
    value: {
      symbology: 'gs1', gtin, hibc: null, lot: kept.get('10') ?? null, serial: kept.get('21') ?? null,
      expiry: date('17', 'last-day'), manufactured: date('11', 'first-day'),
    },
  };
}

function problemWith(ai: string, spec: AiSpec, value: string): string | null {
  const label = `AI ${ai} (${spec.name})`;
  if (spec.length !== undefined && (value.length !== spec.length || !/^\d+$/.test(value))) {
    return `${label} must be ${spec.length} digits, got ${quote(value)}`;
  }
  switch (spec.kind) {
    case 'gtin':
      return hasValidGs1CheckDigit(value) ? null : `GTIN ${value} fails its check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`;
    case 'key':
      return hasValidGs1CheckDigit(value) ? null : `${label} ${value} fails its check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`;
    case 'date':
      return fromYymmdd(value, 'last-day') ? null : `${label} ${value} is not a valid YYMMDD date`;
    case 'digits':
      return null;
    case 'text':
      if (value.length === 0) return `${label} is empty`;
      if (value.length > spec.max!) return `${label} is ${value.length} characters, more than the ${spec.max} allowed (a missing FNC1 separator?)`;
      return CSET_82.test(value) ? null : `${label} ${quote(value)} has a character GS1 does not allow`;
  }
}
