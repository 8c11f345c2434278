/**
 * The layering of src/, lowest first (README "Architecture"). A folder may import its own layer
 * and the layers below it, never above; no import cycles anywhere. `npm run check:layers`.
 *
 *   lib, config, logger, generated   generic helpers, settings, logging, the Prisma client
 *   db                               connections, migrations, SQL helpers
 *   statistics                       pure calculations (pooling, periods, SPC, suppression): no I/O
 *   access                           actors, roles, permissions, API-key authentication
 *   graphql                          the GraphQL framework: context, errors, ids, Node, connections, inputs
 *   editing                          what every mutation shares: the runner, versioning, the audit log
 *   server                           HTTP: Express, Apollo, limits, rate limits, metrics
 *   features                         one folder each (FEATURES below); may import each other, without cycles
 *   app, main.ts                     the composition root: lists the features and wires them in
 */
const FEATURES = 'auth|principles|organisation|people|workstreams|measures|observations|integrations|board|board-pack|audit|coverage|feedback|demo';
const layer = (...names) => `^src/(${names.join('|')})(/|\\.ts$)`;
const BASE = ['lib', 'config', 'logger', 'generated'];

const forbidAbove = (name, from, above) => ({
  name,
  severity: 'error',
  comment: `${from} may not import ${above.join(', ')}: that would run from a lower layer up to a higher one`,
  from: { path: layer(from) },
  to: { path: layer(...above) },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles anywhere in src/', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'base-imports-only-base',
      severity: 'error',
      comment: 'lib, config, logger import nothing of the application above them',
      from: { path: layer('lib', 'config', 'logger') },
      to: { path: '^src/', pathNot: layer(...BASE) },
    },
    forbidAbove('db-below-all', 'db', ['statistics', 'access', 'graphql', 'editing', 'server', FEATURES, 'app', 'main']),
    {
      name: 'statistics-is-pure',
      severity: 'error',
      comment: 'statistics holds pure calculations: it imports only itself and lib',
      from: { path: layer('statistics') },
      to: { path: '^src/', pathNot: layer('statistics', 'lib') },
    },
    {
      name: 'statistics-does-no-io',
      severity: 'error',
      comment: 'statistics holds pure calculations: no file, network or process module',
      from: { path: layer('statistics'), pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|dgram|dns|tls|worker_threads|cluster)(/|$)' },
    },
    forbidAbove('access-below-framework', 'access', ['graphql', 'editing', 'server', FEATURES, 'app', 'main']),
    forbidAbove('framework-imports-no-feature', 'graphql', ['editing', 'server', FEATURES, 'app', 'main']),
    forbidAbove('editing-below-features', 'editing', ['server', FEATURES, 'app', 'main']),
    forbidAbove('server-imports-no-feature', 'server', [FEATURES, 'app', 'main']),
    forbidAbove('features-below-app', FEATURES, ['app', 'main']),
    {
      name: 'demo-only-from-the-root',
      severity: 'error',
      comment: 'the demonstration data is loaded only by the composition root, and only when seeding',
      from: { path: '^src/', pathNot: [layer('demo', 'app'), '^src/main\\.ts$'] },
      to: { path: layer('demo') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // tests sit beside the code they test and may reach for fixtures anywhere
    includeOnly: '^src/',
  },
};
