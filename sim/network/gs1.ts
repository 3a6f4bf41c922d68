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
