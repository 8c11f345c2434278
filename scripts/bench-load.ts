/**
 * Load test: 60 s of mixed reads and writes against the API on a fresh PostgreSQL database
 * holding the demo trust, with autocannon. Reports throughput, latency percentiles and the
 * error rate (non-2xx responses, GraphQL errors, and write payloads with user errors or
 * rejected rows; the target is zero).
 *
 *   npm run bench:load -- [--duration 60] [--connections 10] [--in-process]
 *
 * The mix, per connection, cycles through: the principles map, the trust scorecard, measure
 * series (board and ward-manager keys), a directorate drill-down, the org-unit tree, and
 * importObservations of 5-row batches from the integration key: each batch is either an
 * idempotent resend (values as before: `unchanged`) or a correction (`updated`). Each
 * connection writes its own slice of (measure, unit) pairs, as separate feeds would.
 *
 * By default the API runs as its own process (NODE_ENV=production), so autocannon and the
 * server do not share one event loop; `--in-process` starts it inside this process instead.
 * Rate limiting stays on with a budget the run cannot reach, so its cost is measured.
 * The database is created before and dropped after the run (BENCH_DATABASE_ADMIN_URL picks
 * the server, as for the tests).
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config';
import { buildDataset, DEMO_INPATIENT_DIRECTORATE_CODE, DEMO_OPTIONS, DEMO_SMALL_WARD, DEMO_TRUST_CODE, RESTRICTIVE_PRACTICE_MEASURE_CODES, type Dataset } from '../src/demo/dataset';
import { createDemoKeys } from '../src/demo/demo-keys';
import { loadDataset } from '../src/demo/load-dataset';
import { createRandom, type Random } from '../src/demo/random';
import { createLogger } from '../src/logger';
import { startServer, type AppServer } from '../src/app';
import { createBenchDatabase, spawnServer, type ServerProcess } from './lib/bench';

const BATCH_ROWS = 5;

interface Args {
  duration: number;
  connections: number;
  inProcess: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { duration: 60, connections: 10, inProcess: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--duration') args.duration = Number(argv[++i]);
    else if (argv[i] === '--connections') args.connections = Number(argv[++i]);
    else if (argv[i] === '--in-process') args.inProcess = true;
    else throw new Error(`unknown argument ${argv[i]} (use --duration <s> --connections <n> --in-process)`);
  }
  if (!(args.duration > 0) || !(args.connections > 0)) throw new Error('--duration and --connections must be positive');
  return args;
}

const PRINCIPLES = `query PrincipleMap { principles { key name
  workstreams(first: 20) { nodes { code name status leads(first: 20) { nodes { role person { name } } } teams(first: 20) { nodes { code name } } } }
  measures(first: 50) { nodes { code name scoringType target } } } }`;
const SCORECARD = `query Scorecard($orgUnitCode: String!) { scorecard(orgUnitCode: $orgUnitCode, recentPoints: 12) { period
  principles { principle { key } entries { measure { code name } latest { periodStart value suppressed } target variationIcon assuranceIcon
  recentPoints { periodStart value pointType } } } } }`;
const SERIES = `query Series($measureCode: String!, $orgUnitCode: String!) { measure(code: $measureCode) { code
  series(orgUnitCode: $orgUnitCode) { variationIcon assuranceIcon target points { periodStart value numerator denominator mean upperProcessLimit lowerProcessLimit pointType suppressed } } } }`;
const DRILL_DOWN = `query DrillDown($measureCode: String!, $orgUnitCode: String!) { drillDown(measureCode: $measureCode, orgUnitCode: $orgUnitCode) {
  period total { latest { value } } rows { rank orgUnit { code name } latest { value suppressed } variationIcon assuranceIcon } } }`;
const TREE = `query Tree($code: String!) { orgUnit(code: $code) { code name children(first: 50) { totalCount nodes { code name type children(first: 50) { nodes { code type } } } } } }`;
const IMPORT = `mutation Import($input: ImportObservationsInput!) { importObservations(input: $input) { created updated unchanged rejected userErrors { field code message } } }`;

interface Workload {
  trust: string;
  directorates: string[];
  frontline: string[];
  measures: string[];
  /** (measure, unit) pairs the integration key may write, with what each measure needs */
  writable: Array<{ measureCode: string; orgUnitCode: string; needsDenominator: boolean }>;
  periods: string[];
}

