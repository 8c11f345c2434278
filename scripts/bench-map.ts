/**
 * Faculty-map benchmark: loads the demo dataset (or the benchmark grid) into a scratch
 * PostgreSQL database, starts the API in-process, and reports for the principle map and the
 * coverage matrix the SQL statements each request sends, the median time of a request sent
 * alone (service time, no queueing) and, with autocannon at concurrency 10, req/s and p50/p95/p99. With --spawn the latency runs against the API as its own
 * production process instead (as scripts/bench-board.ts does), so autocannon does not share
 * the server's event loop.
 *
 *   npm run bench:map -- [--sizes demo,bench] [--seconds 10] [--spawn]
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { generateApiKey } from '../src/access/api-key';
import { loadConfig } from '../src/config';
import { buildDataset, DATASET_SIZES, DEMO_TRUST_CODE } from '../src/demo/dataset';
import { loadDataset } from '../src/demo/load-dataset';
import { createLogger } from '../src/logger';
import { startServer } from '../src/app';
import { createBenchDatabase, postQuery, formatMs, loadTest, spawnServer, type LoadResult } from './lib/bench';

// The map a faculty lead reads: each principle, its workstreams with their leads, the first page
// of their teams (the default 20, with the count: a workstream of a large trust has thousands),
// milestones and measures, and the measures that evidence it with their targets.
const PRINCIPLE_MAP = `query PrincipleMap {
  principles {
    key name
    workstreams(first: 100) { nodes {
      code name status
      leads(first: 20) { nodes { role person { name orgUnit { code } } } }
      teams { totalCount nodes { code name parent { code } } }
      milestones(first: 20) { nodes { title status dueDate } }
      livedExperienceInvolvement(first: 20) { nodes { kind peopleCount } }
      measures(first: 100) { nodes { code target principles { key } } }
    } }
    measures(first: 100) { totalCount nodes { code name scoringType target owner { name } workstreams(first: 10) { nodes { code } } targets { nodes { value orgUnit { code } } } } }
  }
}`;

// The board's coverage matrix: principles × directorates (or × every team and ward), with what covers each cell and the gaps.
const COVERAGE = `query Coverage($orgUnitCode: String!, $depth: Int) {
  coverage(orgUnitCode: $orgUnitCode, depth: $depth) {
    latestPeriod recentFrom
    columns { code name }
    rows { principle { key } cells {
      orgUnit { code } covered evidenced
      workstreams { totalCount nodes { code name status leads(first: 20) { nodes { role person { name } } } } }
      measures { totalCount nodes { code name target } }
      measuresWithRecentData { nodes { code } }
    } }
    gaps { totalCount nodes { kind message principle { key } workstream { code } orgUnit { code } measure { code } lastDataPeriod } }
  }
}`;

interface Args {
  sizes: Array<keyof typeof DATASET_SIZES>;
  seconds: number;
  spawn: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: ['demo'], seconds: 10, spawn: false };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--sizes') args.sizes = argv[++i].split(',') as Args['sizes'];
    else if (argv[i] === '--seconds') args.seconds = Number(argv[++i]);
    else if (argv[i] === '--spawn') args.spawn = true;
    else throw new Error(`unknown argument ${argv[i]} (use --sizes demo,bench --seconds 10 --spawn)`);
  }
  for (const size of args.sizes) if (!(size in DATASET_SIZES)) throw new Error(`unknown size ${size}`);
  return args;
}

/**
 * The median time of `n` requests sent one after another: the service time, without queueing.
 * With `beforeEach` (a bump of the board data version, which the map's cache keys on), each request misses the response cache:
 * the time to compute the answer.
 */
