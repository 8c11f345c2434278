/**
 * Imports feedback from a CSV file into a running server, over its GraphQL API
 * (`importFeedback`). See USAGE and README "You said, we did".
 *
 * The file is sent whole and all-or-nothing: any row error and nothing is written, every
 * error is printed with its line. Re-running the same file is safe: rows already recorded
 * (same source and external id in the trust) are unchanged, or updated where they differ.
 */
import { readFileSync } from 'node:fs';
import { FEEDBACK_CSV_COLUMNS, FeedbackCsvError, parseFeedbackCsv } from '../src/feedback/feedback-csv';
import { MAX_IMPORT_ROWS } from '../src/feedback/feedback-limits';

const USAGE = `Usage: npm run import:feedback -- <file.csv> [options]

Imports feedback from a CSV file into a running server (GraphQL importFeedback).

The header must be exactly these columns, in any order:
  ${FEEDBACK_CSV_COLUMNS.join(',')}
source is a FeedbackSource (FRIENDS_AND_FAMILY_TEST, PATIENT_SURVEY, COMPLAINT, PALS,
COMPLIMENT, COMMUNITY_MEETING, LIVED_EXPERIENCE_FORUM, STAFF_SURVEY); received_on is
YYYY-MM-DD; theme_codes is one or more theme codes separated by ";". A summary holding an
NHS number, phone number, email address or postcode is refused.

Options:
  --url <url>     GraphQL endpoint (default http://localhost:4000/graphql)
  --key <key>     API key (default: the RCG_API_KEY environment variable)
  --dry-run       validate and count, write nothing
  -h, --help      this text

At most ${MAX_IMPORT_ROWS} rows a file. Exit status: 0 imported; 1 row errors (nothing
written); 2 usage, file or connection error.`;

const MUTATION = `mutation ImportFeedbackCsv($input: ImportFeedbackInput!) {
  importFeedback(input: $input) { accepted created updated unchanged userErrors { field code message } }
}`;

interface Payload {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  userErrors: Array<{ field: string[]; code: string; message: string }>;
}

async function main(argv: string[]): Promise<number> {
  let file: string | null = null;
  let url = 'http://localhost:4000/graphql';
  let key = process.env.RCG_API_KEY ?? '';
  let dryRun = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (arg === '--url') url = argv[++i] ?? '';
    else if (arg === '--key') key = argv[++i] ?? '';
    else if (arg === '--dry-run') dryRun = true;
    else if (arg.startsWith('-') || file !== null) {
      process.stderr.write(`Unknown argument ${arg}\n\n${USAGE}\n`);
      return 2;
    } else file = arg;
  }
  if (!file || !key) {
    process.stderr.write(`${!file ? 'No file given' : 'No API key: pass --key or set RCG_API_KEY'}\n\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseFeedbackCsv(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof FeedbackCsvError ? error.message : (error as Error).message}\n`);
    return 2;
  }
  if (parsed.rows.length > MAX_IMPORT_ROWS) {
    process.stderr.write(`${file}: ${parsed.rows.length} rows; at most ${MAX_IMPORT_ROWS} a file (split it)\n`);
    return 2;
  }
  let body: { data?: { importFeedback: Payload }; errors?: Array<{ message: string }> };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: MUTATION, variables: { input: { rows: parsed.rows, dryRun } } }),
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    process.stderr.write(`Could not reach ${url}: ${(error as Error).message}\n`);
    return 2;
  }
  if (!body.data) {
    process.stderr.write(`The server refused the import: ${body.errors?.map((e) => e.message).join('; ') ?? 'no answer'}\n`);
    return 2;
  }
  const result = body.data.importFeedback;
  if (result.userErrors.length > 0) {
    for (const e of result.userErrors) {
      const row = e.field[0] === 'rows' ? Number(e.field[1]) : NaN;
      const where = Number.isInteger(row) ? `line ${parsed.lines[row]}${e.field.length > 2 ? ` (${e.field.slice(2).join('.')})` : ''}` : e.field.join('.') || 'file';
      process.stdout.write(`${where}: ${e.code}: ${e.message}\n`);
    }
    process.stdout.write(`${result.userErrors.length} problem(s); nothing was written.\n`);
    return 1;
  }
  process.stdout.write(`${dryRun ? 'Dry run (nothing written): ' : ''}created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
