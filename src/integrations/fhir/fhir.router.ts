import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { can, seesEveryTrueFigure, type Actor, type Permission } from '../../access/actor';
import { bearerChallenge } from '../../access/authenticate';
import { RequestContext } from '../../graphql/context';
import { authenticateRequest, rateLimitRequest, type Refuse } from '../../server/access';
import { classifyDatabaseError } from '../../db/unavailable';
import type { ServerServices } from '../../server/feature';
import { HttpErrorCode, recordRefusal } from '../../server/http-errors';
import { noteObservationRows } from '../../server/request-state';
import { nulMessage, nulPath } from '../../server/limits';
import { responseBundle, searchsetBundle, statusLine, type EntryResponse, type SearchPage } from './bundle';
import { capabilityStatement, MEASURE_REPORT_SEARCH_PARAMS, MEASURE_SEARCH_PARAMS } from './capability-statement';
import { codeForFhirId, DEFAULT_CANONICAL_BASE, fhirUrls, ODS_ORGANIZATION_SYSTEM } from './fhir-common';
import { pageParams, parseDateCriterion, parseReportId, type DateCriterion, type ReportId } from './fhir-search';
import { findMeasure, importFhirReports, readMeasureReport, searchMeasureReports, searchMeasures } from './fhir.service';
import { parseMeasureCanonical } from './measure';
import type { ReporterKey, ReportIssue } from './measure-report';
import { importOutcome, issuesOutcome, operationOutcome } from './operation-outcome';
import type { FhirResource } from 'fhir/r4';

/**
 * FHIR R4 REST over HTTP (what `GET /metadata` lists): Measure read and search, MeasureReport
 * read, search (searchset Bundles) and create (`POST /MeasureReport`, 201 with Location), and
 * batch and transaction Bundles posted to the base (`POST /`), answered with batch-response
 * and transaction-response Bundles. Same Bearer credentials as GraphQL; every error is an
 * OperationOutcome with its HTTP status.
 */
