/**
 * ts-node with swc as its transpiler, to run src/ straight from its sources
 * (`node -r ./scripts/register-swc.js src/main.ts`; `npm start` now compiles to .start/ instead,
 * scripts/prepare-start.js, so the server does not carry ts-node): type-checking is tsc's job (npm run
 * typecheck), and TypeScript's own transpiler took most of a start (about 10 s of CPU here to
 * compile src/ on every start); swc does the same in a fraction. Decorator metadata, which
 * type-graphql reads, comes from tsconfig's emitDecoratorMetadata as before.
 */
require('ts-node').register({ swc: true });
