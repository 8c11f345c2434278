/**
 * Imports observations from a CSV file into a running server, over its GraphQL API
 * (`importObservations`), streaming the file in batches. See USAGE below and README
 * "Integrations".
 *
 * Bad rows never stop the import: each batch is sent with allOrNothing: false, so its valid
 * rows land and its invalid ones come back with their reasons; those are written, with their
 * original columns, to `<input>.rejects.csv`. Re-running the same file is safe: unchanged
 * rows are reported as unchanged, never duplicated.
 */
import { createReadStream, createWriteStream, existsSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import cliProgress from 'cli-progress';

const USAGE = `Usage: npm run import -- <file.csv> [options]

Imports observations from a CSV file into a running server (GraphQL importObservations).

The header must be exactly these columns, in any order (CONTRACT.md):
  measure_code,org_unit_code,period_start,numerator,denominator,source,external_id
optionally with stratifier,stratum_code (both): a row with them gives one stratum of the
population (e.g. ETHNICITY,M); empty in both, the whole population.
An empty denominator (a COUNT) or numerator is sent as null; an empty source defaults
to the key's integration client source system (or "api").

Options:
  --url <url>          GraphQL endpoint (default http://localhost:4000/graphql)
  --key <key>          API key (default: the RCG_API_KEY environment variable)
  --batch-size <n>     rows per request, 1 to 10000 (default 5000)
  --dry-run            validate and count, write nothing
  --no-progress        no progress bar
  -h, --help           this text

Bad rows: every batch is sent with allOrNothing: false, so its valid rows are written
and each invalid row is listed with its reasons in <file.csv>.rejects.csv beside the
input: the original columns plus row_number (the line in the input, the header being
line 1), field, code and message (several problems of one row are joined with "; ").
A line repeating an earlier line's measure, org unit and period (or its source and
external_id) is refused, naming the earlier line. Re-running a file is idempotent: rows
already stored are counted as unchanged.

Exit status: 0 every row accepted; 1 some rows rejected; 2 usage, file (not CSV text, a
stray quote, binary data) or connection error.`;

const COLUMNS = ['measure_code', 'org_unit_code', 'period_start', 'numerator', 'denominator', 'source', 'external_id'] as const;
/** The equality lens's columns: both or neither. */
const STRATUM_COLUMNS = ['stratifier', 'stratum_code'] as const;
type Column = (typeof COLUMNS)[number] | (typeof STRATUM_COLUMNS)[number];
const FIELD_COLUMN: Record<string, Column> = {
  measureCode: 'measure_code',
  orgUnitCode: 'org_unit_code',
  periodStart: 'period_start',
  numerator: 'numerator',
  denominator: 'denominator',
  source: 'source',
  externalId: 'external_id',
  stratum: 'stratum_code',
};
const MAX_BATCH = 10_000;
const RETRIES = 3;

const MUTATION = `mutation ImportObservationsCsv($input: ImportObservationsInput!) {
  importObservations(input: $input) {
    created updated unchanged accepted outcomesWithheld
    rejectedRows { field code message }
    userErrors { field code message }
  }
}`;

interface Options {
  file: string;
  url: string;
  key: string;
  batchSize: number;
  dryRun: boolean;
  progress: boolean;
}

/** A usage, file or connection problem: exit 2. */
class FatalError extends Error {}

interface Problem {
  field: string;
  code: string;
  message: string;
}

interface RowInput {
  measureCode: string;
  orgUnitCode: string;
  periodStart: string;
  numerator: number | null;
  denominator: number | null;
  source: string | null;
  externalId: string | null;
  stratum?: { stratifier: string; code: string } | null;
}

/** A line of the file, in order: a row to send, or one already refused here. */
interface PendingRow {
  lineNumber: number;
  raw: string[];
  row: RowInput | null;
  problems: Problem[];
}

interface Totals {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  accepted: number;
  outcomesWithheld: boolean;
  rejected: number;
}

function parseArgs(argv: string[]): Options | 'help' {
  const rest = [...argv];
  let file: string | null = null;
  const options = { url: 'http://localhost:4000/graphql', key: process.env.RCG_API_KEY ?? '', batchSize: 5000, dryRun: false, progress: true };
  const value = (flag: string) => {
    const next = rest.shift();
    if (next === undefined || next.startsWith('--')) throw new FatalError(`${flag} needs a value`);
    return next;
  };
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--url') options.url = value(arg);
    else if (arg === '--key') options.key = value(arg);
    else if (arg === '--batch-size') options.batchSize = Number(value(arg));
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--no-progress') options.progress = false;
    else if (arg.startsWith('-')) throw new FatalError(`Unknown option ${arg}`);
    else if (file === null) file = arg;
    else throw new FatalError(`One file at a time (got ${file} and ${arg})`);
  }
  if (!file) throw new FatalError('Name the CSV file to import');
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > MAX_BATCH) {
    throw new FatalError(`--batch-size must be a whole number from 1 to ${MAX_BATCH}`);
  }
  if (!options.key) throw new FatalError('No API key: pass --key or set RCG_API_KEY');
  if (!/^https?:\/\//.test(options.url)) throw new FatalError(`--url must be an http(s) URL, got ${options.url}`);
  return { file, ...options };
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** An empty cell is null (the server says whether that is allowed); anything not a plain number is this row's error. */
function numberCell(text: string, column: Column, problems: Problem[]): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!NUMBER.test(trimmed)) {
    problems.push({ field: column, code: 'INVALID', message: `${column} "${trimmed}" is not a number (write e.g. 12 or 12.5, without separators or units)` });
    return null;
  }
  const value = Number(trimmed);
  // 1e309 is a number in form but Infinity in value, which JSON would send as null ("required").
  if (!Number.isFinite(value)) {
    problems.push({ field: column, code: 'INVALID', message: `${column} "${trimmed}" is not a finite number (too large to hold)` });
    return null;
  }
  return value;
}

