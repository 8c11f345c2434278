/**
 * Import throughput: 100,000 observations into a scratch PostgreSQL database through
 * `importObservations` (batches of 5,000 over HTTP) and through the CSV script, each as a
 * first load and as a re-send of the same data, sent with an integration client's key as a
 * trust system would. Prints rows/s, time per batch and SQL statements per batch, checks the
 * incrementally kept rollups against a rebuild from the observations, then drops the database.
 *
 * The machine's load average is printed before and after: on a 2-core machine another busy
 * process halves these figures, so read them only from a quiet run.
 *
 *   npm run bench:import -- [--rows 100000] [--batch-size 5000] [--development] [--pglite]
 *
 * --pglite: the embedded database in a temporary data directory instead (the server's CPU column
 * then includes the database's; the PostgreSQL column is the machine's other PostgreSQL work).
 *   BENCH_DATABASE_ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres (default)
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { createBenchDatabase } from './lib/bench';
import type { ScoringType } from '../src/generated/prisma/enums';
import type { DatasetObservation } from '../src/demo/dataset';
import { createLogger } from '../src/logger';
import { countRollupDrift } from '../src/observations/rollups';
import { addMonths, monthStart } from '../src/statistics/periods';
import { startServer } from '../src/app';

const TEAMS = 100;
const MEASURES = 28;
const MONTHS = 36;
const SCORING: ScoringType[] = ['PROPORTION', 'RATE', 'MEAN', 'COUNT'];

const MUTATION = `mutation Bench($input: ImportObservationsInput!) {
  importObservations(input: $input) { created updated unchanged accepted outcomesWithheld rejected userErrors { field code message } }
}`;

/** One row as an integration sends it: the dataset's observation shape. */
type Row = DatasetObservation;

interface RunResult {
  label: string;
  rows: number;
  seconds: number;
  created: number;
  updated: number;
  unchanged: number;
  /** rows accepted (created + updated + unchanged); the only count when the outcomes are withheld */
  accepted?: number;
  /** true when the API withheld created/updated/unchanged (the client may not read every unit's true figures) */
  withheld?: boolean;
  batchMs: number[];
  statements: number[];
  /** CPU seconds spent by this process (the server and the bench's client) during the run */
  serverCpu?: number;
  /** CPU seconds spent by PostgreSQL's processes during the run (NaN when /proc cannot tell) */
  postgresCpu?: number;
}

