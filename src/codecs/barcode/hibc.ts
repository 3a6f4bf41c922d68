// HIBC LIC (the HIBCC Supplier Labeling Standard, ANSI/HIBC 2.x). Three layouts:
//
//   primary alone                  +A123BJC5D6E71G                   '+', LIC, product number, UOM digit, check
//   primary and secondary symbols  +A123BJC5D6E71G+$$52001510X3GD    as a scanner sends two linear labels read
//                                                                    together; the secondary ends with a link
//                                                                    character (the primary's check) and its own check
//   one symbol, concatenated       +A99912345/$$52001510X3/16D20111212/S77DE1G45-
//                                  primary '/' secondary ['/' supplemental…], one check character over it all
//
// Secondary data (lot, serial, expiry) as the standard's flag characters say; the table is as the HIBC Data Structures
// page of the BWIPP wiki (github.com/bwipp/postscriptbarcode/wiki) and DacoTaco/BarcodeParserBuilder's HIBC parser
// both give it, and the FDA's HIBCC UDI examples bear it out:
//   YYJJJ + lot                     the original Julian-date form, lot up to 13 characters
//   $ + lot                         $+ + serial
//   $$ + flag + date + lot          $$+ + flag + date + serial
//     flag 0 or 1: no flag, the date is MMYY (the digit is the month's first)
//     2 MMDDYY   3 YYMMDD   4 YYMMDDHH   5 YYJJJ   6 YYJJJHH   7 no date
//     8 and 9 (a quantity first) are refused: the sources disagree on whether a date flag follows the quantity
// Supplemental data in the concatenated form: S serial, 14D expiry YYYYMMDD, 16D manufacture YYYYMMDD; Q (quantity)
// and anything else is refused by name. A secondary on its own is refused: it cannot be matched to a product.
import { HIBC_CHARACTERS, hibcCheckCharacter } from './check-digits.ts';
import { fromMmddyy, fromMmyy, fromStrictYymmdd, fromYyjjj, fromYyjjjhh, fromYymmddhh, fromYyyymmdd } from './dates.ts';
import { failure, quote, type BarcodeResult, type HibccPrimary } from './types.ts';

interface Production { lot: string | null; serial: string | null; expiry: string | null; manufactured: string | null }
type Step<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

const LOT_OR_SERIAL = /^[A-Z0-9]{1,18}$/;
const PRIMARY_START = /^\+([A-Z0-9]{4})([A-Z0-9]*)/;

export function parseHibc(text: string): BarcodeResult {
  for (let i = 0; i < text.length; i++) {
    if (!HIBC_CHARACTERS.includes(text[i]!)) return failure(`HIBC data cannot hold ${quote(text[i]!)} (position ${i})`);
  }
  if (/^\+(\$|\d)/.test(text)) {
    return failure('HIBC secondary data (lot, serial, expiry) without its primary cannot be matched to a product: scan the primary label too');
  }
  const start = PRIMARY_START.exec(text);
  if (!start || !/^[A-Z]/.test(start[1]!)) {
    return failure(`HIBC labeler identification code must be 4 letters or digits, the first a letter: got ${quote(text.slice(1, 5))}`);
  }
  const afterRun = start[0].length; // the first character that is not a letter or digit
  // Nothing, or one character such as '-' or '$', after the letters and digits: that is the primary's check.
  if (afterRun >= text.length - 1) return primaryOnly(text);
  if (text[afterRun] === '/' && text[afterRun + 1] !== '+') return concatenated(text, afterRun);
  // Two symbols. The primary's check is its last letter or digit unless a '+', '$', '/', … follows it and then '+'.
  const primaryEnd = text[afterRun] === '+' && text[afterRun + 1] !== '+' ? afterRun : afterRun + 1;
  if (text[primaryEnd] !== '+') {
    return failure(`HIBC data has ${quote(text.slice(afterRun, afterRun + 8))} after the primary, where a '/' or a secondary label's '+' belongs`);
  }
  return withSecondarySymbol(text.slice(0, primaryEnd), text.slice(primaryEnd));
}

