/**
 * The demo seed as a process of its own (seed-process.ts starts it): it opens the database as
 * the server would, loads the demo trust if the database is empty, closes it and exits. The
 * dataset's objects and the embedded database's grown WASM heap go back to the OS with it.
 */
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { createLogger } from '../logger';
import { loadDemoIfEmpty } from './seed';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteSharedBuffers: config.pgliteSharedBuffers,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    poolSize: 1,
    migrate: config.migrateOnStart,
  });
  try {
    const counts = await loadDemoIfEmpty(db.prisma);
    logger.info({ counts }, counts ? 'demo trust seeded' : 'database not empty: demo not seeded');
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`seeding the demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