function workloadOf(dataset: Dataset): Workload {
  const byCode = new Map(dataset.orgUnits.map((u) => [u.code, u]));
  const within = (code: string, ancestor: string): boolean => {
    for (let unit = byCode.get(code); unit; unit = unit.parentCode ? byCode.get(unit.parentCode) : undefined) if (unit.code === ancestor) return true;
    return false;
  };
  const frontline = dataset.orgUnits.filter((u) => u.kind !== undefined).map((u) => u.code);
  const wards = dataset.orgUnits.filter((u) => u.kind !== undefined && within(u.code, DEMO_INPATIENT_DIRECTORATE_CODE) && !u.opensOn).map((u) => u.code);
  const restrictive = dataset.measures.filter((m) => (RESTRICTIVE_PRACTICE_MEASURE_CODES as readonly string[]).includes(m.code));
  return {
    trust: DEMO_TRUST_CODE,
    directorates: dataset.orgUnits.filter((u) => u.type === 'DIRECTORATE').map((u) => u.code),
    frontline,
    measures: dataset.measures.map((m) => m.code),
    writable: restrictive.flatMap((m) => wards.map((orgUnitCode) => ({ measureCode: m.code, orgUnitCode, needsDenominator: m.scoringType !== 'COUNT' }))),
    periods: dataset.periods.slice(-6),
  };
}

interface Tally {
  requests: Record<string, number>;
  graphqlErrors: number;
  writeErrors: number;
  written: { created: number; updated: number; unchanged: number };
  samples: string[];
}

