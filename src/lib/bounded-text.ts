/**
 * Error messages echo what a client sent ("No org unit has code "…""), and a client can send
 * megabytes. Every message leaving the API (GraphQL errors, user errors, FHIR issues, the HTTP
 * layer's own errors) goes through boundEchoes: each double-quoted part, and each run without
 * a space, longer than MAX_ECHO characters keeps its first MAX_ECHO followed by an ellipsis,
 * and a message still longer than MAX_MESSAGE is cut there. Our own messages are far shorter,
 * so only echoes change.
 */
export const MAX_ECHO = 100;
export const MAX_MESSAGE = 1000;

const ELLIPSIS = '…';
const SPACE = /\s/;

/**
 * One pass, linear in the message whatever it holds: a quoted part runs to the next quote not
 * escaped by a backslash (a JSON-escaped echo keeps its \" inside); a run is a stretch without
 * spaces or quotes. The pass stops once the output passes MAX_MESSAGE.
 */
export function boundEchoes(message: string): string {
  if (message.length <= MAX_ECHO) return message;
  let out = '';
  let quotesClose = true; // once a quote finds no closing one, no later quote can
  let i = 0;
  while (i < message.length && out.length <= MAX_MESSAGE) {
    const c = message[i];
    if (c === '"' && quotesClose) {
      const end = closingQuote(message, i + 1);
      if (end >= 0) {
        const inside = message.slice(i + 1, end);
        out += inside.length > MAX_ECHO ? `"${cutAt(inside, MAX_ECHO)}${ELLIPSIS}"` : `"${inside}"`;
        i = end + 1;
        continue;
      }
      quotesClose = false;
    }
    if (c === '"' || SPACE.test(c)) {
      out += c;
      i += 1;
      continue;
    }
    let j = i;
    while (j < message.length && message[j] !== '"' && !SPACE.test(message[j])) j += 1;
    const run = message.slice(i, j);
    out += run.length > MAX_ECHO ? `${cutAt(run, MAX_ECHO)}${ELLIPSIS}` : run;
    i = j;
  }
  if (i < message.length || out.length > MAX_MESSAGE) return `${cutAt(out, MAX_MESSAGE)}${ELLIPSIS}`;
  return out;
}

/** The index of the first quote at or after `from` that no backslash escapes, or -1. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** The first `n` UTF-16 units, without splitting a surrogate pair or leaving a dangling backslash escape. */
function cutAt(text: string, n: number): string {
  let cut = text.slice(0, n);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  return cut;
}