function toRow(raw: string[], header: Column[]): { row: RowInput } | { problems: Problem[] } {
  if (raw.length !== header.length) {
    return { problems: [{ field: '', code: 'MALFORMED', message: `Expected ${header.length} fields, found ${raw.length}${raw.length > header.length ? ' (the extra ones are joined into the last column here)' : ''}` }] };
  }
  const cell = (column: Column) => (header.includes(column) ? (raw[header.indexOf(column)] ?? '').trim() : '');
  const problems: Problem[] = [];
  const stratifier = cell('stratifier');
  const stratumCode = cell('stratum_code');
  if ((stratifier === '') !== (stratumCode === '')) {
    problems.push({ field: stratifier === '' ? 'stratifier' : 'stratum_code', code: 'REQUIRED', message: 'A stratum row gives both stratifier and stratum_code; a whole-population row neither' });
  }
  const row: RowInput = {
    measureCode: cell('measure_code'),
    orgUnitCode: cell('org_unit_code'),
    periodStart: cell('period_start'),
    numerator: numberCell(cell('numerator'), 'numerator', problems),
    denominator: numberCell(cell('denominator'), 'denominator', problems),
    source: cell('source') || null,
    externalId: cell('external_id') || null,
    ...(stratifier && stratumCode ? { stratum: { stratifier, code: stratumCode } } : {}),
  };
  return problems.length > 0 ? { problems } : { row };
}

/**
 * Rows of the file that name the same observation (measure, org unit, period) or the same
 * source record (source, external id): the second is refused here, naming the line of the
 * first, whatever batches they fall in (the server would name only a batch index, and a
 * duplicate in a later batch would silently replace the first as an update).
 */
class DuplicateFinder {
  private readonly keys = new Map<string, number>();
  private readonly externalIds = new Map<string, number>();

