import { availableParallelism } from 'node:os';
import type { Role } from './generated/prisma/enums';
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
  /** PGlite's shared_buffers (a PostgreSQL size such as 16MB): its WASM heap holds them for good */
  pgliteSharedBuffers: string;
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
  /** how long a new PostgreSQL connection may take before the request fails (fail fast when it is away) */
  dbConnectTimeoutMs: number;
  /** operation limits (src/server/limits); 0 switches one off */
  limits: OperationLimits;
  /** a request still running after this many ms is answered 503 REQUEST_TIMEOUT */
  requestTimeoutMs: number;
  /** how long an idle keep-alive connection stays open (Node's default is 5 s) */
  keepAliveTimeoutMs: number;
  /** requests per credential (or per client IP without one) per minute; 0 switches rate limiting off */
  rateLimitPerMinute: number;
  /** GraphQL cost points per credential per minute (each operation charged its cost); 0: off */
  rateLimitPointsPerMinute: number;
  /** when set, the rate-limit budget lives in this Redis, shared by every instance */
  redisUrl: string | null;
  /** key prefix in Redis (instances that share a budget share the prefix) */
  rateLimitRedisPrefix: string;
  /** bytes (of JSON) each whole-response cache (the board's, the faculty map's) may hold per database */
  responseCacheMaxBytes: number;
  /** points of computed series (Measure.series, seriesByOrgUnit, the board's) kept per database under the board data version; 0: none */
  seriesCachePoints: number;
  /** whole responses of ordinary reads (only versioned fields) kept per database under the board data version; 0: none */
  readCacheEntries: number;
  /** execute operations compiled by graphql-jit (the default) or with graphql-js's interpreter (GRAPHQL_JIT=false) */
  graphqlJit: boolean;
  /** serve GET /metrics; by default yes, except in production without METRICS_TOKEN */
  metricsEnabled: boolean;
  /** when set, GET /metrics needs `Authorization: Bearer <token>` */
  metricsToken: string | null;
  /** Express "trust proxy" (hops or subnet names), so the client IP behind a load balancer is the real one */
  trustProxy: string | number | boolean;
  /** on SIGTERM, in-flight requests get this long to finish before their connections are closed */
  shutdownGraceMs: number;
  /** after integrationClientRotateKey, how long the client's earlier keys stay valid (0: refused at once) */
  keyRotationOverlapMs: number;
  /** browser origins (scheme://host[:port]) allowed to call the API across origins; empty: no CORS headers at all */
  corsOrigins: string[];
  /** serve GraphiQL (from our own node_modules) to browsers at GET /graphql; by default on, except in production */
  explorerEnabled: boolean;
  /** worker threads that build large disclosure tables (src/board/disclosure-table-workers.ts); 0: on the request's thread */
  disclosureTableThreads: number;
  /** a disclosure table whose inputs hold at least this many monthly figures is built on a worker */
  disclosureWorkerMinFigures: number;
  /** people who sign in with OpenID Connect bearer tokens; null: API keys only */
  oidc: OidcSettings | null;
}

