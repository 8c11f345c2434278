/**
 * "You said, we did" benchmark on the demo trust (a year of feedback):
 *
 *   npm run bench:feedback [-- --runs 10] [--pglite]
 *
 * Seeds the demo trust into a scratch PostgreSQL database (BENCH_DATABASE_ADMIN_URL; dropped
 * afterwards), or in-memory PGlite with --pglite, and times in this process, each in a fresh
 * request context: the trust's feedbackOverview (board view), the trust's and the small ward's
 * youSaidWeDid with the HTML page rendered, and an action closed with evidence at a crisis team
 * (the write with its CORE-ITEM-22 months rederived). Median and max of the runs; the load
 * average is printed before and after, since the machine may be shared.
 */
import 'reflect-metadata';
import os from 'node:os';
import { authenticate } from '../src/access/authenticate';
import type { Actor } from '../src/access/actor';
import { buildNodeRegistry } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { DEMO_SMALL_WARD, DEMO_TRUST_CODE } from '../src/demo/dataset';
import { seedDemo } from '../src/demo/seed';
import { feedbackOverview } from '../src/feedback/feedback-overview';
import { updateAction } from '../src/feedback/feedback.service';
import { encodeGlobalId } from '../src/graphql/global-id';
import { renderYouSaidWeDidHtml } from '../src/feedback/you-said-we-did.documents';
import { youSaidWeDid } from '../src/feedback/you-said-we-did.service';
import { RequestContext } from '../src/graphql/context';
import { createLogger } from '../src/logger';
import { createBenchDatabase } from './lib/bench';

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 10;
const PGLITE = process.argv.includes('--pglite');
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' / ');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function time(label: string, run: (i: number) => Promise<unknown>, runs = RUNS): Promise<void> {
  await run(-1); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  process.stdout.write(`${label.padEnd(62)} median ${median(times).toFixed(1).padStart(7)} ms, max ${Math.max(...times).toFixed(1).padStart(7)} ms (${runs} runs)\n`);
}

async function main(): Promise<void> {
  process.stdout.write(`bench:feedback on ${os.cpus().length} CPUs, Node ${process.version}\nload average at the start (1 / 5 / 15 min): ${load()}\n`);
  const scratch = PGLITE ? null : await createBenchDatabase('feedback');
  const db = scratch ? scratch.db : await openDatabase({ databaseUrl: null, dataDir: 'memory://', migrate: true });
  try {
    const seeded = await seedDemo(db.prisma);
    const actorOf = async (role: string): Promise<Actor> => {
      const authentication = await authenticate(db.prisma, `Bearer ${seeded.keys.find((k) => k.role === role)!.key}`, null);
      if (!authentication.ok) throw new Error(`the demo ${role} key was refused`);
      return authentication.actor;
    };
    const [board, lead] = [await actorOf('BOARD'), await actorOf('FACULTY_LEAD')];
    const config = loadConfig({ NODE_ENV: 'production' });
    const logger = createLogger('silent');
    const nodeTypes = buildNodeRegistry();
    let n = 0;
    const context = (actor: Actor) => new RequestContext(db, `bench-${(n += 1)}`, actor, logger, { statements: 0 }, nodeTypes, config);
    const items = await db.prisma.feedback.count();
    const actions = await db.prisma.feedbackAction.count();
    process.stdout.write(`database: ${db.kind}; demo trust ${DEMO_TRUST_CODE}: ${items} feedback items, ${actions} actions\n\n`);
    const from = new Date('2025-11-01T00:00:00Z');
    const to = new Date('2026-10-31T00:00:00Z');
    await time(`feedbackOverview(${DEMO_TRUST_CODE}), a year, BOARD`, () => feedbackOverview(context(board), DEMO_TRUST_CODE, from, to, 3));
    await time(`youSaidWeDid(${DEMO_TRUST_CODE}) + HTML page, a year, BOARD`, async () => renderYouSaidWeDidHtml(await youSaidWeDid(context(board), DEMO_TRUST_CODE, from, to), new Date()));
    await time(`youSaidWeDid(${DEMO_SMALL_WARD.code}) + HTML page, a year, BOARD`, async () => renderYouSaidWeDidHtml(await youSaidWeDid(context(board), DEMO_SMALL_WARD.code, from, to), new Date()));
    // A write that rederives CORE-ITEM-22 at an assessed crisis team: an open action there, moved back and forth.
    const open = await db.prisma.feedbackAction.findFirst({ where: { status: { in: ['PLANNED', 'IN_PROGRESS'] }, feedback: { orgUnit: { coreItem22: { some: {} } } } } });
    if (open) {
      let version = open.version;
      let status = open.status;
      await time('feedbackActionUpdate at an assessed team (CORE-ITEM-22 rederived)', async () => {
        status = status === 'PLANNED' ? 'IN_PROGRESS' : 'PLANNED';
        const result = await updateAction(context(lead), { id: encodeGlobalId('FeedbackAction', open.id), version, status });
        if (result.userErrors.length) throw new Error(JSON.stringify(result.userErrors));
        version += 1;
      });
    }
    process.stdout.write(`\nload average at the end (1 / 5 / 15 min): ${load()}\n`);
  } finally {
    if (scratch) await scratch.drop();
    else await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