  check(row: RowInput, lineNumber: number): Problem[] {
    const problems: Problem[] = [];
    const key = `${row.measureCode}|${row.orgUnitCode}|${row.periodStart}|${row.stratum?.stratifier ?? ''}|${row.stratum?.code ?? ''}`;
    const first = this.keys.get(key);
    if (first !== undefined) {
      const stratum = row.stratum ? ` (${row.stratum.stratifier} ${row.stratum.code})` : '';
      problems.push({ field: 'period_start', code: 'DUPLICATE_IN_BATCH', message: `Line ${first} already gives ${row.measureCode} at ${row.orgUnitCode} for ${row.periodStart}${stratum}` });
    } else this.keys.set(key, lineNumber);
    if (row.externalId !== null) {
      // an empty source is the key's default source system, the same for every such row
      const externalKey = `${row.source ?? ''}|${row.externalId}`;
      const firstWithExternal = this.externalIds.get(externalKey);
      if (firstWithExternal !== undefined) {
        problems.push({ field: 'external_id', code: 'DUPLICATE_IN_BATCH', message: `Line ${firstWithExternal} already uses external_id "${row.externalId}"${row.source ? ` from ${row.source}` : ''}` });
      } else this.externalIds.set(externalKey, lineNumber);
    }
    return problems;
  }
}

/** A NUL byte means a binary file (a spreadsheet, an archive), not CSV text: refuse it before it is parsed. */
function refuseBinary(file: string): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const at = chunk.indexOf(0);
      if (at >= 0) {
        callback(new FatalError(`${file} is not CSV text: it holds binary data (a NUL byte at byte ${offset + at + 1}). Export the data as CSV (UTF-8) and send that`));
        return;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
  });
}

/** A CSV syntax error as one line: where, what, and how to fix it. */
function describeCsvError(error: CsvError): string {
  const { lines, column } = error as CsvError & { lines?: number; column?: number | string };
  const field = typeof column === 'number' ? ` field ${column + 1}` : '';
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return `line ${lines}${field}: a quote inside an unquoted field (put the whole field in quotes and double each quote inside it)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `line ${lines}${field}: text after a closing quote (double each quote that belongs inside the field)`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field opened near line ${lines} is never closed`;
    default: {
      const message = error.message.split('\n')[0];
      return message.length > 200 ? `${message.slice(0, 200)}…` : message;
    }
  }
}

/** A malformed row made to fit the header, so the rejects file stays rectangular: extra fields join the last column. */
function fitted(raw: string[], width: number): string[] {
  if (raw.length === width) return raw;
  if (raw.length < width) return [...raw, ...Array<string>(width - raw.length).fill('')];
  return [...raw.slice(0, width - 1), raw.slice(width - 1).join(',')];
}

function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rejected rows as they come; the file exists only if something was rejected. */
class RejectsFile {
  private stream: WriteStream | null = null;
  count = 0;

  constructor(
    readonly path: string,
    private readonly header: string[],
  ) {}

  write(raw: string[], lineNumber: number, problems: Problem[]): void {
    if (!this.stream) {
      this.stream = createWriteStream(this.path);
      this.stream.write(`${[...this.header, 'row_number', 'field', 'code', 'message'].map(csvCell).join(',')}\n`);
    }
    const joined = (key: keyof Problem) => problems.map((p) => p[key]).join('; ');
    this.stream.write(`${[...fitted(raw, this.header.length), String(lineNumber), joined('field'), joined('code'), joined('message')].map(csvCell).join(',')}\n`);
    this.count += 1;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

interface ImportPayload {
  created: number;
  updated: number;
  unchanged: number;
  accepted: number;
  /** the key may not read the stored figures: which rows were new, changed or unchanged is not said */
  outcomesWithheld: boolean;
  rejectedRows: Array<{ field: string[]; code: string; message: string }>;
  userErrors: Array<{ field: string[]; code: string; message: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts one batch; retries what a retry can fix (timeouts, restarts, a conflicting writer), since re-sending is idempotent. */
async function postBatch(options: Options, rows: RowInput[]): Promise<ImportPayload> {
  let lastProblem = '';
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1));
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
        body: JSON.stringify({ query: MUTATION, variables: { input: { rows, dryRun: options.dryRun, allOrNothing: false } } }),
      });
    } catch (error) {
      lastProblem = `cannot reach ${options.url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`;
      continue;
    }
    if ([429, 502, 503, 504].includes(response.status)) {
      lastProblem = `the server answered HTTP ${response.status}`;
      continue;
    }
    const body = (await response.json().catch(() => null)) as { data?: { importObservations?: ImportPayload }; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null;
    if (response.status === 401) throw new FatalError('The API key was refused (wrong, revoked or malformed)');
    const payload = body?.data?.importObservations;
    if (!payload) {
      const error = body?.errors?.[0];
      throw new FatalError(`The server refused the import (HTTP ${response.status}${error ? `, ${error.extensions?.code ?? ''}: ${error.message}` : ''})`);
    }
    if (payload.userErrors.some((e) => e.code === 'CONFLICT')) {
      lastProblem = 'another writer changed the same rows at the same moment';
      continue;
    }
    return payload;
  }
  throw new FatalError(`Giving up after ${RETRIES + 1} attempts: ${lastProblem}. Batches sent before this were written; re-running the file is safe.`);
}

