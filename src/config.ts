/**
 * Every setting the process reads, in one place, parsed once. README "Configuration"
 * documents each variable; keep the two in step.
 */
export interface Config {
  port: number;
  host: string;
  /** unset: embedded PGlite in dataDir; a postgresql:// URL: that server */
  databaseUrl: string | null;
  dataDir: string;
  adminApiKey: string | null;
  production: boolean;
  /** run migrations at start when DATABASE_URL points at a server (always done for PGlite) */
  migrateOnStart: boolean;
  /** seed the demonstration trust when the database has no org units */
  seedDemo: boolean;
  logLevel: string;
  dbPoolSize: number;
  statementTimeoutMs: number;
  /** largest accepted request body (an import of 10,000 rows is about 2 MB) */
  maxBodyBytes: number;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function boolFrom(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database)');
  }
  return {
    port: intFrom(env.PORT, 4000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: env.DATA_DIR || './data',
    adminApiKey: env.ADMIN_API_KEY || null,
    production: env.NODE_ENV === 'production',
    migrateOnStart: boolFrom(env.MIGRATE_ON_START, databaseUrl === null),
    seedDemo: boolFrom(env.SEED_DEMO, databaseUrl === null),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    dbPoolSize: intFrom(env.DB_POOL_SIZE, 10, 'DB_POOL_SIZE'),
    statementTimeoutMs: intFrom(env.DB_STATEMENT_TIMEOUT_MS, 15000, 'DB_STATEMENT_TIMEOUT_MS'),
    maxBodyBytes: intFrom(env.MAX_BODY_BYTES, 5 * 1024 * 1024, 'MAX_BODY_BYTES'),
  };
}
