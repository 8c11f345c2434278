/**
 * Writes a board pack to a file, from the database itself (no server needed):
 *
 *   npm run board-pack -- --org <code> [--period YYYY-MM] --out <file.html|file.pdf|file.csv|file.xlsx>
 *                         [--key <API key>] [--database-url URL] [--data-dir DIR] [--demo]
 *
 * Whose pack: with --key (or RCG_API_KEY) the pack is exactly what that key would get from
 * GET /board-pack/<code>: a BOARD key's pack is under disclosure control, as published to the
 * board. Without a key it is made with an ADMIN context and shows TRUE figures (small numbers
 * unsuppressed): it says so on its cover, and this command warns on stderr.
 *
 * The database: --database-url, else DATABASE_URL, else the embedded PGlite in --data-dir
 * (default DATA_DIR, else ./data), as the server reads it; --demo seeds the fictional demo
 * trust into an in-memory database first (to try the command, and for the benchmark).
 * Exit status: 0 written; 1 not found or the key refused; 2 usage.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Actor } from '../src/access/actor';
import { authenticate } from '../src/access/authenticate';
import { buildNodeRegistry } from '../src/app';
import { packDocument, PACK_FORMATS, type PackFormat } from '../src/board-pack/board-pack.documents';
import { findOrgUnit } from '../src/board-pack/board-pack.service';
import { parseMonth } from '../src/board-pack/figures';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { RequestContext } from '../src/graphql/context';
import { createLogger } from '../src/logger';

interface Args {
  org: string;
  period: string | null;
  out: string;
  format: PackFormat;
  key: string | null;
  databaseUrl: string | null;
  dataDir: string;
  demo: boolean;
}

const USAGE =
  'usage: npm run board-pack -- --org <code> [--period YYYY-MM] --out <file.html|file.pdf|file.csv|file.xlsx>\n' +
  '                              [--key <API key>] [--database-url URL] [--data-dir DIR] [--demo]\n';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const config = loadConfig();
  let org: string | null = null;
  let period: string | null = null;
  let out: string | null = null;
  let key = process.env.RCG_API_KEY?.trim() || null;
  let databaseUrl = config.databaseUrl;
  let dataDir = config.dataDir;
  let demo = false;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--org') org = value();
    else if (flag === '--period') {
      const text = value();
      period = parseMonth(text);
      if (!period) usage(`--period must name a month as YYYY-MM (got ${text})`);
    } else if (flag === '--out') out = value();
    else if (flag === '--key') key = value();
    else if (flag === '--database-url') databaseUrl = value();
    else if (flag === '--data-dir') dataDir = value();
    else if (flag === '--demo') demo = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else usage(`unknown argument: ${argv[i]}`);
  }
  if (!org) usage('--org is required');
  if (!out) usage('--out is required');
  const format = extname(out).slice(1).toLowerCase() as PackFormat;
  if (!(PACK_FORMATS as readonly string[]).includes(format)) usage(`--out must end in ${PACK_FORMATS.map((f) => `.${f}`).join(', ')} (got ${out})`);
  return { org, period, out, format, key, databaseUrl: demo ? null : databaseUrl, dataDir: demo ? 'memory://' : dataDir, demo };
}

/** The operator's context: ADMIN over every trust, as ADMIN_API_KEY is. */
const ADMIN_ACTOR: Actor = { keyId: null, subject: 'board-pack command', label: 'board-pack command (ADMIN)', role: 'ADMIN', scopeOrgUnitId: null, scopePath: null, integrationClientId: null, sourceSystem: null, trustIds: null };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const db = await openDatabase({ databaseUrl: args.databaseUrl, dataDir: args.dataDir, migrate: args.demo || (args.databaseUrl === null && config.migrateOnStart) });
  try {
    let key = args.key;
    if (args.demo) {
      const { seedDemo } = await import('../src/demo/seed');
      const seeded = await seedDemo(db.prisma);
      // --key BOARD (a role name) picks that demo key, so the demo needs no copying of keys.
      const demoKey = seeded.keys.find((k) => k.role === key);
      if (demoKey) key = demoKey.key;
    }
    let actor = ADMIN_ACTOR;
    if (key) {
      const authentication = await authenticate(db.prisma, `Bearer ${key}`, config.adminApiKey);
      if (!authentication.ok) {
        process.stderr.write('That API key is not valid (wrong, revoked or malformed)\n');
        process.exitCode = 1;
        return;
      }
      actor = authentication.actor;
    } else {
      process.stderr.write('No --key (or RCG_API_KEY): the pack is made as ADMIN and shows TRUE figures, without small-number suppression. Do not publish it.\n');
    }
    const ctx = new RequestContext(db, 'board-pack-command', actor, logger, { statements: 0 }, buildNodeRegistry(), config);
    const unit = await findOrgUnit(ctx, args.org);
    if (!unit) {
      process.stderr.write(`No org unit has code "${args.org}"\n`);
      process.exitCode = 1;
      return;
    }
    const started = process.hrtime.bigint();
    const document = await packDocument(ctx, unit, args.period, args.format, new Date());
    writeFileSync(args.out, document.body);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const bytes = typeof document.body === 'string' ? Buffer.byteLength(document.body) : document.body.length;
    process.stdout.write(`${args.out}: ${unit.name} (${unit.code}), ${document.period.slice(0, 7) || 'no data'}, ${args.format}, ${bytes.toLocaleString('en-GB')} bytes in ${Math.round(ms)} ms, as ${actor.role}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`board-pack failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