/** The server names the first of two duplicates by its index in the batch ("Row 3 already ..."): name its line instead. */
function namingLines(problem: Problem, batch: readonly PendingRow[]): Problem {
  if (problem.code !== 'DUPLICATE_IN_BATCH') return problem;
  const message = problem.message.replace(/^Row (\d+) /, (whole, index: string) => {
    const line = batch[Number(index)]?.lineNumber;
    return line === undefined ? whole : `Line ${line} `;
  });
  return { ...problem, message };
}

async function runImport(options: Options): Promise<Totals> {
  if (!existsSync(options.file) || !statSync(options.file).isFile()) throw new FatalError(`No such file: ${options.file}`);
  const totalBytes = statSync(options.file).size;
  const rejectsPath = `${options.file}.rejects.csv`;
  const totals: Totals = { rows: 0, created: 0, updated: 0, unchanged: 0, accepted: 0, outcomesWithheld: false, rejected: 0 };

  const bar = options.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'importing |{bar}| {percentage}% | {rows} rows | created {created} updated {updated} unchanged {unchanged} rejected {rejected}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let bytesRead = 0;
  const input = createReadStream(options.file);
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  bar?.start(totalBytes, 0, { ...totals });
  const tick = () => bar?.update(bytesRead, { ...totals });

  let header: Column[] | null = null;
  let rejects: RejectsFile | null = null;
  let batch: PendingRow[] = [];
  let batchRows = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const send = async (pending: PendingRow[]) => {
    const sendable = pending.filter((p) => p.row !== null);
    const payload = sendable.length > 0 ? await postBatch(options, sendable.map((p) => p.row as RowInput)) : { created: 0, updated: 0, unchanged: 0, accepted: 0, outcomesWithheld: false, rejectedRows: [], userErrors: [] };
    totals.created += payload.created;
    totals.updated += payload.updated;
    totals.unchanged += payload.unchanged;
    totals.accepted += payload.accepted;
    totals.outcomesWithheld ||= payload.outcomesWithheld;
    const byIndex = new Map<number, Problem[]>();
    // A batch-wide user error (none is expected with allOrNothing: false) rejects every row in it.
    const wholeBatch = payload.userErrors.filter((e) => e.field[0] !== 'rows' || e.field[1] === undefined);
    for (const e of [...payload.rejectedRows, ...payload.userErrors]) {
      if (e.field[0] !== 'rows' || e.field[1] === undefined) continue;
      const index = Number(e.field[1]);
      const column = e.field[2] ? (FIELD_COLUMN[e.field[2]] ?? e.field[2]) : '';
      byIndex.set(index, [...(byIndex.get(index) ?? []), { field: column, code: e.code, message: e.message }]);
    }
    sendable.forEach((line, index) => {
      line.problems = wholeBatch.length > 0 ? wholeBatch.map((e) => ({ field: '', code: e.code, message: e.message })) : (byIndex.get(index) ?? []).map((p) => namingLines(p, sendable));
    });
    // Written in file order, whether refused here or by the server.
    for (const line of pending) {
      if (line.problems.length === 0) continue;
      rejects?.write(line.raw, line.lineNumber, line.problems);
      totals.rejected += 1;
    }
    tick();
  };

  const duplicateFinder = new DuplicateFinder();
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true });
  // A failure anywhere (unreadable file, binary data, bad CSV) ends the loop below with that error.
  const guard = refuseBinary(options.file);
  input.on('error', (error) => parser.destroy(error));
  guard.on('error', (error) => parser.destroy(error));
  input.pipe(guard).pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === null) {
        header = checkHeader(record);
        rejects = new RejectsFile(rejectsPath, record);
        continue;
      }
      totals.rows += 1;
      const converted = toRow(record, header);
      const duplicates = 'row' in converted ? duplicateFinder.check(converted.row, info.lines) : [];
      if ('problems' in converted) batch.push({ lineNumber: info.lines, raw: record, row: null, problems: converted.problems });
      else if (duplicates.length > 0) batch.push({ lineNumber: info.lines, raw: record, row: null, problems: duplicates });
      else {
        batch.push({ lineNumber: info.lines, raw: record, row: converted.row, problems: [] });
        batchRows += 1;
      }
      if (batchRows >= options.batchSize) {
        const ready = batch;
        batch = [];
        batchRows = 0;
        // One batch on the wire while the next is read; batches still land in file order.
        await inFlight;
        inFlight = send(ready);
        inFlight.catch(() => undefined);
      }
    }
    if (header === null) throw new FatalError(`${options.file} is empty: expected the header ${COLUMNS.join(',')}`);
    await inFlight;
    if (batch.length > 0) await send(batch);
  } catch (error) {
    if (error instanceof CsvError) {
      throw new FatalError(`${options.file} is not valid CSV: ${describeCsvError(error)}. Batches sent before it were written; fix the file and send it again (rows already stored are unchanged)`);
    }
    throw error;
  } finally {
    await inFlight.catch(() => undefined);
    bar?.update(bytesRead, { ...totals });
    bar?.stop();
    await rejects?.close();
  }
  if (totals.rejected === 0 && existsSync(rejectsPath)) unlinkSync(rejectsPath); // a stale file from an earlier run would mislead
  return totals;
}

