import type { AppServer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { send, startServerOn } from '../hardening/http';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The explorer over HTTP: GraphiQL's page at GET /graphql for a browser, its files under
 * /explorer/ from our own node_modules, nothing of it in production unless EXPLORER_ENABLED=true.
 * test/ecosystem/browser.test.ts opens it in Chromium and checks it makes no request elsewhere.
 */
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }; // what Chromium sends
const ASSETS = ['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql.min.css', 'start.js'];

const openPage = (url: string) => send(url, { method: 'GET', key: null, contentType: null, headers: HTML });
const root = (server: AppServer) => server.url.replace(/\/graphql$/, '');

describe('the offline explorer (GraphiQL), on postgresql', () => {
  let app: TestApp;
  let production: AppServer;
  let productionWithExplorer: AppServer;
  let developmentWithout: AppServer;

  beforeAll(async () => {
    app = await startTestApp('postgresql');
    production = await startServerOn(app.database.db, { NODE_ENV: 'production' });
    productionWithExplorer = await startServerOn(app.database.db, { NODE_ENV: 'production', EXPLORER_ENABLED: 'true' });
    developmentWithout = await startServerOn(app.database.db, { EXPLORER_ENABLED: 'false' });
  });
  afterAll(async () => {
    for (const server of [production, productionWithExplorer, developmentWithout]) await server?.stop();
    await app?.close();
  });

  test('a browser opening /graphql gets the GraphiQL page, which loads only files of this server', async () => {
    const page = await openPage(app.server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<title>relational-care-graph: GraphiQL<\/title>/);
    const references = [...page.text.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.sort()).toEqual(['./explorer/graphiql.min.css', './explorer/graphiql.min.js', './explorer/react-dom.production.min.js', './explorer/react.production.min.js', './explorer/start.js', 'data:,'].sort());
    expect(page.text).not.toMatch(/https?:\/\//); // no CDN, no other host
  });

  test('the page may load and connect to its own origin only (Content-Security-Policy), and may not be framed', async () => {
    const csp = (await openPage(app.server.url)).headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  test('its files are served from node_modules with their types', async () => {
    for (const name of ASSETS) {
      const response = await fetch(`${root(app.server)}/explorer/${name}`);
      expect([name, response.status]).toEqual([name, 200]);
      expect(response.headers.get('content-type')).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await response.text()).length).toBeGreaterThan(name === 'start.js' ? 500 : 5000);
    }
    // the GraphiQL bundle is the UMD build, which defines the global the start script uses
    expect(await (await fetch(`${root(app.server)}/explorer/graphiql.min.js`)).text()).toMatch(/\.GraphiQL=/);
    // the headers editor starts on the key placeholder
    expect(await (await fetch(`${root(app.server)}/explorer/start.js`)).text()).toMatch(/Authorization: 'Bearer ' \+ placeholder/);
  });

  test('GraphQL clients on /graphql are unaffected: JSON and GET queries reach Apollo, not the page', async () => {
    const json = await send(app.server.url, { method: 'GET', key: null, contentType: null, headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).not.toMatch(/text\/html/);
    const getQuery = await send(`${app.server.url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET', contentType: null, headers: { ...HTML, 'apollo-require-preflight': 'true' } });
    expect(getQuery.body.data).toEqual({ __typename: 'Query' });
    const post = await send(app.server.url, { body: JSON.stringify({ query: '{ viewer { role } }' }), headers: HTML });
    expect(post.body.data).toEqual({ viewer: { role: 'ADMIN' } });
  });

  test('production serves no explorer by default: /graphql is no HTML page, /explorer/* is a JSON 404', async () => {
    const page = await openPage(production.url);
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(page.text).not.toMatch(/GraphiQL|graphiql/);
    for (const name of ASSETS) {
      const response = await send(`${root(production)}/explorer/${name}`, { method: 'GET', key: null, contentType: null, headers: HTML });
      expect([name, response.status, response.body.errors?.[0]?.extensions?.code]).toEqual([name, 404, 'NOT_FOUND']);
    }
  });

  test('EXPLORER_ENABLED=true serves it in production; EXPLORER_ENABLED=false removes it in development', async () => {
    const switchedOn = await openPage(productionWithExplorer.url);
    expect(switchedOn.status).toBe(200);
    expect(switchedOn.text).toMatch(/GraphiQL/);
    expect((await fetch(`${root(productionWithExplorer)}/explorer/graphiql.min.js`)).status).toBe(200);
    const switchedOff = await openPage(developmentWithout.url);
    expect(switchedOff.headers.get('content-type')).not.toMatch(/text\/html/);
    expect((await fetch(`${root(developmentWithout)}/explorer/graphiql.min.js`)).status).toBe(404);
  });

  test('EXPLORER_ENABLED defaults: on unless NODE_ENV=production', () => {
    expect(loadConfig({}).explorerEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).explorerEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).explorerEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', EXPLORER_ENABLED: 'true' }).explorerEnabled).toBe(true);
    expect(loadConfig({ EXPLORER_ENABLED: 'off' }).explorerEnabled).toBe(false);
  });
});
