import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpErrorCode, sendGraphQLError } from './http-errors';

/** What a page on an allowed origin may send beyond the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Apollo-Require-Preflight', 'X-Request-Id'];
/** What its script may read back: the rate-limit budget, when to retry, the request id, why a key was refused. */
export const CORS_EXPOSED_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Points-Limit', 'RateLimit-Points-Remaining', 'RateLimit-Points-Reset', 'Retry-After', 'X-Request-Id', 'WWW-Authenticate'];
/** How long a browser may cache a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS for the API routes from an exact allow-list (CORS_ORIGINS). An allowed origin gets
 * its own origin reflected (never `*`) and `Vary: Origin`; its preflight (OPTIONS with
 * `Access-Control-Request-Method`) is answered 204 here, before authentication, rate limits
 * and Apollo's CSRF prevention, none of which a preflight could pass. A preflight from any
 * other origin gets 403 and no `Access-Control-Allow-*` header, so the browser refuses the
 * request it announced. No credentials mode: the API takes bearer keys, not cookies.
 *
 * CORS only decides what a browser lets a page read: requests without `Origin` (servers,
 * curl, feeds) are served as before, and CSRF prevention still stands for the simple
 * requests a page elsewhere can send without a preflight.
 */
export function corsForApi(origins: readonly string[]): RequestHandler | null {
  if (origins.length === 0) return null;
  const allowed = new Set(origins);
  const reflect = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
    preflightContinue: false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // Whether allowed or not, the answer depends on Origin: caches must keep them apart.
    res.vary('Origin');
    reflect(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      const origin = req.headers.origin;
      // cors() passed it on, so the origin is not allowed (or absent): refuse a preflight outright.
      if (req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
        sendGraphQLError(res, 403, HttpErrorCode.CORS_ORIGIN_NOT_ALLOWED, `The origin ${origin} is not allowed to call this API from a browser (CORS_ORIGINS)`);
        return;
      }
      next();
    });
  };
}