function checkHeader(record: string[]): Column[] {
  const names = record.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name) && !(STRATUM_COLUMNS as readonly string[]).includes(name));
  const stratumColumns = STRATUM_COLUMNS.filter((column) => names.includes(column));
  const missing = [...COLUMNS.filter((column) => !names.includes(column)), ...(stratumColumns.length === 1 ? STRATUM_COLUMNS.filter((c) => !names.includes(c)) : [])];
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    const problems = [
      unknown.length > 0 ? `unknown column(s) ${unknown.join(', ')}` : '',
      missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : '',
      repeated.length > 0 ? `repeated column(s) ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    throw new FatalError(`Bad header (${problems.join('; ')}). Expected: ${COLUMNS.join(',')}`);
  }
  return names as Column[];
}

function formatSummary(options: Options, totals: Totals, seconds: number): string {
  const n = (value: number) => value.toLocaleString('en-GB').padStart(10);
  const lines = [
    `${options.file}: ${totals.rows.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s (${Math.round(totals.rows / Math.max(seconds, 0.001)).toLocaleString('en-GB')} rows/s)${options.dryRun ? ' — DRY RUN, nothing was written' : ''}`,
    ...(totals.outcomesWithheld
      ? [`  accepted  ${n(totals.accepted)}   (created, updated and unchanged are withheld: this key may not read the stored figures)`]
      : [`  created   ${n(totals.created)}`, `  updated   ${n(totals.updated)}`, `  unchanged ${n(totals.unchanged)}`]),
    `  rejected  ${n(totals.rejected)}${totals.rejected > 0 ? `   reasons in ${options.file}.rejects.csv` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const started = process.hrtime.bigint();
  try {
    const totals = await runImport(options);
    process.stdout.write(formatSummary(options, totals, Number(process.hrtime.bigint() - started) / 1e9));
    return totals.rejected > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof FatalError) {
      process.stderr.write(`import failed: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
