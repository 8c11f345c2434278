import 'reflect-metadata';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { startServer } from './app';

/** After the HTTP drain, how long sessions still busy get before they are terminated. */
const ABANDON_AFTER_MS = 1000;
/** How long past SHUTDOWN_GRACE_MS a shutdown may take before the process exits regardless (status 1). */
const SHUTDOWN_BOUND_MS = 4000;

/** The demo's seeding, refused in production (its keys are public). */
async function loadDemoSeeding(production: boolean) {
  if (production) throw new Error('SEED_DEMO is refused with NODE_ENV=production: demonstration keys are public');
  const [child, seed] = await Promise.all([import('./demo/seed-process'), import('./demo/seed')]);
  return { ...child, ...seed };
}

/** Starts the API: opens (and migrates) the database, seeds the demo trust if empty, serves HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const open = () =>
    openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      pgliteSharedBuffers: config.pgliteSharedBuffers,
      poolSize: config.dbPoolSize,
      statementTimeoutMs: config.statementTimeoutMs,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      migrate: config.migrateOnStart,
    });
  let demoKeys: Array<{ role: string; key: string; scope?: string }> = [];
  // Loaded only when seeding: production start-up never loads the demonstration data.
  const demo = config.seedDemo ? await loadDemoSeeding(config.production) : null;
  // A new embedded data directory is made and seeded by the child before this process opens it:
  // opened here first, PGlite's heap would keep what creating the database grew it to.
  // (An in-memory one, memory://, lives only in this process: it is seeded here.)
  const inMemory = config.databaseUrl === null && config.dataDir.startsWith('memory://');
  if (demo && config.databaseUrl === null && !inMemory && !existsSync(path.join(config.dataDir, 'PG_VERSION'))) await demo.seedDemoInChildProcess();
  let db = await open();
  logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined }, 'database open');
  if (demo) {
    if (inMemory) await demo.loadDemoIfEmpty(db.prisma);
    else if (await demo.isEmpty(db.prisma)) {
      // Seeded by a process that exits, so the server does not keep the memory seeding grows;
      // the embedded database takes one process at a time, so this one lets go of it meanwhile.
      await db.close();
      await demo.seedDemoInChildProcess();
      db = await open();
    }
    demoKeys = await demo.demoKeysIfSeeded(db.prisma);
  }

  const server = await startServer(config, db, logger);
  const serving = `relational-care-graph serving ${server.url} (database: ${db.kind})`;
  if (config.production) {
    // Production stdout is JSON lines only, for the log collector (never demo keys: seeding is refused
    // there). Written whatever LOG_LEVEL, as the text line was: supervisors and scripts wait for it.
    logger.child({}, { level: 'info' }).info({ url: server.url, database: db.kind, explorer: config.explorerEnabled }, serving);
  } else {
    const lines = [serving];
    if (config.explorerEnabled) lines.push(`GraphiQL: open ${server.url} in a browser`);
    if (demoKeys.length > 0) {
      lines.push('Demonstration keys (fictional data only; send as "Authorization: Bearer <key>"):');
      for (const k of demoKeys) lines.push(`  ${k.role.padEnd(13)} ${k.key}${k.scope ? `  (scope: ${k.scope})` : ''}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish for SHUTDOWN_GRACE_MS, then
  // abandon the rest (their connections closed, their database sessions terminated, so their
  // transactions roll back and release their locks) and exit. A second signal exits at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the shutdown to finish');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'draining in-flight requests, then stopping');
    // Whatever happens below (a database that does not answer, work that never lets go), the process ends.
    setTimeout(() => {
      logger.error({ signal }, 'shutdown did not finish in time; exiting anyway');
      process.exit(1);
    }, config.shutdownGraceMs + SHUTDOWN_BOUND_MS).unref();
    void (async () => {
      try {
        await server.stop();
        const { terminated } = await db.close({ abandonAfterMs: ABANDON_AFTER_MS });
        if (terminated > 0) logger.warn({ sessions: terminated }, 'terminated the database sessions of requests abandoned at shutdown; their transactions rolled back');
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// Whatever escapes still ends the process, logged as one JSON line like the rest (not Node's plain-text trace).
const fatalLogger = () => createLogger('info');
process.on('uncaughtException', (error) => {
  fatalLogger().fatal({ err: error }, 'uncaught exception; exiting');
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  fatalLogger().fatal({ err: reason }, 'unhandled promise rejection; exiting');
  process.exit(1);
});

main().catch((error: unknown) => {
  if (process.env.NODE_ENV === 'production') {
    fatalLogger().fatal({ err: error }, 'failed to start');
  } else {
    process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
