/**
 * Board benchmark: loads the benchmark dataset (200 frontline units × 40 measures × 36 months,
 * and the 10× variant) into a scratch PostgreSQL database, starts the API in-process and, with
 * autocannon at concurrency 10, reports req/s and p50/p95/p99 for the trust scorecard, a
 * directorate drill-down and the trust's equality view of a stratified measure (the dataset's
 * restrictive-practice measures carry fictional strata at wards), plus the SQL statements each
 * request sends. Latency is measured
 * against the API running as its own process with NODE_ENV=production; the first request of
 * each view computes it, later ones are served from the board cache until the data changes.
 *
 *   npm run bench:board -- [--sizes bench,bench10x] [--seconds 10]
 */
import 'reflect-metadata';
import { generateApiKey } from '../src/access/api-key';
import { loadConfig } from '../src/config';
import { buildDataset, DATASET_SIZES } from '../src/demo/dataset';
import { loadDataset } from '../src/demo/load-dataset';
import { createLogger } from '../src/logger';
import { startServer } from '../src/app';
import { createBenchDatabase, postQuery, formatMs, loadTest, spawnServer, type LoadResult } from './lib/bench';

const SCORECARD = `query TrustScorecard($orgUnitCode: String!) {
  scorecard(orgUnitCode: $orgUnitCode, recentPoints: 12) {
    period
    principles { principle { key } entries { measure { code name unit } latest { periodStart value suppressed }
      target variationIcon assuranceIcon recentPoints { periodStart value pointType } commentary { text }
      disparities { stratifier code ratio { value lower upper } } } }
  }
}`;

const DRILL_DOWN = `query DirectorateDrillDown($measureCode: String!, $orgUnitCode: String!) {
  drillDown(measureCode: $measureCode, orgUnitCode: $orgUnitCode) {
    period total { latest { value } variationIcon assuranceIcon }
    rows { rank hasChildren orgUnit { code name } latest { periodStart value suppressed } variationIcon assuranceIcon target }
  }
}`;

const EQUALITY = `query TrustEquality($measureCode: String!, $orgUnitCode: String!) {
  measure(code: $measureCode) {
    equality(orgUnitCode: $orgUnitCode, stratifier: "ETHNICITY", grouped: true) {
      from to notKnownShare whole { value suppressed }
      strata { code value numerator denominator suppressed ratioToReference { value lower upper significant }
        series { variationIcon points { periodStart value pointType } } ratioSeries { periodStart ratio { value } } }
    }
  }
}`;