function primaryOnly(text: string): BarcodeResult {
  const primary = verifiedPrimary(text);
  if (!primary.ok) return primary;
  return done(primary.value, { lot: null, serial: null, expiry: null, manufactured: null });
}

function withSecondarySymbol(primaryText: string, secondaryText: string): BarcodeResult {
  const primary = verifiedPrimary(primaryText);
  if (!primary.ok) return primary;
  if (secondaryText.length < 4) return failure(`HIBC secondary label ${quote(secondaryText)} is too short: it needs data, a link character and a check character`);
  const check = checkCharacterProblem('secondary', secondaryText);
  if (check) return failure(check);
  const link = secondaryText.at(-2)!;
  const primaryCheck = primaryText.at(-1)!;
  if (link !== primaryCheck) {
    return failure(`HIBC secondary label's link character ${quote(link)} does not match the primary's check character ${quote(primaryCheck)}: the two labels are not from the same item`);
  }
  const secondary = secondaryData(secondaryText.slice(1, -2));
  if (!secondary.ok) return secondary;
  return done(primary.value, { ...secondary.value, manufactured: null });
}

function concatenated(text: string, slashAt: number): BarcodeResult {
  const check = checkCharacterProblem('data', text);
  if (check) return failure(check);
  const primary = primaryFields(text.slice(1, slashAt));
  if (!primary.ok) return primary;
  const found: Production = { lot: null, serial: null, expiry: null, manufactured: null };
  let secondarySeen = false;
  const set = (field: keyof Production, value: string, what: string): string | null => {
    if (found[field] !== null) return `HIBC data gives the ${what} twice`;
    found[field] = value;
    return null;
  };
  for (const segment of text.slice(slashAt + 1, -1).split('/')) {
    let problem: string | null;
    if (segment.startsWith('14D') || segment.startsWith('16D')) {
      const [field, what] = segment.startsWith('14D') ? ['expiry', 'expiry date'] as const : ['manufactured', 'manufacture date'] as const;
      const date = fromYyyymmdd(segment.slice(3));
      problem = date ? set(field, date, what) : `HIBC ${what} ${quote(segment)} is not a valid YYYYMMDD date`;
    } else if (segment.startsWith('S')) {
      const serial = segment.slice(1);
      problem = LOT_OR_SERIAL.test(serial) ? set('serial', serial, 'serial number') : `HIBC serial number ${quote(serial)} must be 1–18 letters or digits`;
    } else if (/^[$\d]/.test(segment) && !secondarySeen) {
      secondarySeen = true;
      const secondary = secondaryData(segment);
      if (!secondary.ok) return secondary;
      const { lot, serial, expiry } = secondary.value;
      problem = (lot === null ? null : set('lot', lot, 'lot'))
        ?? (serial === null ? null : set('serial', serial, 'serial number'))
        ?? (expiry === null ? null : set('expiry', expiry, 'expiry date'));
    } else if (segment.startsWith('Q')) {
      problem = 'HIBC quantity (Q) is not supported';
    } else {
      problem = segment === '' ? 'HIBC data has an empty field between two "/"' : `HIBC supplemental data ${quote(segment)} is not one Tendon reads (S, 14D, 16D)`;
    }
    if (problem) return failure(problem);
  }
  return done(primary.value, found);
}

function verifiedPrimary(text: string): Step<HibccPrimary> {
  const check = checkCharacterProblem('primary', text);
  if (check) return fail(check);
  return primaryFields(text.slice(1, -1));
}

/**
 * LIC (4), product or catalogue number (1–18), unit of measure digit; without the '+' and any check character.
 * parseHibc has already found these to be letters and digits, the first a letter.
 */