/** OIDC_* (README "People who sign in"): how tokens are verified and how their claims map to role, trusts and scope. */
export interface OidcSettings {
  issuer: string;
  audience: string;
  /** the key set; null: read from the issuer's discovery document at first use */
  jwksUri: string | null;
  /** OIDC_REQUIRE_AT_JWT: only tokens whose header says `typ: at+jwt` (RFC 9068) */
  requireAccessTokenType: boolean;
  /** accepted signing algorithms: asymmetric only */
  algorithms: readonly string[];
  /** leeway for `exp` and `nbf`, in seconds */
  clockToleranceSeconds: number;
  /** claim value → role (e.g. `RCG.Board` → BOARD) */
  roleMap: Readonly<Record<string, Role>>;
  rolesClaim: string;
  trustsClaim: string;
  /** claim value → trust ODS code (e.g. an Entra group's object id); null: the values are ODS codes */
  trustMap: Readonly<Record<string, string>> | null;
  scopeClaim: string;
}

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  maxTokens: number;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** lru-cache needs a budget of at least one byte: there is no "off" for a response cache. */
function positiveIntFrom(value: string | undefined, fallback: number, name: string): number {
  const n = intFrom(value, fallback, name);
  if (n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function numberFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

/** A PostgreSQL memory size (e.g. 16MB), checked here rather than by a database that would refuse to start. */
function sizeFrom(value: string | undefined, fallback: string, name: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^[1-9][0-9]*(kB|MB|GB)$/.test(value)) throw new Error(`${name} must be a size such as 16MB (kB, MB or GB)`);
  return value;
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
    pgliteSharedBuffers: sizeFrom(env.PGLITE_SHARED_BUFFERS, '16MB', 'PGLITE_SHARED_BUFFERS'),
    adminApiKey: env.ADMIN_API_KEY || null,
    production: env.NODE_ENV === 'production',
    migrateOnStart: boolFrom(env.MIGRATE_ON_START, databaseUrl === null),
    seedDemo: boolFrom(env.SEED_DEMO, databaseUrl === null),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    dbPoolSize: intFrom(env.DB_POOL_SIZE, 10, 'DB_POOL_SIZE'),
    statementTimeoutMs: intFrom(env.DB_STATEMENT_TIMEOUT_MS, 15000, 'DB_STATEMENT_TIMEOUT_MS'),
    maxBodyBytes: intFrom(env.MAX_BODY_BYTES, 5 * 1024 * 1024, 'MAX_BODY_BYTES'),
    dbConnectTimeoutMs: intFrom(env.DB_CONNECT_TIMEOUT_MS, 2000, 'DB_CONNECT_TIMEOUT_MS'),
    limits: {
      // The defaults admit every documented query with room to spare (the faculty map with
      // two nested pages of 100 under each principle costs about 41,000); see README "Operations".
      maxDepth: intFrom(env.MAX_QUERY_DEPTH, 15, 'MAX_QUERY_DEPTH'),
      maxCost: intFrom(env.MAX_QUERY_COST, 50000, 'MAX_QUERY_COST'),
      maxAliases: intFrom(env.MAX_ALIASES, 30, 'MAX_ALIASES'),
      maxRootFields: intFrom(env.MAX_ROOT_FIELDS, 20, 'MAX_ROOT_FIELDS'),
      maxDirectives: intFrom(env.MAX_DIRECTIVES, 20, 'MAX_DIRECTIVES'),
      maxTokens: intFrom(env.MAX_TOKENS, 10000, 'MAX_TOKENS'),
    },
    requestTimeoutMs: intFrom(env.REQUEST_TIMEOUT_MS, 30000, 'REQUEST_TIMEOUT_MS'),
    keepAliveTimeoutMs: positiveIntFrom(env.KEEP_ALIVE_TIMEOUT_MS, 65_000, 'KEEP_ALIVE_TIMEOUT_MS'),
    // Off under NODE_ENV=test unless a test asks for it, so suites never trip over it.
    rateLimitPerMinute: intFrom(env.RATE_LIMIT_PER_MINUTE, env.NODE_ENV === 'test' ? 0 : 1200, 'RATE_LIMIT_PER_MINUTE'),
    rateLimitPointsPerMinute: pointsBudgetFrom(env),
    redisUrl: env.REDIS_URL?.trim() || null,
    rateLimitRedisPrefix: env.RATE_LIMIT_REDIS_PREFIX || 'rcg:ratelimit:',
    responseCacheMaxBytes: positiveIntFrom(env.RESPONSE_CACHE_MAX_BYTES, 64 * 1024 * 1024, 'RESPONSE_CACHE_MAX_BYTES'),
    // About 0.3 KB a point: the default holds some 4,000 three-year series in about 30 MB.
    seriesCachePoints: intFrom(env.SERIES_CACHE_POINTS, 100_000, 'SERIES_CACHE_POINTS'),
    readCacheEntries: intFrom(env.READ_CACHE_ENTRIES, 200, 'READ_CACHE_ENTRIES'),
    graphqlJit: boolFrom(env.GRAPHQL_JIT, true),
    // Production keeps /metrics closed unless it is guarded by a token (or opened on purpose,
    // e.g. behind a load balancer that guards it): it names operations, volumes and feeds.
    metricsEnabled: boolFrom(env.METRICS_ENABLED, env.NODE_ENV !== 'production' || Boolean(env.METRICS_TOKEN)),
    metricsToken: env.METRICS_TOKEN || null,
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    shutdownGraceMs: intFrom(env.SHUTDOWN_GRACE_MS, 10000, 'SHUTDOWN_GRACE_MS'),
    // A nightly feed switches to its new key unattended: the old one keeps working until then.
    keyRotationOverlapMs: Math.round(numberFrom(env.KEY_ROTATION_OVERLAP_HOURS, 24, 'KEY_ROTATION_OVERLAP_HOURS') * 3_600_000),
    corsOrigins: originsFrom(env.CORS_ORIGINS),
    // Production serves no explorer unless asked: graphql-cop and scanners read one as a finding.
    explorerEnabled: boolFrom(env.EXPLORER_ENABLED, env.NODE_ENV !== 'production'),
    oidc: oidcFrom(env),
    // One core is left for requests; two threads at most, as builds are rare (after a write).
    disclosureTableThreads: intFrom(env.DISCLOSURE_TABLE_THREADS, Math.max(1, Math.min(2, availableParallelism() - 1)), 'DISCLOSURE_TABLE_THREADS'),
    disclosureWorkerMinFigures: intFrom(env.DISCLOSURE_WORKER_MIN_FIGURES, 20000, 'DISCLOSURE_WORKER_MIN_FIGURES'),
  };
}