interface Args {
  sizes: Array<keyof typeof DATASET_SIZES>;
  seconds: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: ['bench', 'bench10x'], seconds: 10 };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--sizes') args.sizes = argv[++i].split(',') as Args['sizes'];
    else if (argv[i] === '--seconds') args.seconds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --sizes bench,bench10x --seconds 10)`);
  }
  for (const size of args.sizes) if (!(size in DATASET_SIZES)) throw new Error(`unknown size ${size}`);
  return args;
}

interface SizeResult {
  size: string;
  observations: number;
  loadSeconds: number;
  scorecard: LoadResult & { statements: number };
  drillDown: LoadResult & { statements: number };
  equality: LoadResult & { statements: number };
  /** the first, uncached request of each view */
  firstSeconds: Record<string, number>;
}

async function benchSize(size: keyof typeof DATASET_SIZES, seconds: number): Promise<SizeResult> {
  const scratch = await createBenchDatabase(`bench_board_${size}`);
  try {
    const started = Date.now();
    const counts = await loadDataset(scratch.db.prisma, buildDataset(DATASET_SIZES[size]), {
      onProgress: (done, total) => process.stderr.write(`\r  loading ${size}: ${done.toLocaleString()} / ${total.toLocaleString()}`),
    });
    const loadSeconds = (Date.now() - started) / 1000;
    process.stderr.write(`\n  loaded ${counts.observations.toLocaleString()} observations in ${loadSeconds.toFixed(1)} s\n`);
    await scratch.db.raw.exec('ANALYZE');

    const key = generateApiKey();
    await scratch.db.prisma.apiKey.create({ data: { name: 'bench board', prefix: key.prefix, secretHash: key.secretHash, role: 'BOARD' } });
    const trust = await scratch.db.prisma.orgUnit.findFirstOrThrow({ where: { type: 'TRUST' } });
    const directorate = await scratch.db.prisma.orgUnit.findFirstOrThrow({ where: { type: 'DIRECTORATE' }, orderBy: { id: 'asc' } });
    const measure = await scratch.db.prisma.measure.findFirstOrThrow({ where: { code: 'RESTRICTIVE-RATE' } });

    // SQL statements per request from an in-process server (counts are reported outside production)…
    // No request timeout here: on the 10x data the first scorecard builds its tables for longer than the default 30 s.
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', REQUEST_TIMEOUT_MS: '0' });
    const scorecardVars = { orgUnitCode: trust.code };
    const drillVars = { measureCode: measure.code, orgUnitCode: directorate.code };
    const inProcess = await startServer(config, scratch.db, createLogger('silent'));
    let scorecardStatements: number;
    let drillStatements: number;
    let equalityStatements: number;
    const equalityVars = { measureCode: measure.code, orgUnitCode: trust.code };
    try {
      scorecardStatements = await postQuery(inProcess.url, key.key, SCORECARD, scorecardVars);
      drillStatements = await postQuery(inProcess.url, key.key, DRILL_DOWN, drillVars);
      equalityStatements = await postQuery(inProcess.url, key.key, EQUALITY, equalityVars);
    } finally {
      await inProcess.stop();
    }
    // …and latency from the API as its own production process, so autocannon does not share its event loop.
    const server = await spawnServer(scratch.url);
    try {
      // The first request of each view computes it (and builds the disclosure tables of every
      // measure it shows): timed on its own, then the load runs on what a board mostly gets.
      const firstSeconds: Record<string, number> = {};
      for (const [name, query, variables] of [['scorecard', SCORECARD, scorecardVars], ['drillDown', DRILL_DOWN, drillVars], ['equality', EQUALITY, equalityVars]] as const) {
        const t = Date.now();
        // A first request that outlasts REQUEST_TIMEOUT_MS is answered 503 while its work goes on
        // (the tables it builds are cached): ask again until it is answered.
        for (let attempt = 1; ; attempt++) {
          try {
            await postQuery(server.url, key.key, query, variables);
            break;
          } catch (error) {
            if (attempt >= 30) throw error;
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
        firstSeconds[name] = (Date.now() - t) / 1000;
      }
      await loadTest(server.url, key.key, { query: SCORECARD, variables: scorecardVars }, 2); // warm-up
      const scorecard = await loadTest(server.url, key.key, { query: SCORECARD, variables: scorecardVars }, seconds);
      await loadTest(server.url, key.key, { query: DRILL_DOWN, variables: drillVars }, 2);
      const drillDown = await loadTest(server.url, key.key, { query: DRILL_DOWN, variables: drillVars }, seconds);
      await loadTest(server.url, key.key, { query: EQUALITY, variables: equalityVars }, 2);
      const equality = await loadTest(server.url, key.key, { query: EQUALITY, variables: equalityVars }, seconds);
      return {
        size,
        observations: counts.observations,
        loadSeconds,
        scorecard: { ...scorecard, statements: scorecardStatements },
        drillDown: { ...drillDown, statements: drillStatements },
        equality: { ...equality, statements: equalityStatements },
        firstSeconds,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await scratch.drop();
  }
}

function row(label: string, r: LoadResult & { statements: number }): string {
  return `  ${label.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${formatMs(r.p50).padStart(9)}  p95 ${formatMs(r.p95).padStart(9)}  p99 ${formatMs(r.p99).padStart(9)}  SQL/request ${r.statements}  errors ${r.errors + r.non2xx}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const results: SizeResult[] = [];
  console.log(`board benchmark (PostgreSQL, autocannon concurrency 10, ${args.seconds} s each)`);
  for (const size of args.sizes) {
    const r = await benchSize(size, args.seconds);
    results.push(r);
    console.log(`${r.size}: ${r.observations.toLocaleString()} observations (loaded in ${r.loadSeconds.toFixed(1)} s)`);
    console.log(row('trust scorecard', r.scorecard));
    console.log(row('directorate drill-down', r.drillDown));
    console.log(row('trust equality view', r.equality));
    console.log(`  first (uncached) request: scorecard ${r.firstSeconds.scorecard.toFixed(1)} s, drill-down ${r.firstSeconds.drillDown.toFixed(1)} s, equality ${r.firstSeconds.equality.toFixed(1)} s`);
  }
  if (results.length === 2) {
    const ratio = results[1].scorecard.p95 / results[0].scorecard.p95;
    console.log(`scorecard p95 ${results[1].size} ÷ ${results[0].size}: ${ratio.toFixed(2)} (target ≤ 1.5); ${results[0].size} p95 ${formatMs(results[0].scorecard.p95)} (target ≤ 100 ms)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