function parseArgs(argv: string[]): { rows: number; batchSize: number } {
  const args = { rows: 100_000, batchSize: 5000 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rows') args.rows = Number(argv[++i]);
    else if (argv[i] === '--batch-size') args.batchSize = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --rows N --batch-size N)`);
  }
  if (args.rows > TEAMS * MEASURES * MONTHS) throw new Error(`at most ${TEAMS * MEASURES * MONTHS} rows`);
  return args;
}


/** A trust with `TEAMS` teams under one directorate, written straight to the database. */
async function createTrust(db: Database): Promise<string[]> {
  const prisma = db.prisma;
  const trust = await prisma.orgUnit.create({ data: { code: 'RBX', name: 'Bench trust', type: 'TRUST', path: '/', depth: 0 } });
  await prisma.orgUnit.update({ where: { id: trust.id }, data: { path: `/${trust.id}/` } });
  const directorate = await prisma.orgUnit.create({ data: { code: 'RBX-DIR', name: 'Directorate', type: 'DIRECTORATE', parentId: trust.id, path: '/', depth: 1 } });
  await prisma.orgUnit.update({ where: { id: directorate.id }, data: { path: `/${trust.id}/${directorate.id}/` } });
  const codes = Array.from({ length: TEAMS }, (_, i) => `RBX-T${String(i).padStart(3, '0')}`);
  await prisma.orgUnit.createMany({ data: codes.map((code) => ({ code, name: code, type: 'TEAM' as const, parentId: directorate.id, path: '/', depth: 2 })) });
  await prisma.$executeRawUnsafe(`UPDATE org_unit SET path = '/${trust.id}/${directorate.id}/' || id || '/' WHERE parent_id = $1`, directorate.id);
  return codes;
}

async function createMeasures(db: Database, prefix: string): Promise<Array<{ code: string; scoringType: ScoringType }>> {
  const measures = Array.from({ length: MEASURES }, (_, i) => ({ code: `${prefix}-${String(i).padStart(2, '0')}`, scoringType: SCORING[i % SCORING.length] }));
  await db.prisma.measure.createMany({
    data: measures.map((m) => ({
      code: m.code,
      name: `Bench measure ${m.code}`,
      scoringType: m.scoringType,
      improvementDirection: 'INCREASE' as const,
      multiplier: m.scoringType === 'RATE' ? 1000 : null,
      audience: 'PATIENTS' as const,
    })),
  });
  return measures;
}

/** Valid rows: teams × measures × months, components that fit each scoring type. */
function generateRows(teams: string[], measures: Array<{ code: string; scoringType: ScoringType }>, count: number, source: string): Row[] {
  const lastMonth = addMonths(monthStart(new Date()), -1);
  const months = Array.from({ length: MONTHS }, (_, i) => addMonths(lastMonth, -i));
  const rows: Row[] = [];
  let n = 0;
  outer: for (const measure of measures) {
    for (const team of teams) {
      for (const month of months) {
        if (rows.length >= count) break outer;
        n += 1;
        const denominator = measure.scoringType === 'COUNT' ? null : measure.scoringType === 'RATE' ? 300 + (n % 400) : 20 + (n % 30);
        const numerator = measure.scoringType === 'COUNT' ? n % 17 : measure.scoringType === 'MEAN' ? (denominator as number) * (30 + (n % 15)) : n % ((denominator as number) + 1);
        rows.push({ measureCode: measure.code, orgUnitCode: team, periodStart: month, numerator, denominator, source, externalId: `${measure.code}|${team}|${month}` });
      }
    }
  }
  return rows;
}

/**
 * CPU seconds used so far by every PostgreSQL process on this host, from /proc (Linux, server on
 * the same machine). Backends that exit during a run are missed, so this is a lower bound; the
 * bench's pool keeps its connections open, so in practice it misses little.
 */
function postgresCpuSeconds(): number {
  try {
    const ticksPerSecond = 100; // USER_HZ on Linux
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    }
    return ticks / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** Runs one bench step and adds the CPU time this process and PostgreSQL spent on it. */
async function withCpu(run: () => Promise<RunResult>): Promise<RunResult> {
  const pgBefore = postgresCpuSeconds();
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { ...result, serverCpu: (used.user + used.system) / 1e6, postgresCpu: postgresCpuSeconds() - pgBefore };
}

/** Registers an integration client for the bench measures under the trust, through the API; returns its key. */
async function registerIntegrationClient(url: string, adminKey: string, measureCodes: string[]): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({
      query: `mutation Register($input: IntegrationClientCreateInput!) { integrationClientCreate(input: $input) { secret userErrors { field code message } } }`,
      variables: { input: { name: 'Bench feed', sourceSystem: 'bench', measureCodes, orgUnitCodes: ['RBX'] } },
    }),
  });
  const body = (await response.json()) as { data?: { integrationClientCreate: { secret: string | null; userErrors: unknown[] } }; errors?: unknown[] };
  const secret = body.data?.integrationClientCreate.secret;
  if (!secret) throw new Error(`could not register the integration client: ${JSON.stringify(body.errors ?? body.data)}`);
  return secret;
}

/** Posts the rows in batches, `inFlight` requests at a time (1: each batch waits for the one before). */
async function postBatches(url: string, key: string, label: string, rows: Row[], batchSize: number, inFlight = 1): Promise<RunResult> {
  const result: RunResult = { label, rows: rows.length, seconds: 0, created: 0, updated: 0, unchanged: 0, batchMs: [], statements: [] };
  const started = process.hrtime.bigint();
  const starts = Array.from({ length: Math.ceil(rows.length / batchSize) }, (_, b) => b * batchSize);
  let done = 0;
  const worker = async () => {
    for (let i = starts.shift(); i !== undefined; i = starts.shift()) await postOne(i);
  };
  const postOne = async (i: number) => {
    const batchStarted = process.hrtime.bigint();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: MUTATION, variables: { input: { rows: rows.slice(i, i + batchSize) } } }),
    });
    const body = (await response.json()) as {
      data?: { importObservations: { created: number; updated: number; unchanged: number; accepted: number; outcomesWithheld: boolean; rejected: number; userErrors: unknown[] } };
      errors?: unknown[];
      extensions?: { sqlStatements?: number };
    };
    const payload = body.data?.importObservations;
    if (!payload || payload.userErrors.length > 0) throw new Error(`batch ${i / batchSize} failed: ${JSON.stringify(body.errors ?? payload?.userErrors).slice(0, 500)}`);
    result.created += payload.created;
    result.updated += payload.updated;
    result.unchanged += payload.unchanged;
    result.accepted = (result.accepted ?? 0) + payload.accepted;
    result.withheld = (result.withheld ?? false) || payload.outcomesWithheld;
    result.batchMs.push(Number(process.hrtime.bigint() - batchStarted) / 1e6);
    result.statements.push(body.extensions?.sqlStatements ?? NaN);
    done += Math.min(batchSize, rows.length - i);
    process.stderr.write(`\r  ${label}: ${done.toLocaleString('en-GB')} / ${rows.length.toLocaleString('en-GB')}`);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write('\n');
  return result;
}

function toCsv(rows: Row[]): string {
  const lines = ['measure_code,org_unit_code,period_start,numerator,denominator,source,external_id'];
  for (const r of rows) lines.push(`${r.measureCode},${r.orgUnitCode},${r.periodStart},${r.numerator},${r.denominator ?? ''},${r.source},"${r.externalId}"`);
  return `${lines.join('\n')}\n`;
}

/** Runs the CSV script as its own process, as an operator would; the time includes its start-up. */
async function runCsv(url: string, key: string, label: string, file: string, rows: number, batchSize: number): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'import-csv.ts'), file, '--url', url, '--batch-size', String(batchSize), '--no-progress'], {
      env: { ...process.env, RCG_API_KEY: key },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`CSV import exited ${code}: ${stdout}`))));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const count = (name: string) => Number(new RegExp(`^\\s+${name}\\s+([\\d,]+)`, 'm').exec(output)?.[1].replace(/,/g, '') ?? NaN);
  return { label, rows, seconds, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), batchMs: [], statements: [] };
}

function report(results: RunResult[]): string {
  const fmt = (n: number, digits = 0) => (Number.isNaN(n) ? '–' : n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  // An integration key is told only how many rows were accepted, not which were new: say so rather than print 0 or NaN.
  const outcome = (r: RunResult, n: number) => (r.withheld || (r.label.startsWith('CSV') && Number.isNaN(n)) ? 'withheld' : fmt(n));
  const median = (values: number[]) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  const lines = [
    '| run | rows | seconds | rows/s | created | unchanged | median ms/batch | SQL statements/batch | CPU s: server | CPU s: PostgreSQL |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${fmt(r.rows)} | ${fmt(r.seconds, 2)} | **${fmt(r.rows / r.seconds)}** | ${outcome(r, r.created)} | ${outcome(r, r.unchanged)} | ` +
        `${r.batchMs.length ? fmt(median(r.batchMs)) : '–'} | ${r.statements.length ? fmt(median(r.statements)) : '–'} | ` +
        `${fmt(r.serverCpu ?? NaN, 2)} | ${fmt(r.postgresCpu ?? NaN, 2)} |`,
    ),
  ];
  return lines.join('\n');
}

