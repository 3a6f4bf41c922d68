// The barcode codec: pure functions from what a scanner sends (or what is printed under a barcode) to the product,
// lot, serial and dates it carries, for the two UDI formats on supplies: GS1 and HIBC LIC. No I/O and no clock.
//
//   parseBarcode(input)          → { ok: true, value: ScannedBarcode } | { ok: false, error } (never throws)
//   gs1CheckDigit(digits)        → the mod-10 check digit for the digits before it
//   isValidGtin(gtin)            → 8, 12, 13 or 14 digits ending in their check digit
//
// Hand-written rather than a dependency: the one maintained npm GS1 parser (gs1-barcode-parser-mod, MIT) leaves
// check digits unverified by design, throws instead of answering, reads two-digit years from the clock, is CommonJS
// without types, and knows nothing of HIBC. See docs/barcodes.md for what is read and refused.
import { parseGs1Printed, parseGs1Scanned, GS } from './gs1.ts';
import { parseHibc } from './hibc.ts';
import { failure, quote, type BarcodeResult } from './types.ts';

export { gs1CheckDigit, isValidGtin } from './check-digits.ts';
export type { BarcodeResult, BarcodeSymbology, HibccPrimary, ScannedBarcode } from './types.ts';

/** A symbology identifier, such as ]C1 (GS1-128), ]d2 (GS1 DataMatrix), ]Q3 (GS1 QR) or ]d1 / ]C0 before HIBC data. */
const SYMBOLOGY_IDENTIFIER = /^\][A-Za-z][0-9A-Za-z]/;

export function parseBarcode(input: string): BarcodeResult {
  if (typeof input !== 'string') return failure(`a barcode is text, got ${input === null ? 'null' : typeof input}`);
  // Scanners in keyboard mode end a read with CR or LF; spaces stay, as a space is a valid HIBC check character.
  let text = input.replace(/[\r\n]+$/, '').replace(SYMBOLOGY_IDENTIFIER, '');
  // The caption under an HIBC Code 39 label is framed by '*', which is not part of the data.
  if (text.length > 2 && text.startsWith('*+') && text.endsWith('*')) text = text.slice(1, -1);
  if (text === '') return failure(input === '' ? 'the barcode is empty' : 'the barcode holds no data');
  const first = text[0]!;
  if (first === '+') return parseHibc(text);
  if (first === '(') return parseGs1Printed(text);
  if (first === GS || (first >= '0' && first <= '9')) return parseGs1Scanned(text);
  return failure(`not a GS1 or HIBC barcode: GS1 data starts with a digit or "(", HIBC with "+"; this starts with ${quote(text, 12)}`);
}
