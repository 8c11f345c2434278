/**
 * Screening free text for patient identifiers before it is stored: feedback summaries, action
 * descriptions and evidence are read on a ward's wall, so they must never carry an NHS number,
 * a phone number, an email address or a postcode. A pure function (no I/O): it says what kinds
 * were found and how many, never the text found, so an error message cannot echo an identifier.
 *
 * The rules, and what each leaves alone (false-positive guards, tested in identifier-screening.test.ts):
 * - NHS number: 10 digits, together or spaced/hyphenated 3-3-4, not inside a longer run of
 *   digits, whose tenth digit is the modulus-11 check digit of the first nine (weights 10 to 2;
 *   11 − (Σ mod 11), 11 → 0, 10 → never valid). Ten digits failing the check are not an NHS number.
 * - UK phone number: +44 or 0, then a national number of 10 or 11 digits in all starting
 *   01, 02, 03, 05, 07, 08 or 09, with spaces, hyphens or brackets between groups. Dates
 *   (2024-01-15, 15/01/2024), years and times are not phone numbers.
 * - Email address: local@domain.tld.
 * - UK postcode: the Royal Mail format (outward code A9, A99, AA9, AA99, A9A or AA9A, then the
 *   inward code 9AA whose letters are never C, I, K, M, O or V), in either case, with or without the
 *   space. So "3am", "5pm" and "ward 3B" are not postcodes.
 */

export type IdentifierKind = 'NHS_NUMBER' | 'PHONE_NUMBER' | 'EMAIL_ADDRESS' | 'POSTCODE';

export interface IdentifierFinding {
  kind: IdentifierKind;
  count: number;
}

const KIND_WORDS: Record<IdentifierKind, string> = {
  NHS_NUMBER: 'an NHS number',
  PHONE_NUMBER: 'a phone number',
  EMAIL_ADDRESS: 'an email address',
  POSTCODE: 'a postcode',
};

/** True when ten digits (no separators) carry a valid NHS number check digit. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

// Ten digits as 3-3-4 with one kind of separator (or none), not part of a longer number.
const NHS_CANDIDATE = /(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])/g;
// +44 or a leading 0, then digits in groups separated by a space, hyphen or brackets.
const PHONE_CANDIDATE = /(?<![\d\w])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)\d[\d\s()-]{7,15}\d(?![\d])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const POSTCODE = /(?<![A-Za-z0-9])(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])/gi;

function phoneDigitsValid(candidate: string): boolean {
  // Separators only between groups: no letters, no slashes, no dots (those are dates and amounts).
  const digits = candidate.replace(/^\+44[\s-]?\(0\)/, '+44').replace(/[\s()-]/g, '');
  if (!/^\+?\d+$/.test(digits)) return false;
  const national = digits.startsWith('+44') ? `0${digits.slice(3)}` : digits;
  if (!/^0[1235789]/.test(national)) return false;
  return national.length === 11 || (national.length === 10 && /^01/.test(national));
}

/** What identifiers the text holds, by kind, in a fixed order; empty when it holds none. */
export function findIdentifiers(text: string): IdentifierFinding[] {
  const counts = new Map<IdentifierKind, number>();
  const add = (kind: IdentifierKind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);

  // Emails first, and blanked, so digits inside an address are not counted twice.
  let rest = text.replace(EMAIL, (match) => {
    add('EMAIL_ADDRESS');
    return ' '.repeat(match.length);
  });
  rest = rest.replace(PHONE_CANDIDATE, (match) => {
    if (!phoneDigitsValid(match)) return match;
    add('PHONE_NUMBER');
    return ' '.repeat(match.length);
  });
  for (const match of rest.matchAll(NHS_CANDIDATE)) {
    if (isValidNhsNumber(`${match[1]}${match[3]}${match[4]}`)) add('NHS_NUMBER');
  }
  for (const _match of rest.matchAll(POSTCODE)) add('POSTCODE');

  const order: IdentifierKind[] = ['NHS_NUMBER', 'PHONE_NUMBER', 'EMAIL_ADDRESS', 'POSTCODE'];
  return order.filter((kind) => counts.has(kind)).map((kind) => ({ kind, count: counts.get(kind)! }));
}

/** The findings in words, for a user error: "an NHS number and a postcode" (never the text itself). */
export function describeFindings(findings: readonly IdentifierFinding[]): string {
  const words = findings.map((f) => (f.count > 1 ? `${f.count} × ${KIND_WORDS[f.kind].replace(/^an? /, '')}` : KIND_WORDS[f.kind]));
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