async function serialMedian(url: string, key: string, query: string, variables: Record<string, unknown>, n = 25, beforeEach?: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await beforeEach?.();
    const started = process.hrtime.bigint();
    await postQuery(url, key, query, variables);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

interface Query {
  label: string;
  query: string;
  variables: Record<string, unknown>;
}

interface SizeResult {
  size: string;
  workstreams: number;
  measures: number;
  orgUnits: number;
  results: Array<{ label: string; statements: number; bytes: number; serial: number; cold: number; load: LoadResult }>;
}

async function benchSize(size: keyof typeof DATASET_SIZES, args: Args): Promise<SizeResult> {
  const scratch = await createBenchDatabase(`bench_map_${size}`);
  try {
    const started = Date.now();
    const counts = await loadDataset(scratch.db.prisma, buildDataset(DATASET_SIZES[size]), {
      onProgress: (done, total) => process.stderr.write(`\r  loading ${size}: ${done.toLocaleString()} / ${total.toLocaleString()}`),
    });
    process.stderr.write(`\n  loaded ${counts.observations.toLocaleString()} observations in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    await scratch.db.raw.exec('ANALYZE');
    const prisma = scratch.db.prisma;
    const key = generateApiKey();
    await prisma.apiKey.create({ data: { name: 'bench map', prefix: key.prefix, secretHash: key.secretHash, role: 'BOARD' } });
    const queries: Query[] = [
      { label: 'principle map', query: PRINCIPLE_MAP, variables: {} },
      { label: 'coverage (directorates)', query: COVERAGE, variables: { orgUnitCode: DEMO_TRUST_CODE } },
      { label: 'coverage (frontline, depth 3)', query: COVERAGE, variables: { orgUnitCode: DEMO_TRUST_CODE, depth: 3 } },
    ];

    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' });
    const inProcess = await startServer(config, scratch.db, createLogger('silent'));
    const statements: number[] = [];
    const bytes: number[] = [];
    let spawned: Awaited<ReturnType<typeof spawnServer>> | null = null;
    try {
      for (const q of queries) {
        statements.push(await postQuery(inProcess.url, key.key, q.query, q.variables));
        const response = await fetch(inProcess.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` }, body: JSON.stringify({ query: q.query, variables: q.variables }) });
        bytes.push((await response.arrayBuffer()).byteLength);
      }
      if (args.spawn) spawned = await spawnServer(scratch.url);
      const url = spawned?.url ?? inProcess.url;
      const results = [];
      for (const [i, q] of queries.entries()) {
        await loadTest(url, key.key, { query: q.query, variables: q.variables }, 2); // warm-up
        const serial = await serialMedian(url, key.key, q.query, q.variables);
        const bump = () => prisma.$executeRawUnsafe('UPDATE board_data_version SET version = version + 1 WHERE id = 1');
        const cold = await serialMedian(url, key.key, q.query, q.variables, 11, bump);
        results.push({ label: q.label, statements: statements[i], bytes: bytes[i], serial, cold, load: await loadTest(url, key.key, { query: q.query, variables: q.variables }, args.seconds) });
      }
      return {
        size,
        workstreams: await prisma.workstream.count(),
        measures: await prisma.measure.count(),
        orgUnits: await prisma.orgUnit.count(),
        results,
      };
    } finally {
      await spawned?.stop();
      await inProcess.stop();
    }
  } finally {
    await scratch.drop();
  }
}

function row(label: string, statements: number, bytes: number, serial: number, cold: number, r: LoadResult): string {
  return `  ${label.padEnd(30)} ${r.requestsPerSecond.toFixed(0).padStart(5)} req/s  p50 ${formatMs(r.p50).padStart(9)}  p95 ${formatMs(r.p95).padStart(9)}  p99 ${formatMs(r.p99).padStart(9)}  one at a time ${formatMs(serial).padStart(8)} (uncached ${formatMs(cold)})  SQL/request ${statements}  ${(bytes / 1024).toFixed(0)} KB  errors ${r.errors + r.non2xx}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sizes: SizeResult[] = [];
  for (const size of args.sizes) sizes.push(await benchSize(size, args));
  console.log(`\nfaculty-map benchmark (PostgreSQL, server ${args.spawn ? 'as its own production process' : 'in-process'}, autocannon concurrency 10, ${args.seconds} s each; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log('  (req/s and p95 under load are answered by the versioned read cache; "uncached": one at a time, the board data version bumped before each; SQL/request and KB of an uncached answer)');
  for (const s of sizes) {
    console.log(`${s.size}: ${s.orgUnits} org units, ${s.workstreams} workstreams, ${s.measures} measures`);
    for (const r of s.results) console.log(row(r.label, r.statements, r.bytes, r.serial, r.cold, r.load));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
