/**
 * The board pack over HTTP (names in CONTRACT.md "Board pack"):
 *
 *   GET /board-pack/<orgUnitCode>?period=YYYY-MM&format=html|pdf|csv|xlsx   the pack (default html)
 *   GET /board-pack/<orgUnitCode>/scorecard.csv | scorecard.xlsx            the scorecard as a table
 *   GET /board-pack/<orgUnitCode>/drill-down.csv | drill-down.xlsx          the drill-downs (?measure= for one)
 *   GET /charts/spc.svg?measure=<code>&orgUnit=<code>[&from=&to=&granularity=&width=&height=]
 *
 * The same Bearer keys, rate budget and answers to refusals as /graphql (401, 429, 503 with
 * a GraphQL-shaped JSON error body, as the server answers any path it does not serve). Every
 * figure is read through the board services with the requesting key's context, so a BOARD
 * key's pack holds no suppressed figure; another trust's unit is 404 exactly as an unknown
 * code. The router only reads the request and writes the answer: board-pack.service.ts
 * gathers, the renderers draw.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { can } from '../access/actor';
import { bearerChallenge } from '../access/authenticate';
import { classifyDatabaseError } from '../db/unavailable';
import { RequestContext } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import { authenticateRequest, rateLimitRequest } from '../server/access';
import type { ServerServices } from '../server/feature';
import { HttpErrorCode, sendGraphQLError } from '../server/http-errors';
import type { Granularity } from '../statistics/periods';
import { packDocument, PACK_FORMATS, type PackFormat } from './board-pack.documents';
import { chartSeries, findMeasure, findOrgUnit, packDrillDown, packScorecard } from './board-pack.service';
import { drillDownTable, scorecardTable, tablesToCsv, tablesToXlsx, type Table } from './board-pack-tables';
import { chartInputFor } from './chart-input';
import { parseMonth } from './figures';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, renderSpcChart } from './spc-chart';

interface Locals {
  ctx: RequestContext;
}

export function contextOf(res: Response): RequestContext {
  return (res.locals as Locals).ctx;
}

/** Answers with the server's JSON error shape, `{ errors: [{ message, extensions: { code } }] }`. */
export function fail(res: Response, status: number, code: string, message: string): void {
  sendGraphQLError(res, status, code, message);
}

export function single(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  return null;
}

/** Rejects a repeated or unknown query parameter, so a typo is not silently ignored. */
export function checkQuery(req: Request, res: Response, allowed: readonly string[]): boolean {
  for (const [name, value] of Object.entries(req.query)) {
    if (!allowed.includes(name)) {
      fail(res, 400, ErrorCode.BAD_USER_INPUT, `Unknown query parameter "${name}"; this path takes ${allowed.join(', ')}`);
      return false;
    }
    if (typeof value !== 'string') {
      fail(res, 400, ErrorCode.BAD_USER_INPUT, `Give "${name}" once, as one value`);
      return false;
    }
  }
  return true;
}

/** `period=YYYY-MM` (or a first of the month); undefined when it is malformed (the caller has answered 400). */
function periodOf(req: Request, res: Response, name = 'period'): string | null | undefined {
  const text = single(req.query[name]);
  if (text === null) return null;
  const period = parseMonth(text);
  if (!period) {
    fail(res, 400, ErrorCode.BAD_USER_INPUT, `${name} must name a month as YYYY-MM (got ${text})`);
    return undefined;
  }
  return period;
}