function primaryFields(data: string): Step<HibccPrimary> {
  if (data.length < 6) {
    return fail(`HIBC primary data ${quote(data)} is too short: it needs a 4-character labeler code, a product number and a unit of measure digit`);
  }
  const labelerId = data.slice(0, 4);
  const product = data.slice(4, -1);
  const unitOfMeasure = data.at(-1)!;
  if (product.length > 18) return fail(`HIBC product number ${quote(product)} is ${product.length} characters, more than 18`);
  if (!/\d/.test(unitOfMeasure)) return fail(`HIBC unit of measure must be a digit, got ${quote(unitOfMeasure)} at the end of ${quote(data)}`);
  return { ok: true, value: { labelerId, product, unitOfMeasure: Number(unitOfMeasure) } };
}

function checkCharacterProblem(part: string, symbol: string): string | null {
  const expected = hibcCheckCharacter(symbol.slice(0, -1));
  const given = symbol.at(-1)!;
  return expected === given ? null : `HIBC ${part} check character is ${quote(given)} but the data gives ${quote(expected ?? '?')}`;
}

/** The HIBC date formats a $$ flag selects: flag → [format name, length, reader]. */
const DATE_FORMATS: Readonly<Record<string, readonly [string, number, (digits: string) => string | null]>> = {
  '2': ['MMDDYY', 6, fromMmddyy],
  '3': ['YYMMDD', 6, fromStrictYymmdd],
  '4': ['YYMMDDHH', 8, fromYymmddhh],
  '5': ['YYJJJ', 5, fromYyjjj],
  '6': ['YYJJJHH', 7, fromYyjjjhh],
};

type Secondary = Omit<Production, 'manufactured'>;

/** Secondary data without link or check characters. */
function secondaryData(data: string): Step<Secondary> {
  if (/^\d/.test(data)) {
    const expiry = fromYyjjj(data.slice(0, 5));
    if (!expiry) return fail(`HIBC secondary ${quote(data)} starts with a digit, so it must start with a YYJJJ date`);
    const lot = data.slice(5);
    if (lot !== '' && !/^[A-Z0-9]{1,13}$/.test(lot)) return fail(`HIBC lot ${quote(lot)} after a YYJJJ date must be 1–13 letters or digits`);
    return { ok: true, value: { lot: lot || null, serial: null, expiry } };
  }
  if (!data.startsWith('$')) return fail(`HIBC secondary data must start with '$' or a YYJJJ date, got ${quote(data)}`);
  const flagged = data.startsWith('$$');
  let rest = data.slice(flagged ? 2 : 1);
  const isSerial = rest.startsWith('+');
  if (isSerial) rest = rest.slice(1);
  const what = isSerial ? 'serial number' : 'lot';
  let expiry: string | null = null;
  if (flagged) {
    const flag = rest[0] ?? '';
    if (flag === '0' || flag === '1') {
      expiry = fromMmyy(rest.slice(0, 4));
      if (!expiry) return fail(`HIBC expiry ${quote(rest.slice(0, 4))} is not a valid MMYY date`);
      rest = rest.slice(4);
    } else if (DATE_FORMATS[flag]) {
      const [format, length, read] = DATE_FORMATS[flag];
      const digits = rest.slice(1, 1 + length);
      expiry = read(digits);
      if (!expiry) return fail(`HIBC expiry ${quote(digits)} is not a valid ${format} date (flag ${flag})`);
      rest = rest.slice(1 + length);
    } else if (flag === '7') {
      rest = rest.slice(1);
    } else if (flag === '8' || flag === '9') {
      return fail(`HIBC quantity formats ($$${isSerial ? '+' : ''}${flag}) are not supported`);
    } else {
      return fail(`HIBC secondary ${quote(data)}: '$$' must be followed by a date format flag 0–7, got ${quote(flag || 'nothing')}`);
    }
  }
  if (rest === '' && expiry) return { ok: true, value: { lot: null, serial: null, expiry } };
  if (!LOT_OR_SERIAL.test(rest)) return fail(`HIBC ${what} ${quote(rest)} must be 1–18 letters or digits`);
  return { ok: true, value: { lot: isSerial ? null : rest, serial: isSerial ? rest : null, expiry } };
}

function done(hibc: HibccPrimary, found: Production): BarcodeResult {
  return { ok: true, value: { symbology: 'hibcc', gtin: null, hibc, ...found } };
}
