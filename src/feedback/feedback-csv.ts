import { parse } from 'csv-parse/sync';
import type { FeedbackRowInput } from './feedback.input';

/**
 * Feedback as CSV from survey systems (README "You said, we did"): the header must be exactly
 * these columns, in any order; `theme_codes` holds one or more theme codes separated by `;`.
 * Each data line becomes one `importFeedback` row; line numbers count the header as line 1.
 */
export const FEEDBACK_CSV_COLUMNS = ['org_unit_code', 'source', 'external_id', 'received_on', 'theme_codes', 'summary'] as const;

export interface ParsedFeedbackCsv {
  rows: FeedbackRowInput[];
  /** the file's line of each row (rows[i] came from lines[i]) */
  lines: number[];
}

export class FeedbackCsvError extends Error {}

export function parseFeedbackCsv(text: string): ParsedFeedbackCsv {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: false }) as string[][];
  } catch (error) {
    throw new FeedbackCsvError(`Not readable as CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new FeedbackCsvError(`The file is empty: its first line must be the header ${FEEDBACK_CSV_COLUMNS.join(',')}`);
  const header = records[0].map((h) => h.trim().toLowerCase());
  const missing = FEEDBACK_CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(FEEDBACK_CSV_COLUMNS as readonly string[]).includes(h));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  if (missing.length || unknown.length || repeated.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : '', repeated.length ? `repeated ${repeated.join(', ')}` : ''].filter(Boolean);
    throw new FeedbackCsvError(`The header must be exactly ${FEEDBACK_CSV_COLUMNS.join(',')} (in any order): ${parts.join('; ')}`);
  }
  const at = (record: string[], column: (typeof FEEDBACK_CSV_COLUMNS)[number]) => (record[header.indexOf(column)] ?? '').trim();
  const rows: FeedbackRowInput[] = [];
  const lines: number[] = [];
  records.slice(1).forEach((record, i) => {
    rows.push({
      orgUnitCode: at(record, 'org_unit_code'),
      source: at(record, 'source'),
      externalId: at(record, 'external_id'),
      receivedOn: at(record, 'received_on'),
      themeCodes: at(record, 'theme_codes')
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean),
      summary: at(record, 'summary'),
    });
    lines.push(i + 2);
  });
  return { rows, lines };
}
