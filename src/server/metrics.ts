import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database';
import type { ObservationRowCounts } from './request-state';

/**
 * Prometheus metrics for one server instance (its own registry, so tests can run several
 * servers in one process). Operation names come from clients, so they are sanitised and
 * capped: past MAX_OPERATION_LABELS distinct names, new ones are counted as "other", and
 * the label set (hence memory) stays bounded whatever clients send.
 */
const MAX_OPERATION_LABELS = 200;

/** The label itself while fewer than MAX_OPERATION_LABELS are known, else "other": memory stays bounded. */
function capped(known: Set<string>, label: string): string {
  if (known.has(label)) return label;
  if (known.size >= MAX_OPERATION_LABELS) return 'other';
  known.add(label);
  return label;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  private readonly graphqlRequests: Counter<'operation' | 'type' | 'outcome'>;
  private readonly graphqlDuration: Histogram<'operation' | 'type' | 'outcome'>;
  private readonly sqlStatements: Histogram<'operation'>;
  private readonly senders = new Set<string>();
  private readonly observationRows: Counter<'sender' | 'outcome'>;
  readonly rateLimited: Counter;
  readonly rateLimitStoreErrors: Counter;
  readonly graphqlExecutions: Counter<'executor'>;

  constructor(db: Database) {
    collectDefaultMetrics({ register: this.registry, prefix: 'rcg_' });
    this.httpRequests = new Counter({
      name: 'rcg_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
    });
    this.graphqlRequests = new Counter({
      name: 'rcg_graphql_requests_total',
      help: 'GraphQL requests by operation name, operation type and outcome (ok, or the first error code)',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.graphqlDuration = new Histogram({
      name: 'rcg_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name, operation type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.sqlStatements = new Histogram({
      name: 'rcg_graphql_sql_statements',
      help: 'SQL statements sent per GraphQL request, by operation name',
      labelNames: ['operation'],
      buckets: [0, 1, 2, 5, 10, 20, 50, 100, 500],
      registers: [this.registry],
    });
    this.observationRows = new Counter({
      name: 'rcg_observation_rows_total',
      help: 'Observation rows received by committed imports, by sender (integration client source system, or role) and outcome',
      labelNames: ['sender', 'outcome'],
      registers: [this.registry],
    });
    this.rateLimited = new Counter({ name: 'rcg_rate_limited_total', help: 'Requests refused with RATE_LIMITED', registers: [this.registry] });
    this.graphqlExecutions = new Counter({
      name: 'rcg_graphql_executions_total',
      help: 'Operations executed, by executor: compiled (graphql-jit) or interpreted (graphql-js)',
      labelNames: ['executor'],
      registers: [this.registry],
    });
    this.rateLimitStoreErrors = new Counter({
      name: 'rcg_rate_limit_store_errors_total',
      help: 'Rate-limit store (Redis) failures; requests were let through unmetered',
      registers: [this.registry],
    });
    const pool = new Gauge({
      name: 'rcg_db_pool_connections',
      help: 'Database connection pool: total, idle and waiting (clients queued for a connection)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const stats = db.poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
    void pool;
  }

  /** the label for a client-chosen operation name */
  operationLabel(name: string | null): string {
    if (!name) return 'anonymous';
    return capped(this.operations, name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64));
  }

  observeHttp(route: string, method: string, status: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
  }

  observeGraphql(operation: string | null, type: string | null, outcome: string, seconds: number, sqlStatements: number): void {
    const labels = { operation: this.operationLabel(operation), type: type ?? 'unknown', outcome };
    this.graphqlRequests.inc(labels);
    this.graphqlDuration.observe(labels, seconds);
    this.sqlStatements.observe({ operation: labels.operation }, sqlStatements);
  }

  observeObservationRows(counts: ObservationRowCounts): void {
    // Senders are registered clients or roles, but capped all the same, like operation names.
    const sender = capped(this.senders, counts.sender.replace(/[^A-Za-z0-9_.:/-]/g, '_').slice(0, 64));
    for (const outcome of ['created', 'updated', 'unchanged', 'rejected'] as const) {
      if (counts[outcome] > 0) this.observationRows.inc({ sender, outcome }, counts[outcome]);
    }
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