function fileName(unitCode: string, period: string, kind: string, extension: string): string {
  return `${kind}-${unitCode}-${period.slice(0, 7) || 'no-data'}.${extension}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

/** A self-contained page: nothing may load from elsewhere, and nothing runs. */
export const PACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function sendDocument(res: Response, format: keyof typeof CONTENT_TYPES, body: string | Buffer, downloadName: string | null): void {
  // Figures differ by reader: no shared cache may keep them.
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (format === 'html' || format === 'svg') res.setHeader('Content-Security-Policy', PACK_CSP);
  if (downloadName) res.setHeader('Content-Disposition', `${format === 'html' || format === 'svg' ? 'inline' : 'attachment'}; filename="${downloadName}"`);
  res.status(200).type(CONTENT_TYPES[format]).send(body);
}

/** Authentication, rate limit and the request's context, as on /graphql and /fhir. */
export function authenticated(deps: ServerServices): express.RequestHandler[] {
  return [
    authenticateRequest(deps.db, deps.config, undefined, deps.logger),
    rateLimitRequest(deps.rateLimiter ?? null, deps.metrics ?? null),
    (req: Request, res: Response, next: NextFunction) => {
      const authentication = req.authentication;
      if (!authentication.ok) {
        res.setHeader('WWW-Authenticate', bearerChallenge(authentication));
        if (authentication.reason === 'refused') return fail(res, 403, ErrorCode.FORBIDDEN, authentication.message);
        const message = authentication.reason === 'missing' ? 'A valid API key is required: send Authorization: Bearer <key>' : authentication.message;
        fail(res, 401, ErrorCode.UNAUTHENTICATED, message);
        return;
      }
      if (!can(authentication.actor, 'read')) {
        fail(res, 403, ErrorCode.FORBIDDEN, `The ${authentication.actor.role} role may not read board views`);
        return;
      }
      const logger = deps.logger.child({ requestId: req.requestId });
      (res.locals as Locals).ctx = new RequestContext(deps.db, req.requestId, authentication.actor, logger, req.sqlCounter, deps.nodeTypes, deps.config);
      next();
    },
  ];
}

/** The error handler both routers end with: service errors by their code, database outages as 503, the rest masked. */
export function errorHandler(deps: ServerServices) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof GraphQLError) {
      const code = String(error.extensions.code ?? '');
      if (code === ErrorCode.BAD_USER_INPUT) return fail(res, 400, code, error.message);
      if (code === ErrorCode.NOT_FOUND) return fail(res, 404, code, error.message);
      if (code === ErrorCode.FORBIDDEN) return fail(res, 403, code, error.message);
    }
    const failure = classifyDatabaseError(error);
    if (failure) {
      deps.logger.warn({ err: error, requestId: req.requestId }, failure === 'timeout' ? 'database statement timed out' : 'database unavailable');
      res.setHeader('retry-after', '5');
      return failure === 'timeout'
        ? fail(res, 503, HttpErrorCode.REQUEST_TIMEOUT, 'The request took too long (statement timeout); try again')
        : fail(res, 503, HttpErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly');
    }
    deps.logger.error({ err: error, requestId: req.requestId, path: req.originalUrl.split('?')[0] }, 'unexpected error in a board pack request');
    sendGraphQLError(res, 500, HttpErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error', { extensions: { requestId: req.requestId } });
  };
}

function notServed(req: Request, res: Response): void {
  fail(res, 404, HttpErrorCode.NOT_FOUND, `${req.method} ${req.baseUrl}${req.path} is not served; see the README's "Board pack" section for the board pack's paths`);
}


export function boardPackRouter(deps: ServerServices): express.Router {
  const router = express.Router();
  router.use(authenticated(deps));

  router.get('/:orgUnitCode', async (req, res) => {
    if (!checkQuery(req, res, ['period', 'format'])) return;
    const format = (single(req.query.format) ?? 'html').toLowerCase();
    if (!(PACK_FORMATS as readonly string[]).includes(format)) {
      return fail(res, 400, ErrorCode.BAD_USER_INPUT, `format must be one of ${PACK_FORMATS.join(', ')} (got ${format})`);
    }
    const period = periodOf(req, res);
    if (period === undefined) return;
    const ctx = contextOf(res);
    const code = String(req.params.orgUnitCode);
    const unit = await findOrgUnit(ctx, code);
    if (!unit) return fail(res, 404, ErrorCode.NOT_FOUND, `No org unit has code "${code}"`);
    const started = process.hrtime.bigint();
    const answer = await packDocument(ctx, unit, period, format as PackFormat, new Date());
    sendDocument(res, answer.format, answer.body, fileName(unit.code, answer.period, answer.kind, answer.format));
    ctx.logger.info(
      { actor: ctx.actor.label, orgUnit: unit.code, period: answer.period, format, durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10 },
      'board pack',
    );
  });

  router.get('/:orgUnitCode/:file', async (req, res) => {
    const file = String(req.params.file);
    const match = /^(scorecard|drill-down)\.(csv|xlsx)$/.exec(file);
    if (!match) return notServed(req, res);
    const [, kind, format] = match as unknown as [string, 'scorecard' | 'drill-down', 'csv' | 'xlsx'];
    if (!checkQuery(req, res, kind === 'scorecard' ? ['period'] : ['period', 'measure'])) return;
    const period = periodOf(req, res);
    if (period === undefined) return;
    const ctx = contextOf(res);
    const code = String(req.params.orgUnitCode);
    const unit = await findOrgUnit(ctx, code);
    if (!unit) return fail(res, 404, ErrorCode.NOT_FOUND, `No org unit has code "${code}"`);
    const { asAt, entries } = await packScorecard(ctx, unit, period);
    let tables: Table[];
    if (kind === 'scorecard') {
      tables = [scorecardTable(unit, asAt ?? '', entries)];
    } else {
      const measureCode = single(req.query.measure);
      const measures = measureCode === null ? entries.map((entry) => entry.measure) : [await findMeasure(ctx, measureCode)];
      if (measures[0] === null) return fail(res, 404, ErrorCode.NOT_FOUND, `No measure has code "${measureCode}"`);
      const drillDowns = await Promise.all(measures.map((m) => packDrillDown(ctx, m!, unit, asAt)));
      tables = [drillDownTable(unit, asAt ?? '', drillDowns)];
    }
    const body = format === 'csv' ? tablesToCsv(tables) : await tablesToXlsx(tables);
    sendDocument(res, format, body, fileName(unit.code, asAt ?? '', kind, format));
  });

  router.use(notServed);
  router.use(errorHandler(deps));
  return router;
}

const GRANULARITIES: readonly Granularity[] = ['MONTH', 'QUARTER', 'FINANCIAL_YEAR'];

function dimensionOf(req: Request, res: Response, name: 'width' | 'height', fallback: number, minimum: number): number | undefined {
  const text = single(req.query[name]);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < minimum || value > 4000) {
    fail(res, 400, ErrorCode.BAD_USER_INPUT, `${name} must be a whole number of pixels from ${minimum} to 4000 (got ${text})`);
    return undefined;
  }
  return value;
}

export function chartsRouter(deps: ServerServices): express.Router {
  const router = express.Router();
  router.use(authenticated(deps));

  router.get('/spc.svg', async (req, res) => {
    if (!checkQuery(req, res, ['measure', 'orgUnit', 'from', 'to', 'granularity', 'width', 'height'])) return;
    const measureCode = single(req.query.measure);
    const unitCode = single(req.query.orgUnit);
    const missing = [!measureCode && 'measure', !unitCode && 'orgUnit'].filter(Boolean);
    if (missing.length > 0) return fail(res, 400, ErrorCode.BAD_USER_INPUT, `Missing query parameter: ${missing.join(', ')}`);
    const from = periodOf(req, res, 'from');
    if (from === undefined) return;
    const to = periodOf(req, res, 'to');
    if (to === undefined) return;
    const granularity = (single(req.query.granularity) ?? 'MONTH').toUpperCase() as Granularity;
    if (!GRANULARITIES.includes(granularity)) return fail(res, 400, ErrorCode.BAD_USER_INPUT, `granularity must be one of ${GRANULARITIES.join(', ')}`);
    const width = dimensionOf(req, res, 'width', DEFAULT_WIDTH, 480);
    if (width === undefined) return;
    const height = dimensionOf(req, res, 'height', DEFAULT_HEIGHT, 300);
    if (height === undefined) return;

    const ctx = contextOf(res);
    const [measure, unit] = await Promise.all([findMeasure(ctx, measureCode as string), findOrgUnit(ctx, unitCode as string)]);
    if (!measure) return fail(res, 404, ErrorCode.NOT_FOUND, `No measure has code "${measureCode}"`);
    if (!unit) return fail(res, 404, ErrorCode.NOT_FOUND, `No org unit has code "${unitCode}"`);
    const { series, phases } = await chartSeries(ctx, measure, unit, { from, to, granularity });
    const svg = renderSpcChart({ ...chartInputFor(measure, series, unit.name, { phases, markers: [], id: `spc-${measure.code}` }), width, height });
    sendDocument(res, 'svg', `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, fileName(unit.code, series.to, `spc-${measure.code}`, 'svg'));
  });

  router.use(notServed);
  router.use(errorHandler(deps));
  return router;
}