/**
 * Measures the server as it is deployed: graphql-js reads NODE_ENV once, when it loads, and
 * runs extra development checks on every input value unless it is 'production'. So the bench
 * re-runs itself with NODE_ENV=production (the server's own config is still built without it,
 * so responses keep reporting their SQL statement counts).
 */
function rerunAsProduction(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, ...process.argv.slice(2)], { env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** The embedded database in a temporary data directory, shaped like a scratch PostgreSQL database. */
async function createPgliteScratch(): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rcg-bench-import-pglite-'));
  const db = await openDatabase({ databaseUrl: null, dataDir, migrate: true });
  return {
    db,
    url: '',
    drop: async () => {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV !== 'production' && !process.argv.includes('--development')) {
    process.exitCode = await rerunAsProduction();
    return;
  }
  const pglite = process.argv.includes('--pglite');
  const args = parseArgs(process.argv.slice(2).filter((a) => a !== '--development' && a !== '--pglite'));
  const scratch = pglite ? await createPgliteScratch() : await createBenchDatabase('bench_import');
  const db = scratch.db;
  const adminKey = `bench-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({ DATABASE_URL: pglite ? '' : scratch.url, PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: adminKey, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' });
  const server = await startServer(config, db, createLogger('silent'));
  const dir = mkdtempSync(path.join(tmpdir(), 'rcg-bench-import-'));
  try {
    const loadBefore = loadavg()[0];
    const teams = await createTrust(db);
    const measureSets = { api: await createMeasures(db, 'API'), parallel: await createMeasures(db, 'PAR'), csv: await createMeasures(db, 'CSV') };
    const allCodes = Object.values(measureSets).flatMap((set) => set.map((m) => m.code));
    const key = await registerIntegrationClient(server.url, adminKey, allCodes);
    const results: RunResult[] = [];

    const apiRows = generateRows(teams, measureSets.api, args.rows, 'bench-api');
    results.push(await withCpu(() => postBatches(server.url, key, 'API, first load', apiRows, args.batchSize)));
    results.push(await withCpu(() => postBatches(server.url, key, 'API, re-send', apiRows, args.batchSize)));

    const parallelRows = generateRows(teams, measureSets.parallel, args.rows, 'bench-par');
    results.push(await withCpu(() => postBatches(server.url, key, 'API 2 in flight, first load', parallelRows, args.batchSize, 2)));
    results.push(await withCpu(() => postBatches(server.url, key, 'API 2 in flight, re-send', parallelRows, args.batchSize, 2)));

    // A fresh measure set, so the CSV first load writes into the same (now larger) tables as new rows.
    const csvRows = generateRows(teams, measureSets.csv, args.rows, 'bench-csv');
    const file = path.join(dir, 'observations.csv');
    writeFileSync(file, toCsv(csvRows));
    results.push(await withCpu(() => runCsv(server.url, key, 'CSV script, first load', file, csvRows.length, args.batchSize)));
    results.push(await withCpu(() => runCsv(server.url, key, 'CSV script, re-send', file, csvRows.length, args.batchSize)));
    const loadAfter = loadavg()[0];

    const observations = await db.prisma.observation.count();
    const rollups = await db.prisma.observationRollup.count();
    // A fast import that let the incrementally kept rollups drift would be worthless.
    const mismatches = await countRollupDrift(db.prisma);
    process.stdout.write(
      `\nImport throughput on ${pglite ? 'PGlite' : 'PostgreSQL'} (${TEAMS} teams × ${MEASURES} measures × up to ${MONTHS} months; batches of ${args.batchSize.toLocaleString('en-GB')}; ` +
        `an integration client's key; ${observations.toLocaleString('en-GB')} observations, ${rollups.toLocaleString('en-GB')} rollup rows at the end)\n\n${report(results)}\n\n` +
        'CSV times include starting the script (ts-node) and reading the file; the script\'s own CPU time is not in the server column.\n' +
        `Rollup rows that differ from a rebuild from the observations: ${mismatches}.\n` +
        `Load average (1 min) before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)} on ${availableParallelism()} cores: the bench itself and PostgreSQL account for up to about 2.\n`,
    );
    if (mismatches > 0) throw new Error(`${mismatches} rollup rows differ from the observations`);
    // Three first loads of distinct rows, three re-sends: exactly three loads' rows stored, none lost or doubled.
    if (observations !== 3 * args.rows) throw new Error(`${observations} observations stored, expected ${3 * args.rows}`);
    for (const r of results) {
      // The CSV script's summary is per-count text; when the API withheld the outcomes it has none to print.
      if (r.label.startsWith('CSV') && Number.isNaN(r.created)) continue;
      // An integration client is not told which rows were new (outcomesWithheld): it can check only that all were accepted.
      if (r.withheld) {
        if (r.accepted !== r.rows) throw new Error(`${r.label}: ${r.accepted} of ${r.rows} rows accepted`);
        continue;
      }
      const expected = r.label.endsWith('first load') ? { created: r.rows, unchanged: 0 } : { created: 0, unchanged: r.rows };
      if (r.created !== expected.created || r.unchanged !== expected.unchanged) throw new Error(`${r.label}: unexpected counts ${JSON.stringify(r)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