export interface FhirRouterDeps extends ServerServices {
  /** names our Measures and extensions; defaults to DEFAULT_CANONICAL_BASE */
  canonicalBase?: string;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(res: Response, status: number, body: object): void {
  // Outside production, on reads, as GraphQL's extensions.sqlStatements: how many statements ran (tests prove them bounded).
  // Never on writes: to a sender who may not read stored figures, a write's work would say whether a sent figure matched.
  const counter = (res.locals as Partial<Locals>).showSqlStatements && res.req.method === 'GET' ? res.req.sqlCounter : undefined;
  if (counter) res.setHeader('X-Sql-Statements', String(counter.statements));
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

function fail(res: Response, status: number, code: string, message: string): void {
  send(res, status, operationOutcome('error', code, message));
}

/** Refusals before serving (rate limit, database away) as OperationOutcomes, FHIR's error resource. */
const refuseAsFhir: Refuse = (res, refusal) => {
  recordRefusal(res, refusal.code, refusal.headers);
  fail(res, refusal.status, refusal.status === 429 ? 'throttled' : 'transient', refusal.message);
};

interface Locals {
  ctx: RequestContext;
  showSqlStatements: boolean;
}

function contextOf(res: Response): RequestContext {
  return (res.locals as Locals).ctx;
}

/** Answers 403 (and returns false) unless the actor may do this. */
function allowed(res: Response, permission: Permission): boolean {
  const actor: Actor = contextOf(res).actor;
  if (can(actor, permission)) return true;
  fail(res, 403, 'forbidden', `The ${actor.role} role may not do this`);
  return false;
}

function single(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0].trim() || null;
  return null;
}

/** A token search value `[system|]code`; `Organization/<code>` is read as our org-unit code. */
function orgUnitToken(value: string): ReporterKey {
  const reference = /^Organization\/(.+)$/.exec(value);
  if (reference) return { system: null, value: reference[1] };
  const bar = value.lastIndexOf('|');
  if (bar < 0) return { system: null, value };
  const system = value.slice(0, bar);
  return { system: system === '' ? null : system === 'ods' ? ODS_ORGANIZATION_SYSTEM : system, value: value.slice(bar + 1) };
}

/** The CapabilityStatement's date: when this server started (what it serves cannot change while it runs). */
const STARTED_ON = new Date().toISOString().slice(0, 10);

/** `<scheme>://<host><mount>`, e.g. `https://api.trust.nhs.uk/fhir` (behind a proxy, as TRUST_PROXY lets Express see it). */
function serverBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

interface Params {
  single(name: string): string | null;
  all(name: string): string[];
  /** the parameters given, in the order served, for the self and paging links */
  used: Array<[string, string]>;
}

/** The query's parameters, refusing any we do not serve (a mistyped one must not widen the search silently). */
function searchParams(req: Request, served: readonly string[]): Params | { problem: string } {
  const url = new URL(req.originalUrl, 'http://x');
  const used: Array<[string, string]> = [];
  for (const [name, value] of url.searchParams) {
    // FHIR's general _format: JSON is all we write, so a JSON one is honoured and any other refused.
    if (name === '_format') {
      if (['json', 'application/json', 'application/fhir+json'].includes(value.trim())) continue;
      return { problem: `_format ${value} is not served: only JSON (json, application/fhir+json)` };
    }
    if (!served.includes(name)) return { problem: `Search parameter ${name} is not served; ${req.path === '/Measure' ? 'Measure' : 'MeasureReport'} takes ${served.join(', ')} (see GET /fhir/metadata)` };
    used.push([name, value]);
  }
  used.sort((a, b) => served.indexOf(a[0]) - served.indexOf(b[0]));
  const all = (name: string) => used.filter(([n]) => n === name).map(([, v]) => v.trim()).filter((v) => v !== '');
  return { used, all, single: (name) => all(name)[0] ?? null };
}

function pageOf<T extends FhirResource>(req: Request, params: Params, page: { count: number; offset: number }, total: number, matches: SearchPage<T>['matches'], warnings: string[]): SearchPage<T> {
  const link = (offset: number) => {
    const query = new URLSearchParams(params.used.filter(([n]) => n !== '_count' && n !== '_offset'));
    query.set('_count', String(page.count));
    if (offset > 0) query.set('_offset', String(offset));
    return `${serverBase(req)}${req.path}?${query.toString()}`;
  };
  return {
    selfUrl: link(page.offset),
    nextUrl: page.count > 0 && page.offset + page.count < total ? link(page.offset + page.count) : null,
    previousUrl: page.offset > 0 && page.count > 0 ? link(Math.max(0, page.offset - page.count)) : null,
    total,
    matches,
    outcome: warnings.length > 0 ? { resourceType: 'OperationOutcome', issue: warnings.map((w) => ({ severity: 'warning', code: 'not-found', diagnostics: w, details: { text: w } })) } : null,
  };
}

/** `Prefer: return=minimal | representation | OperationOutcome`; absent: the OperationOutcome with the import's counts. */
function preferReturn(req: Request): 'minimal' | 'representation' | 'OperationOutcome' {
  const match = /(?:^|[;,\s])return=(minimal|representation|OperationOutcome)\b/.exec(req.get('prefer') ?? '');
  return (match?.[1] as 'minimal' | 'representation' | 'OperationOutcome' | undefined) ?? 'OperationOutcome';
}

function booleanParam(value: string | null, fallback: boolean): boolean | null {
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** A JSON path as FHIRPath from the resource: `MeasureReport.identifier[0].value`. */
function fhirPath(body: unknown, path: ReadonlyArray<string | number>): string {
  const root = body && typeof body === 'object' && typeof (body as { resourceType?: unknown }).resourceType === 'string' ? (body as { resourceType: string }).resourceType : 'Resource';
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : `${text}.${step}`), root);
}

