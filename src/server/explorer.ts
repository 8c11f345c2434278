import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/**
 * GraphiQL served from the project's own node_modules: no CDN, so it works on a closed NHS
 * network. The page is GET /graphql for a browser (Accept prefers text/html, no `query`
 * parameter); its files are under /explorer/. graphiql 4 is the last release with a prebuilt
 * browser (UMD) bundle, and React 18 the last with UMD builds; the bundle carries its own fonts
 * as data: URLs. The page's Content-Security-Policy lets it load and connect to this origin
 * only.
 */
export const EXPLORER_ASSETS_PATH = '/explorer';

/** The key placeholder in the headers editor; a request still carrying it is sent without Authorization. */
export const KEY_PLACEHOLDER = '<key>';

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** Every file the page loads, by the name it is served under. */
function assetFiles(): Record<string, { file: string; type: string }> {
  const files = {
    'react.production.min.js': { file: path.join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
    'react-dom.production.min.js': { file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
    'graphiql.min.js': { file: path.join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
    'graphiql.min.css': { file: path.join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
  };
  // Fail at start, not with a blank page, if a dependency stopped shipping its bundle.
  for (const { file } of Object.values(files)) if (!existsSync(file)) throw new Error(`the explorer needs ${file} (npm ci; graphiql@4 and react@18 ship it)`);
  return files;
}

/** Renders GraphiQL against the page's own URL, with the headers editor open on the key placeholder. */
const START_SCRIPT = `'use strict';
(function () {
  var endpoint = window.location.origin + window.location.pathname.replace(/\\/+$/, '');
  var placeholder = ${JSON.stringify(KEY_PLACEHOLDER)};
  var fetchGraphQL = GraphiQL.createFetcher({ url: endpoint });
  // Until a real key replaces the placeholder, send no Authorization: the schema still loads
  // (introspection needs no key outside production) and queries are answered 401 saying what to send.
  function fetcher(params, options) {
    var headers = Object.assign({}, options && options.headers);
    Object.keys(headers).forEach(function (name) {
      if (name.toLowerCase() === 'authorization' && String(headers[name]).indexOf(placeholder) !== -1) delete headers[name];
    });
    return fetchGraphQL(params, Object.assign({}, options, { headers: headers }));
  }
  var defaultQuery = [
    '# relational-care-graph. Your API key goes in the',
    '# Headers tab below, in place of <key>',
    '# (npm start prints one demonstration key per role).',
    '# Run with Ctrl-Enter or the run button.',
    '',
    '{',
    '  viewer {',
    '    role',
    '    label',
    '  }',
    '}',
    '',
  ].join('\\n');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' + placeholder }, null, 2),
      defaultEditorToolsVisibility: 'headers',
      // The key stays in this tab: not written to the browser's localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
`;

const PAGE = (assets: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>relational-care-graph: GraphiQL</title>
<link rel="stylesheet" href="${assets}/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${assets}/react.production.min.js"></script>
<script src="${assets}/react-dom.production.min.js"></script>
<script src="${assets}/graphiql.min.js"></script>
<script src="${assets}/start.js"></script>
</body>
</html>
`;

/**
 * Scripts and connections to this origin only; GraphiQL's editors set inline styles, and its
 * fonts and icons are data: URLs. No framing (clickjacking), no referrer.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True for a browser opening the URL (it prefers HTML), not a GraphQL GET (which has `query`). */
function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' || req.query.query !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export interface Explorer {
  /** GET /graphql: the page for browsers, anything else passes on to Apollo */
  page: (req: Request, res: Response, next: NextFunction) => void;
  /** mounted at EXPLORER_ASSETS_PATH */
  assets: Router;
}

export function createExplorer(): Explorer {
  const files = assetFiles();
  const assets = express.Router();
  for (const [name, { file, type }] of Object.entries(files)) {
    assets.get(`/${name}`, (_req, res) => {
      res.type(type).sendFile(file, { headers: { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
    });
  }
  assets.get('/start.js', (_req, res) => {
    res.type('text/javascript').set({ 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).send(START_SCRIPT);
  });
  return {
    page: (req, res, next) => {
      if (!wantsPage(req)) {
        next();
        return;
      }
      // Relative to the page, so the explorer also works behind a proxy that adds a path prefix.
      const assetsUrl = `${req.originalUrl.split('?')[0].endsWith('/') ? '..' : '.'}${EXPLORER_ASSETS_PATH}`;
      res
        .status(200)
        .type('html')
        .vary('Accept')
        .set({ 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
        .send(PAGE(assetsUrl));
    },
    assets,
  };
}
