// GS1 check digits (GTIN-14, GLN-13 share the same mod-10 scheme): weights 3,1,3,1… from the rightmost
// data digit. Real scanners reject a GTIN whose check digit is wrong, so the sim's data must get it right.

export function gs1CheckDigit(dataDigits: string): number {
  if (!/^\d+$/.test(dataDigits)) throw new Error(`not digits: ${dataDigits}`);
  let sum = 0;
  for (let i = 0; i < dataDigits.length; i++) {
    const digit = dataDigits.charCodeAt(dataDigits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Appends the check digit: 13 data digits → a GTIN-14, 12 → a GLN-13. */
export function withCheckDigit(dataDigits: string): string {
  return dataDigits + String(gs1CheckDigit(dataDigits));
}

export function isValidGs1(code: string, length: number): boolean {
  return code.length === length && /^\d+$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/**
 * The GTIN-14 of a packaging level of the item `baseGtin` identifies: the same 12 digits of company prefix and
 * item reference behind another indicator digit (1–8: boxes, cases), with the check digit recomputed.
 */
export function packagingGtin(baseGtin: string, indicator: number): string {
  if (!isValidGs1(baseGtin, 14)) throw new Error(`not a GTIN-14: ${baseGtin}`);
  if (!Number.isInteger(indicator) || indicator < 1 || indicator > 8) throw new Error(`indicator must be 1..8, got ${indicator}`);
  return withCheckDigit(`${indicator}${baseGtin.slice(1, 13)}`);
}
