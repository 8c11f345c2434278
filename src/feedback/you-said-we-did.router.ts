/**
 * "You said, we did" over HTTP, for a ward's wall and for spreadsheets:
 *
 *   GET /you-said-we-did/<orgUnitCode>?from=YYYY-MM-DD&to=YYYY-MM-DD&format=html|csv   (default html)
 *
 * The same Bearer keys, rate budget, refusals and security headers as the board pack (whose
 * router helpers this reuses): a unit of another trust is 404 exactly as an unknown code.
 */
import express, { type Request, type Response } from 'express';
import { checkQuery, contextOf, errorHandler, authenticated, fail, sendDocument, single } from '../board-pack/board-pack.router';
import { ErrorCode } from '../graphql/errors';
import { HttpErrorCode } from '../server/http-errors';
import type { ServerServices } from '../server/feature';
import { isoDay } from './feedback.type';
import { renderYouSaidWeDidCsv, renderYouSaidWeDidHtml } from './you-said-we-did.documents';
import { youSaidWeDid } from './you-said-we-did.service';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

function dateOf(req: Request, res: Response, name: 'from' | 'to'): Date | null | undefined {
  const text = single(req.query[name]);
  if (text === null) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00.000Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || isoDay(date) !== text) {
    fail(res, 400, ErrorCode.BAD_USER_INPUT, `${name} must be a date as YYYY-MM-DD (got ${text.slice(0, 40)})`);
    return undefined;
  }
  return date;
}

export function youSaidWeDidRouter(deps: ServerServices): express.Router {
  const router = express.Router();
  router.use(authenticated(deps));

  router.get('/:orgUnitCode', async (req, res) => {
    if (!checkQuery(req, res, ['from', 'to', 'format'])) return;
    const format = (single(req.query.format) ?? 'html').toLowerCase();
    if (format !== 'html' && format !== 'csv') return fail(res, 400, ErrorCode.BAD_USER_INPUT, `format must be html or csv (got ${format.slice(0, 20)})`);
    const from = dateOf(req, res, 'from');
    if (from === undefined) return;
    const to = dateOf(req, res, 'to');
    if (to === undefined) return;
    if (from && to && from > to) return fail(res, 400, ErrorCode.BAD_USER_INPUT, `from (${isoDay(from)}) is after to (${isoDay(to)})`);
    const ctx = contextOf(res);
    const code = String(req.params.orgUnitCode);
    if (!(await orgUnitLoaders(ctx).orgUnitByCode.load(code))) return fail(res, 404, ErrorCode.NOT_FOUND, `No org unit has code "${code}"`);
    const view = await youSaidWeDid(ctx, code, from, to);
    const name = `you-said-we-did-${view.orgUnit.code}-${isoDay(view.from)}-${isoDay(view.to)}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
    if (format === 'csv') sendDocument(res, 'csv', renderYouSaidWeDidCsv(view), name);
    else sendDocument(res, 'html', renderYouSaidWeDidHtml(view, new Date()), null);
  });

  router.use((req: Request, res: Response) => fail(res, 404, HttpErrorCode.NOT_FOUND, `${req.method} ${req.baseUrl}${req.path} is not served; see the README's "You said, we did" section`));
  router.use(errorHandler(deps));
  return router;
}