/** The only algorithms a token may be signed with: asymmetric ones (no `none`, no HMAC, whose "key" would be public). */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** OIDC_ROLE_MAP's default: Entra ID app role values (any provider can send them in `roles`). */
export const DEFAULT_ROLE_MAP: Readonly<Record<string, Role>> = {
  'RCG.Admin': 'ADMIN',
  'RCG.FacultyLead': 'FACULTY_LEAD',
  'RCG.Board': 'BOARD',
  'RCG.TeamManager': 'TEAM_MANAGER',
};

/**
 * RATE_LIMIT_POINTS_PER_MINUTE: by default 100,000 (two operations at the default MAX_QUERY_COST,
 * or a thousand of a hundred objects); off under NODE_ENV=test, and off when RATE_LIMIT_PER_MINUTE=0
 * switches rate limiting off (so an installation that did so before this budget existed keeps it
 * off), unless set. Smaller than MAX_QUERY_COST would admit operations no credential could ever
 * afford: refused at start.
 */
function pointsBudgetFrom(env: NodeJS.ProcessEnv): number {
  const rateLimitingOff = env.NODE_ENV === 'test' || env.RATE_LIMIT_PER_MINUTE?.trim() === '0';
  const points = intFrom(env.RATE_LIMIT_POINTS_PER_MINUTE, rateLimitingOff ? 0 : 100_000, 'RATE_LIMIT_POINTS_PER_MINUTE');
  const maxCost = intFrom(env.MAX_QUERY_COST, 50000, 'MAX_QUERY_COST');
  if (points > 0 && maxCost > 0 && points < maxCost) {
    throw new Error(`RATE_LIMIT_POINTS_PER_MINUTE (${points}) is below MAX_QUERY_COST (${maxCost}): operations allowed by the one could never be afforded under the other`);
  }
  return points;
}

const OIDC_ROLES: readonly Role[] = ['ADMIN', 'FACULTY_LEAD', 'BOARD', 'TEAM_MANAGER'];

/**
 * The identity provider's addresses (its issuer when discovery reads from it, its key set):
 * https://, or http:// on this machine only. Returns why not, or null when the address is fine.
 */
export function identityProviderUrlProblem(text: string, name: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${name} must be a URL, got "${text}"`;
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return `${name} must be https:// (http:// only on this machine), got "${text}"`;
  return null;
}

/**
 * OIDC_ISSUER and OIDC_AUDIENCE switch sign-in on (both, or neither); OIDC_JWKS_URI is optional
 * (unset: discovery at first use, so the API starts while the IdP is down); the rest have
 * defaults. Anything that would verify less than it seems to (a symmetric or `none` algorithm,
 * an http:// address off this machine, a role map naming INTEGRATION) stops the start.
 */
