import 'reflect-metadata';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { startServer } from './app';

/** Starts the API: opens (and migrates) the database, seeds the demo trust if empty, serves HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    migrate: config.migrateOnStart,
  });
  logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined }, 'database open');

  let demoKeys: Array<{ role: string; key: string; scope?: string }> = [];
  if (config.seedDemo) {
    if (config.production) throw new Error('SEED_DEMO is refused with NODE_ENV=production: demonstration keys are public');
    // Loaded only when seeding: production start-up never loads the demonstration data.
    const { seedDemo } = await import('./demo/seed');
    const seeded = await seedDemo(db.prisma);
    demoKeys = seeded.keys;
  }

  const server = await startServer(config, db, logger);
  const lines = [`relational-care-graph serving ${server.url} (database: ${db.kind})`];
  if (demoKeys.length > 0) {
    lines.push('Demonstration keys (fictional data only; send as "Authorization: Bearer <key>"):');
    for (const k of demoKeys) lines.push(`  ${k.role.padEnd(13)} ${k.key}${k.scope ? `  (scope: ${k.scope})` : ''}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests, then stopping');
    await server.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
