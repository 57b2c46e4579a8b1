/** Identifier checks (pure): NHS number modulus 11, UPN check letter, LA child ID. */

export const LA_CHILD_ID = /^[A-Za-z0-9]{1,20}$/;

/** NHS number: 10 digits; weights 10..2 on the first nine, check = 11 - (sum mod 11), 11 -> 0, 10 -> invalid. */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * UPN: a check letter then 12 characters (11 digits and a digit or letter, never I, O or S); characters 2-13 are
 * weighted 2..13 (a final letter counts as its place in the 23-letter alphabet), the sum mod 23 picks the check letter.
 */
export function upnCheckLetter(upn: string): string | null {
  if (!/^[A-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return null;
  let sum = 0;
  for (let i = 1; i < 13; i++) {
    const ch = upn[i];
    const v = /\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch);
    sum += v * (i + 1);
  }
  return UPN_LETTERS[sum % 23];
}

export function isValidUpn(value: string): boolean {
  return upnCheckLetter(value) === value[0];
}

/** Builds a valid UPN from its last 12 characters (used by the seed and tests). */
export function withUpnCheckLetter(rest12: string): string {
  const letter = upnCheckLetter(`A${rest12}`);
  if (!letter) throw new RangeError(`not a UPN body: ${rest12}`);
  return letter + rest12;
}

/** Builds a valid NHS number from nine digits, or null when no check digit exists for them. */
export function withNhsCheckDigit(nine: string): string | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return nine + String(check === 11 ? 0 : check);
}