function oidcFrom(env: NodeJS.ProcessEnv): OidcSettings | null {
  const issuer = env.OIDC_ISSUER?.trim() || null;
  const audience = env.OIDC_AUDIENCE?.trim() || null;
  const jwksUri = env.OIDC_JWKS_URI?.trim() || null;
  if (!issuer && !audience && !jwksUri) return null;
  if (!issuer || !audience) throw new Error('OIDC_ISSUER and OIDC_AUDIENCE are set together (sign-in needs both; OIDC_JWKS_URI is optional)');
  // Without a key set the issuer is fetched (discovery), so it must be an address we may fetch.
  const problem = jwksUri ? identityProviderUrlProblem(jwksUri, 'OIDC_JWKS_URI') : identityProviderUrlProblem(issuer, 'OIDC_ISSUER (read for discovery, as OIDC_JWKS_URI is unset)');
  if (problem) throw new Error(problem);
  const requireAccessTokenType = boolFrom(env.OIDC_REQUIRE_AT_JWT, false);

  const algorithms = listFrom(env.OIDC_ALGORITHMS) ?? ['RS256', 'PS256', 'ES256'];
  const bad = algorithms.find((alg) => !ASYMMETRIC_ALGORITHMS.includes(alg));
  if (bad !== undefined) throw new Error(`OIDC_ALGORITHMS takes asymmetric algorithms only (${ASYMMETRIC_ALGORITHMS.join(', ')}), got "${bad}"`);
  const clockToleranceSeconds = intFrom(env.OIDC_CLOCK_TOLERANCE_SECONDS, 30, 'OIDC_CLOCK_TOLERANCE_SECONDS');
  if (clockToleranceSeconds > 300) throw new Error('OIDC_CLOCK_TOLERANCE_SECONDS is at most 300 (five minutes)');

  let roleMap: Record<string, Role> = { ...DEFAULT_ROLE_MAP };
  const roleMapText = mapFrom(env.OIDC_ROLE_MAP, 'OIDC_ROLE_MAP');
  if (roleMapText) {
    roleMap = {};
    for (const [value, role] of Object.entries(roleMapText)) {
      if (!OIDC_ROLES.includes(role as Role)) throw new Error(`OIDC_ROLE_MAP maps claim values to ${OIDC_ROLES.join(', ')}; got "${role}" for "${value}"`);
      roleMap[value] = role as Role;
    }
  }
  const trustMap = mapFrom(env.OIDC_TRUST_MAP, 'OIDC_TRUST_MAP');
  if (trustMap) for (const code of Object.values(trustMap)) if (!/^[RT][A-Z0-9]{2}$/.test(code)) throw new Error(`OIDC_TRUST_MAP maps claim values to trust ODS codes (e.g. RZZ), got "${code}"`);
  return {
    issuer,
    audience,
    jwksUri,
    requireAccessTokenType,
    algorithms,
    clockToleranceSeconds,
    roleMap,
    rolesClaim: env.OIDC_ROLES_CLAIM?.trim() || 'roles',
    trustsClaim: env.OIDC_TRUSTS_CLAIM?.trim() || 'rcg_trusts',
    trustMap,
    scopeClaim: env.OIDC_SCOPE_CLAIM?.trim() || 'rcg_scope',
  };
}

function listFrom(value: string | undefined): string[] | null {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length > 0 ? items : null;
}

/** "a=b,c=d" → { a: "b", c: "d" }; unset or empty: null. */
function mapFrom(value: string | undefined, name: string): Record<string, string> | null {
  const items = listFrom(value);
  if (!items) return null;
  const map: Record<string, string> = {};
  for (const item of items) {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw new Error(`${name} takes comma-separated value=target pairs, got "${item}"`);
    map[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return map;
}

/**
 * "https://dash.trust.nhs.uk, http://localhost:5173" → exact origins, as a browser sends them
 * in `Origin`. A path, a trailing slash, a wildcard or `null` is refused at start, not
 * silently never matched.
 */
function originsFrom(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((raw) => raw.trim()).filter((origin) => origin !== '').map((origin) => {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      // refused below
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new Error(`CORS_ORIGINS takes exact origins such as https://dashboard.example.nhs.uk (scheme, host, optional port; no path, no trailing slash, no wildcard), got "${origin}"`);
    }
    return origin;
  });
}

/** "2" → 2 hops; "true"/"false"; anything else is passed to Express as addresses or names ("loopback, 10.0.0.0/8"). */
function trustProxyFrom(value: string | undefined): string | number | boolean {
  if (value === undefined || value.trim() === '') return false;
  if (/^[0-9]+$/.test(value.trim())) return Number(value.trim());
  if (['true', 'false'].includes(value.trim().toLowerCase())) return value.trim().toLowerCase() === 'true';
  return value.trim();
}