function buildRequests(work: Workload, keys: Record<string, string>, connections: number, tally: Tally): autocannon.Request[] {
  const headers = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
  const check = (name: string) => (status: number, body: string) => {
    tally.requests[name] = (tally.requests[name] ?? 0) + 1;
    if (status !== 200) {
      if (tally.samples.length < 5) tally.samples.push(`${name} ${status} ${body.slice(0, 300)}`);
      return;
    }
    const parsed = JSON.parse(body) as { errors?: unknown[]; data?: { importObservations?: { created: number; updated: number; unchanged: number; rejected: number; userErrors: unknown[] } } };
    if (parsed.errors) {
      tally.graphqlErrors += 1;
      if (tally.samples.length < 5) tally.samples.push(`${name} ${body.slice(0, 300)}`);
    }
    const payload = parsed.data?.importObservations;
    if (payload) {
      if (payload.userErrors.length > 0 || payload.rejected > 0) {
        tally.writeErrors += 1;
        if (tally.samples.length < 5) tally.samples.push(`${name} ${body.slice(0, 300)}`);
      }
      tally.written.created += payload.created;
      tally.written.updated += payload.updated;
      tally.written.unchanged += payload.unchanged;
    }
  };

  // Each connection keeps its own random stream, slice of writable pairs and last-sent values.
  interface Connection {
    /** its own seeded stream, so two runs send the same mix */
    random: Random;
    pairs: Workload['writable'];
    sent: Map<string, number>;
  }
  let nextConnection = 0;
  const connectionOf = (context: Record<string, unknown>): Connection => {
    if (!context.connection) {
      const index = nextConnection++ % connections;
      context.connection = {
        random: createRandom(1000 + index),
        pairs: work.writable.filter((_, i) => i % connections === index),
        sent: new Map<string, number>(),
      } satisfies Connection;
    }
    return context.connection as Connection;
  };

  const read = (name: string, key: string, query: string, variables: (c: Connection) => Record<string, unknown>): autocannon.Request => ({
    method: 'POST',
    path: '/graphql',
    headers: headers(key),
    setupRequest: (request, context) => ({ ...request, body: JSON.stringify({ query, variables: variables(connectionOf(context as Record<string, unknown>)) }) }),
    onResponse: check(name),
  });

  const write: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: headers(keys.INTEGRATION),
    setupRequest: (request, context) => {
      const c = connectionOf(context as Record<string, unknown>);
      const pairs = c.pairs.length > 0 ? c.pairs : work.writable;
      const correction = c.random.next() < 0.5; // half resend what was sent before (unchanged), half correct it (updated)
      const rows = [];
      const used = new Set<string>();
      for (let i = 0; i < BATCH_ROWS * 4 && rows.length < BATCH_ROWS; i++) {
        const pair = c.random.pick(pairs);
        const periodStart = c.random.pick(work.periods);
        const id = `${pair.measureCode}|${pair.orgUnitCode}|${periodStart}`;
        if (used.has(id)) continue;
        used.add(id);
        const previous = c.sent.get(id) ?? 2 + Math.floor(c.random.next() * 5);
        const numerator = correction ? (previous % 9) + 1 : previous;
        c.sent.set(id, numerator);
        rows.push({
          measureCode: pair.measureCode,
          orgUnitCode: pair.orgUnitCode,
          periodStart,
          numerator,
          ...(pair.needsDenominator ? { denominator: 900 } : {}),
          externalId: `bench:${id}`,
        });
      }
      return { ...request, body: JSON.stringify({ query: IMPORT, variables: { input: { rows } } }) };
    },
    onResponse: check('importObservations'),
  };

  return [
    read('principles', keys.BOARD, PRINCIPLES, () => ({})),
    read('scorecard', keys.BOARD, SCORECARD, (c) => ({ orgUnitCode: c.random.next() < 0.5 ? work.trust : c.random.pick(work.directorates) })),
    read('series', keys.BOARD, SERIES, (c) => ({ measureCode: c.random.pick(work.measures), orgUnitCode: c.random.pick([work.trust, ...work.directorates, ...work.frontline]) })),
    write,
    read('drillDown', keys.BOARD, DRILL_DOWN, (c) => ({ measureCode: c.random.pick(work.measures), orgUnitCode: c.random.next() < 0.5 ? work.trust : c.random.pick(work.directorates) })),
    read('series (ward manager)', keys.TEAM_MANAGER, SERIES, (c) => ({ measureCode: c.random.pick(work.measures), orgUnitCode: DEMO_SMALL_WARD.code })),
    read('orgUnit tree', keys.FACULTY_LEAD, TREE, (c) => ({ code: c.random.next() < 0.3 ? work.trust : c.random.pick(work.directorates) })),
    write,
    read('series', keys.BOARD, SERIES, (c) => ({ measureCode: c.random.pick(work.measures), orgUnitCode: c.random.pick(work.frontline) })),
    read('scorecard', keys.BOARD, SCORECARD, (c) => ({ orgUnitCode: c.random.pick(work.directorates) })),
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = await createBenchDatabase('bench_load');
  const db = scratch.db;
  let server: AppServer | null = null;
  let spawned: ServerProcess | null = null;
  try {
    const dataset = buildDataset(DEMO_OPTIONS);
    const started = Date.now();
    const counts = await loadDataset(db.prisma, dataset);
    const keys = Object.fromEntries((await createDemoKeys(db.prisma)).map((k) => [k.role, k.key]));
    process.stdout.write(`loaded the demo trust in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}\n`);

    let target: string;
    if (args.inProcess) {
      const config = loadConfig({ ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '1000000000', RATE_LIMIT_POINTS_PER_MINUTE: '1000000000' });
      server = await startServer(config, db, createLogger('warn'));
      target = server.url;
    } else {
      await scratch.close();
      spawned = await spawnServer(scratch.url);
      target = spawned.url;
    }

    const tally: Tally = { requests: {}, graphqlErrors: 0, writeErrors: 0, written: { created: 0, updated: 0, unchanged: 0 }, samples: [] };
    const work = workloadOf(dataset);
    const origin = new URL(target).origin;
    process.stdout.write(`running ${args.duration} s at ${args.connections} connections against ${target} (${args.inProcess ? 'in-process' : 'own process'}, NODE_ENV=production)\n`);
    const result = await autocannon({
      url: origin,
      connections: args.connections,
      duration: args.duration,
      requests: buildRequests(work, keys, args.connections, tally),
      timeout: 30,
    });

    const total = result.requests.total;
    const failures = result.non2xx + result.errors + result.timeouts + tally.graphqlErrors + tally.writeErrors;
    const summary = {
      durationSeconds: args.duration,
      connections: args.connections,
      requests: total,
      throughputPerSecond: Math.round(result.requests.average * 10) / 10,
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      errors: { non2xx: result.non2xx, socketErrors: result.errors, timeouts: result.timeouts, graphqlErrors: tally.graphqlErrors, writePayloadErrors: tally.writeErrors },
      errorRate: total > 0 ? failures / total : 0,
      mix: tally.requests,
      written: tally.written,
    };
    process.stdout.write(
      [
        '',
        `bench-load: ${total} requests in ${args.duration} s = ${summary.throughputPerSecond} req/s (${args.connections} connections)`,
        `latency: p50 ${summary.latencyMs.p50} ms, p90 ${summary.latencyMs.p90} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`,
        `errors: ${failures} (non-2xx ${result.non2xx}, socket ${result.errors}, timeouts ${result.timeouts}, GraphQL ${tally.graphqlErrors}, write payloads ${tally.writeErrors}) → error rate ${(summary.errorRate * 100).toFixed(3)}%`,
        `writes: ${tally.written.created} created, ${tally.written.updated} updated, ${tally.written.unchanged} unchanged`,
        `mix: ${Object.entries(tally.requests).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        ...(tally.samples.length > 0 ? ['first failures:', ...tally.samples.map((s) => `  ${s}`)] : []),
        JSON.stringify(summary),
        '',
      ].join('\n'),
    );
    if (failures > 0) process.exitCode = 1;
  } finally {
    await spawned?.stop();
    await server?.stop();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
