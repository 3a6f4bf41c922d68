// Check characters: GS1 mod-10 (GTIN, SSCC, GLN) and the HIBC mod-43 character.

const DIGITS = /^\d+$/;

/** GS1 mod-10 check digit for the digits before it: weights 3,1,3,… from the right. Throws on anything but digits. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!DIGITS.test(digitsWithoutCheck)) throw new RangeError(`gs1CheckDigit needs digits, got ${JSON.stringify(digitsWithoutCheck)}`);
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digitsWithoutCheck[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the digits end in their own GS1 check digit. */
export function hasValidGs1CheckDigit(digits: string): boolean {
  return digits.length >= 2 && DIGITS.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === Number(digits.at(-1));
}

const GTIN_LENGTH = /^(\d{8}|\d{12,14})$/;

/** GTIN-8, -12, -13 or -14 whose last digit is its check digit. */
export function isValidGtin(gtin: string): boolean {
  return typeof gtin === 'string' && GTIN_LENGTH.test(gtin) && hasValidGs1CheckDigit(gtin);
}

/** The 43 characters of HIBC data, in the order of their mod-43 values. */
export const HIBC_CHARACTERS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** HIBC mod-43 check character over every character before it (from the leading '+'); null if one is outside the set. */
export function hibcCheckCharacter(data: string): string | null {
  let sum = 0;
  for (const c of data) {
    const value = HIBC_CHARACTERS.indexOf(c);
    if (value < 0) return null;
    sum += value;
  }
  return HIBC_CHARACTERS[sum % 43]!;
}