export function fhirRouter(deps: FhirRouterDeps): express.Router {
  const base = deps.canonicalBase ?? DEFAULT_CANONICAL_BASE;
  const router = express.Router();
  router.use(express.json({ type: ['application/json', 'application/fhir+json'], limit: deps.config.maxBodyBytes }));

  router.get('/metadata', (req, res) => {
    send(res, 200, capabilityStatement({ baseUrl: serverBase(req), date: STARTED_ON, cors: deps.config.corsOrigins.length > 0 }));
  });

  // As on /graphql: who is asking, then their rate budget (by address when the key is missing or
  // wrong, so guessing keys is metered too), then 401 for no valid key.
  router.use(authenticateRequest(deps.db, deps.config, refuseAsFhir, deps.logger));
  router.use(rateLimitRequest(deps.rateLimiter ?? null, deps.metrics ?? null, refuseAsFhir));
  router.use((req: Request, res: Response, next: NextFunction) => {
    const authentication = req.authentication;
    if (!authentication.ok) {
      res.setHeader('WWW-Authenticate', bearerChallenge(authentication));
      if (authentication.reason === 'refused') return fail(res, 403, 'forbidden', authentication.message);
      const message = authentication.reason === 'missing' ? 'A valid API key is required: send Authorization: Bearer <key>' : authentication.message;
      fail(res, 401, authentication.reason === 'missing' ? 'login' : 'security', message);
      return;
    }
    const logger = deps.logger.child({ requestId: req.requestId });
    (res.locals as Locals).showSqlStatements = !deps.config.production;
    (res.locals as Locals).ctx = new RequestContext(deps.db, req.requestId, authentication.actor, logger, req.sqlCounter, deps.nodeTypes, deps.config);
    next();
  });

  router.get('/Measure', async (req, res) => {
    if (!allowed(res, 'read')) return;
    const params = searchParams(req, MEASURE_SEARCH_PARAMS);
    if ('problem' in params) return fail(res, 400, 'not-supported', params.problem);
    const page = pageParams(params.single('_count'), params.single('_offset'));
    if ('problem' in page) return fail(res, 400, 'value', page.problem);
    const codes: string[][] = [];
    const id = params.single('_id');
    if (id) codes.push(id.split(',').map(codeForFhirId));
    const url = params.single('url');
    if (url) {
      const canonical = parseMeasureCanonical(url, base);
      codes.push('code' in canonical ? [canonical.code] : []);
    }
    const identifier = params.single('identifier');
    if (identifier) {
      const token = orgUnitToken(identifier);
      codes.push(token.system === null || token.system === fhirUrls(base).measureCodeSystem ? [token.value] : []);
    }
    const status = params.single('status');
    if (status !== null && status !== 'active' && status !== 'retired') return fail(res, 400, 'value', `status is active or retired (got ${status})`);
    // Each parameter narrows the search: a code must meet every one given.
    const wanted = codes.length === 0 ? null : codes.reduce((a, b) => a.filter((code) => b.includes(code)));
    const found = await searchMeasures(contextOf(res), { codes: wanted, status, ...page }, base);
    send(res, 200, searchsetBundle(pageOf(req, params, page, found.total, found.measures.map((m) => ({ fullUrl: `${serverBase(req)}/Measure/${m.id}`, resource: m })), [])));
  });

  router.get('/Measure/:id', async (req, res) => {
    if (!allowed(res, 'read')) return;
    const id = String(req.params.id);
    const measure = await findMeasure(contextOf(res), codeForFhirId(id), base);
    if (!measure) return fail(res, 404, 'not-found', `No Measure has id or code "${id}"`);
    send(res, 200, measure);
  });

  router.get('/MeasureReport', async (req, res) => {
    if (!allowed(res, 'read')) return;
    const params = searchParams(req, MEASURE_REPORT_SEARCH_PARAMS);
    if ('problem' in params) return fail(res, 400, 'not-supported', params.problem);
    const page = pageParams(params.single('_count'), params.single('_offset'));
    if ('problem' in page) return fail(res, 400, 'value', page.problem);
    const pooled = booleanParam(params.single('pooled'), true);
    if (pooled === null) return fail(res, 400, 'value', 'pooled is true (the default: pooled over the subtree) or false (the unit’s own observation)');
    const period: DateCriterion[] = [];
    for (const value of params.all('period')) {
      const criterion = parseDateCriterion(value);
      if ('problem' in criterion) return fail(res, 400, 'value', criterion.problem);
      period.push(criterion);
    }
    let measureCodes: string[] | null = null;
    const measureParam = params.single('measure');
    if (measureParam) {
      measureCodes = [];
      for (const value of measureParam.split(',')) {
        const canonical = value.includes('/') ? parseMeasureCanonical(value, base) : null;
        if (canonical && 'problem' in canonical && canonical.problem === 'foreign-base') {
          return fail(res, 400, 'value', `${value} is not one of our Measures: their canonical URLs start with ${base}/Measure/`);
        }
        const code = canonical ? ('code' in canonical ? canonical.code : null) : codeForFhirId(value.replace(/^Measure\//, ''));
        if (!code) return fail(res, 400, 'value', `measure must be a measure code or a Measure canonical URL (got ${value})`);
        measureCodes.push(code);
      }
    }
    const unitParam = params.single('subject') ?? params.single('reporter');
    const found = await searchMeasureReports(contextOf(res), { measureCodes, unit: unitParam ? orgUnitToken(unitParam) : null, period, pooled, ...page }, base);
    const matches = found.reports.map((r) => ({ fullUrl: `${serverBase(req)}/MeasureReport/${r.id as string}`, resource: r }));
    send(res, 200, searchsetBundle(pageOf(req, params, page, found.total, matches, found.warnings)));
  });

  router.get('/MeasureReport/:id', async (req, res) => {
    if (!allowed(res, 'read')) return;
    const text = String(req.params.id);
    const id = parseReportId(text);
    const report = id ? await readMeasureReport(contextOf(res), id, base) : null;
    if (!report) return fail(res, 404, 'not-found', `No MeasureReport has id "${text}" (ids are subtree-<measure>-<org unit>-<YYYY>-<MM> or unit-…)`);
    send(res, 200, report);
  });

  /** Answers a refused import: 403 when every problem is one of scope, else 400. */
  const refuse = (res: Response, issues: readonly ReportIssue[]) => {
    const allForbidden = issues.length > 0 && issues.every((i) => i.code === 'FORBIDDEN');
    send(res, allForbidden ? 403 : 400, issuesOutcome(issues, base));
  };

  const importChecks = (req: Request, res: Response): { dryRun: boolean } | null => {
    if (!req.is(['application/json', 'application/fhir+json'])) {
      fail(res, 415, 'not-supported', 'Send JSON: Content-Type: application/fhir+json');
      return null;
    }
    if (!allowed(res, 'recordObservations')) return null;
    const dryRun = booleanParam(single(req.query.dryRun), false);
    if (dryRun === null) {
      fail(res, 400, 'value', 'dryRun is true or false');
      return null;
    }
    // As on /graphql: no text column can store a NUL, so a string holding one is refused up front.
    const nul = nulPath(req.body);
    if (nul) {
      const expression = fhirPath(req.body, nul);
      send(res, 400, operationOutcome('error', 'invalid', nulMessage(expression), { expression: [expression] }));
      return null;
    }
    return { dryRun };
  };

  // create: one MeasureReport, stored as its unit's own observation (and strata).
  router.post('/MeasureReport', async (req, res) => {
    const checks = importChecks(req, res);
    if (!checks) return;
    const resourceType = (req.body as { resourceType?: unknown } | null)?.resourceType;
    if (resourceType === 'Bundle') return fail(res, 400, 'invalid', `POST a Bundle (batch or transaction) to the base, ${req.baseUrl}, not to ${req.baseUrl}/MeasureReport`);
    const ctx = contextOf(res);
    const result = await importFhirReports(ctx, req.body as unknown, checks);
    if (result.summary) noteObservationRows(ctx.actor, result.summary);
    if (!result.accepted) return refuse(res, result.issues);
    const withheld = !seesEveryTrueFigure(ctx.actor);
    const entry = result.entries[0];
    const prefer = preferReturn(req);
    // 201 for a new report, 200 when one was stored at its key already (identical or revised);
    // to a sender who may not read stored figures every accepted report is 201: which it was would tell a stored figure.
    const status = checks.dryRun ? 200 : withheld || entry.outcome === 'created' ? 201 : 200;
    if (!checks.dryRun && entry.reportId) res.setHeader('Location', `${serverBase(req)}/MeasureReport/${entry.reportId}`);
    if (prefer === 'minimal') return void res.status(status).end();
    if (prefer === 'representation' && !checks.dryRun && entry.reportId && can(ctx.actor, 'read')) {
      const stored = await readMeasureReport(ctx, parseReportId(entry.reportId) as ReportId, base);
      if (stored) return send(res, status, stored);
    }
    send(res, status, importOutcome(result.counts, result.rejected, base, withheld));
  });

  // batch and transaction: POST a Bundle to the base.
  router.post('/', async (req, res) => {
    const checks = importChecks(req, res);
    if (!checks) return;
    const body = req.body as { resourceType?: unknown; type?: unknown } | null;
    if (body?.resourceType !== 'Bundle' || (body.type !== 'batch' && body.type !== 'transaction')) {
      return fail(res, 400, 'invalid', `POST to the base takes a Bundle of type batch or transaction (got ${body?.resourceType === 'Bundle' ? `a ${String(body.type)} Bundle` : String(body?.resourceType ?? 'no resource')}); POST a lone MeasureReport to ${req.baseUrl}/MeasureReport`);
    }
    const ctx = contextOf(res);
    const result = await importFhirReports(ctx, req.body as unknown, checks);
    if (result.summary) noteObservationRows(ctx.actor, result.summary);
    // A transaction that fails is one OperationOutcome (all or nothing); a batch answers entry by entry.
    if (!result.accepted) return refuse(res, result.issues);
    const withheld = !seesEveryTrueFigure(ctx.actor);
    const entries: EntryResponse[] = result.entries.map((e) => {
      if (e.outcome === 'rejected') {
        const forbidden = e.issues.length > 0 && e.issues.every((i) => i.code === 'FORBIDDEN');
        return { status: statusLine(forbidden ? 403 : 400), outcome: issuesOutcome(e.issues, base) };
      }
      // A dry run says what each entry would do, and names no location: nothing is there.
      return { status: statusLine(withheld || e.outcome === 'created' ? 201 : 200), ...(e.reportId && !checks.dryRun ? { location: `MeasureReport/${e.reportId}` } : {}) };
    });
    send(res, 200, responseBundle(body.type === 'batch' ? 'batch-response' : 'transaction-response', entries));
  });

  // A path we serve, asked with a method we do not: 405 with what is allowed (FHIR: the interaction is not supported).
  const allowedMethods: Array<[RegExp, string]> = [
    [/^\/$/, 'POST'],
    [/^\/metadata$/, 'GET'],
    [/^\/Measure(\/[^/]+)?$/, 'GET'],
    [/^\/MeasureReport$/, 'GET, POST'],
    [/^\/MeasureReport\/[^/]+$/, 'GET'],
  ];
  router.use((req: Request, res: Response, next: NextFunction) => {
    const allow = allowedMethods.find(([pattern]) => pattern.test(req.path))?.[1];
    if (!allow) return next();
    res.setHeader('Allow', allow);
    fail(res, 405, 'not-supported', `${req.method} ${req.baseUrl}${req.path} is not supported: allowed ${allow} (see GET /fhir/metadata)`);
  });

  router.use((req: Request, res: Response) => {
    fail(res, 404, 'not-supported', `${req.method} ${req.baseUrl}${req.path} is not served; see GET /fhir/metadata`);
  });

  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed') return fail(res, 400, 'structure', 'The body is not valid JSON');
    if (type === 'entity.too.large') return fail(res, 413, 'too-costly', `The body is larger than ${deps.config.maxBodyBytes} bytes; split the Bundle`);
    if (error instanceof GraphQLError && error.extensions.code === 'FORBIDDEN') return fail(res, 403, 'forbidden', error.message);
    if (typeof status === 'number' && status >= 400 && status < 500) return fail(res, status, 'invalid', (error as Error).message);
    // As on /graphql: a database away or a statement past its timeout is not a bug, and worth a retry.
    const failure = classifyDatabaseError(error);
    if (failure) {
      deps.logger.warn({ err: error, requestId: req.requestId }, failure === 'timeout' ? 'database statement timed out' : 'database unavailable');
      recordRefusal(res, failure === 'timeout' ? HttpErrorCode.REQUEST_TIMEOUT : HttpErrorCode.SERVICE_UNAVAILABLE, { 'retry-after': '5' });
      return fail(res, 503, failure === 'timeout' ? 'timeout' : 'transient', failure === 'timeout' ? 'The request took too long (statement timeout); try again' : 'The database is unavailable; try again shortly');
    }
    deps.logger.error({ err: error, requestId: req.requestId }, 'unexpected error in a FHIR request');
    send(res, 500, operationOutcome('fatal', 'exception', `Internal server error (request id ${req.requestId})`));
  });
  return router;
}
