/**
 * ts-node with swc as its transpiler, for `npm start`: type-checking is tsc's job (npm run
 * typecheck), and TypeScript's own transpiler took most of a start (about 10 s of CPU here to
 * compile src/ on every start); swc does the same in a fraction. Decorator metadata, which
 * type-graphql reads, comes from tsconfig's emitDecoratorMetadata as before.
 */
require('ts-node').register({ swc: true });
