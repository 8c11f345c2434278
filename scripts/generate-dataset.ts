/**
 * Loads the demonstration or benchmark dataset into a database, migrating it first.
 *
 *   ts-node --transpile-only scripts/generate-dataset.ts [--size demo|bench|bench10x] [--database-url URL] [--data-dir DIR]
 *
 * The database is --database-url, else DATABASE_URL, else embedded PGlite in --data-dir
 * (default memory://, i.e. a dry run that measures speed and throws the data away).
 * Progress (rows/s) goes to stderr; the summary (and, at demo size, the demo keys) to stdout.
 * It refuses a database that already holds the demo trust: it inserts, never merges.
 */
import { openDatabase } from '../src/db/database';
import { buildDataset, DATASET_SIZES, DEMO_TRUST_CODE, type DatasetOptions } from '../src/demo/dataset';
import { createDemoKeys } from '../src/demo/demo-keys';
import { loadDataset } from '../src/demo/load-dataset';

const SIZES: Record<string, DatasetOptions> = DATASET_SIZES;

interface Args {
  size: string;
  databaseUrl: string | null;
  dataDir: string;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: generate-dataset.ts [--size demo|bench|bench10x] [--database-url URL] [--data-dir DIR]\n');
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { size: 'demo', databaseUrl: process.env.DATABASE_URL || null, dataDir: 'memory://' };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--size') args.size = value();
    else if (flag === '--database-url') args.databaseUrl = value();
    else if (flag === '--data-dir') args.dataDir = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument: ${argv[i]}`);
  }
  if (!(args.size in SIZES)) usage(`unknown size: ${args.size}`);
  return args;
}

function describeTarget(args: Args): string {
  if (!args.databaseUrl) return `PGlite (${args.dataDir})`;
  const url = new URL(args.databaseUrl);
  url.password = url.password ? '***' : '';
  return url.toString();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options = SIZES[args.size];
  const started = Date.now();
  const db = await openDatabase({ databaseUrl: args.databaseUrl, dataDir: args.dataDir, migrate: true });
  try {
    if (await db.prisma.orgUnit.findUnique({ where: { code: DEMO_TRUST_CODE }, select: { id: true } })) {
      throw new Error(`${describeTarget(args)} already holds the demo trust (${DEMO_TRUST_CODE}); use an empty database`);
    }
    const dataset = buildDataset(options);
    process.stderr.write(
      `Loading the ${args.size} dataset into ${describeTarget(args)}: ${dataset.orgUnits.length} org units, ` +
        `${dataset.measures.length} measures, ${dataset.periods.length} months…\n`,
    );
    const loadStarted = Date.now();
    let lastReport = 0;
    const counts = await loadDataset(db.prisma, dataset, {
      onProgress: (done, total) => {
        const now = Date.now();
        if (done < total && now - lastReport < 1000) return;
        lastReport = now;
        const seconds = (now - loadStarted) / 1000;
        const rate = Math.round(done / Math.max(seconds, 0.001));
        process.stderr.write(`  observations ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} (${rate.toLocaleString('en-GB')} rows/s)\n`);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    process.stdout.write(
      `Loaded ${counts.orgUnits} org units, ${counts.measures} measures, ${counts.observations.toLocaleString('en-GB')} observations ` +
        `in ${seconds.toFixed(1)} s (load ${loadSeconds.toFixed(1)} s, ${Math.round(counts.observations / loadSeconds).toLocaleString('en-GB')} rows/s).\n`,
    );
    // The demo keys name units of the demo size only (the small ward's code differs at bench sizes).
    if (args.size === 'demo') {
      const keys = await createDemoKeys(db.prisma);
      process.stdout.write('Demo API keys (deterministic, not secret):\n');
      for (const k of keys) process.stdout.write(`  ${k.role.padEnd(13)} ${k.key}${k.scope ? `  [${k.scope}]` : ''}\n`);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
