/**
 * Small helpers for writing SVG as text: escaping user data, stable numbers and ids, and
 * words for periods. Pure and deterministic: the same input always gives the same bytes.
 */
import { monthStart } from '../statistics/periods';

/**
 * Characters XML 1.0 forbids outright (C0 controls other than tab, newline and return; lone
 * surrogates; U+FFFE and U+FFFF). Escaping cannot make them legal, so they are dropped: a title
 * pasted with a stray control character must not make the whole document unreadable.
 */
const NOT_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHARACTERS, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A coordinate to one decimal place; never "-0.0", which would differ from "0.0" for the same position. */
export function coordinate(n: number): string {
  const fixed = n.toFixed(1);
  return fixed === '-0.0' ? '0.0' : fixed;
}

/**
 * A number with `decimals` places, thousands grouped with commas (no locale: stable everywhere).
 * Trailing zeros are dropped ("35", not "35.0") unless `keepZeros`, as an axis wants ("1.0", "1.5").
 */
export function formatNumber(n: number, decimals: number, keepZeros = false): string {
  let fixed = n.toFixed(decimals);
  if (!keepZeros && fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  if (/^-0(\.0*)?$/.test(fixed)) fixed = fixed.slice(1);
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** The decimal places a step such as 0.25 or 5 needs to be written exactly. */
export function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 8; decimals += 1) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return decimals;
  }
  return 8;
}

/** FNV-1a (32-bit) as 8 hex digits: a short deterministic name for ids, not a security hash. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** An id usable in XML and in aria-labelledby (which splits on spaces): letters, digits, '-' and '_', starting with a letter. */
export function xmlId(wanted: string): string {
  const cleaned = wanted.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'June 2026' for any date in that month ('2026-06-01', '2026-06-17'); the calendar date written, never a local-time parse. */
export function monthWords(date: string): string {
  const [year, month] = monthStart(date).split('-');
  return `${MONTH_NAMES[Number(month) - 1]} ${Number(year)}`;
}

/** Text cut to `max` characters with an ellipsis, at a word boundary where one is near. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Words into at most `maxLines` lines of about `maxChars` characters (the last one truncated).
 * An estimate, since no font metrics are at hand: good enough for a heading that must not run
 * under the icons.
 */
export function wrapWords(text: string, maxChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  for (let i = 0; i < words.length; i += 1) {
    const candidate = current ? `${current} ${words[i]}` : words[i];
    if (candidate.length <= maxChars || !current) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      lines.push(truncate(`${current} ${words.slice(i).join(' ')}`, maxChars));
      return lines;
    }
    lines.push(truncate(current, maxChars));
    current = words[i];
  }
  if (current) lines.push(truncate(current, maxChars));
  return lines;
}
