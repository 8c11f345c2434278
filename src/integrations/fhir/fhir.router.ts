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
import { isPeriodStart } from '../../statistics/periods';
import { codeForFhirId, DEFAULT_CANONICAL_BASE, ODS_ORGANIZATION_SYSTEM } from './fhir-common';
import { findMeasure, findMeasureReport, importFhirReports } from './fhir.service';
import { parseMeasureCanonical } from './measure';
import type { ReporterKey } from './measure-report';
import { importOutcome, issuesOutcome, operationOutcome } from './operation-outcome';

/**
 * FHIR R4 over HTTP: `GET /Measure/<code>`, `GET /MeasureReport?measure=&subject=&period=`,
 * and imports by `POST /MeasureReport` (one report, or a Bundle) and `POST /` (a Bundle).
 * Same Bearer keys as GraphQL; every error is an OperationOutcome with its HTTP status.
 */
export interface FhirRouterDeps extends ServerServices {
  /** names our Measures and extensions; defaults to DEFAULT_CANONICAL_BASE */
  canonicalBase?: string;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(res: Response, status: number, body: object): void {
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

/** `2025-01`, `2025-01-01` or `eq2025-01`: the period starting that month. */
function periodParam(value: string): string | null {
  const text = value.replace(/^eq/, '');
  const period = /^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text;
  return isPeriodStart(period) ? period : null;
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

  router.get('/metadata', (_req, res) => {
    send(res, 200, capabilityStatement());
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
    (res.locals as Locals).ctx = new RequestContext(deps.db, req.requestId, authentication.actor, logger, req.sqlCounter, deps.nodeTypes, deps.config);
    next();
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
    const measureParam = single(req.query.measure);
    const unitParam = single(req.query.subject) ?? single(req.query.reporter);
    const periodText = single(req.query.period);
    const pooled = booleanParam(single(req.query.pooled), true);
    const missing = [!measureParam && 'measure', !unitParam && 'subject (or reporter)', !periodText && 'period'].filter(Boolean);
    if (missing.length > 0) return fail(res, 400, 'required', `Missing search parameter: ${missing.join(', ')}`);
    const periodStart = periodParam(periodText as string);
    if (!periodStart) return fail(res, 400, 'value', `period must name a month, YYYY-MM (got ${periodText})`);
    if (pooled === null) return fail(res, 400, 'value', 'pooled is true (the default: pooled over the subtree) or false (the unit’s own observation)');
    const canonical = (measureParam as string).includes('/') ? parseMeasureCanonical(measureParam as string, base) : null;
    if (canonical && 'problem' in canonical && canonical.problem === 'foreign-base') {
      return fail(res, 400, 'value', `${measureParam} is not one of our Measures: their canonical URLs start with ${base}/Measure/`);
    }
    const measureCode = canonical ? ('code' in canonical ? canonical.code : null) : codeForFhirId(measureParam as string);
    if (!measureCode) return fail(res, 400, 'value', `measure must be a measure code or a Measure canonical URL (got ${measureParam})`);

    const result = await findMeasureReport(contextOf(res), { measureCode, orgUnit: orgUnitToken(unitParam as string), periodStart, pooled }, base);
    if (!result.found) return fail(res, 404, 'not-found', result.what);
    send(res, 200, result.report);
  });

  const importHandler = async (req: Request, res: Response) => {
    if (!req.is(['application/json', 'application/fhir+json'])) {
      return fail(res, 415, 'not-supported', 'Send JSON: Content-Type: application/fhir+json');
    }
    if (!allowed(res, 'recordObservations')) return;
    const dryRun = booleanParam(single(req.query.dryRun), false);
    if (dryRun === null) return fail(res, 400, 'value', 'dryRun is true or false');
    // As on /graphql: no text column can store a NUL, so a string holding one is refused up front.
    const nul = nulPath(req.body);
    if (nul) {
      const expression = fhirPath(req.body, nul);
      return send(res, 400, operationOutcome('error', 'invalid', nulMessage(expression), { expression: [expression] }));
    }
    const ctx = contextOf(res);
    const result = await importFhirReports(ctx, req.body as unknown, { dryRun });
    if (result.summary) noteObservationRows(ctx.actor, result.summary);
    if (!result.accepted) {
      const allForbidden = result.issues.length > 0 && result.issues.every((i) => i.code === 'FORBIDDEN');
      return send(res, allForbidden ? 403 : 400, issuesOutcome(result.issues, base));
    }
    // Only a reader of every true figure is told which reports were new, changed or unchanged.
    const withheld = !seesEveryTrueFigure(ctx.actor);
    send(res, 200, importOutcome(result.counts, result.rejected, base, withheld));
  };
  router.post('/MeasureReport', importHandler);
  router.post('/', importHandler);

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

function capabilityStatement(): object {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: { description: 'Authorization: Bearer <API key>, the same keys as the GraphQL API' },
        resource: [
          { type: 'Measure', interaction: [{ code: 'read' }] },
          {
            type: 'MeasureReport',
            interaction: [{ code: 'create' }, { code: 'search-type' }],
            searchParam: [
              { name: 'measure', type: 'reference' },
              { name: 'subject', type: 'reference' },
              { name: 'reporter', type: 'reference' },
              { name: 'period', type: 'date' },
            ],
          },
        ],
        interaction: [{ code: 'batch' }, { code: 'transaction' }],
      },
    ],
  };
}
