/**
 * Writes schema/schema.graphql from the code (the committed SDL). `--check` fails instead
 * when the committed file is stale, and reports breaking changes against it.
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildSchema as buildFromSdl, findBreakingChanges } from 'graphql';
import { printAppSchema } from '../src/app/schema';

const SCHEMA_FILE = path.resolve(__dirname, '../schema/schema.graphql');

async function main(): Promise<void> {
  const sdl = await printAppSchema();
  const check = process.argv.includes('--check');
  const committed = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (committed) {
    const breaking = findBreakingChanges(buildFromSdl(committed), buildFromSdl(sdl));
    for (const change of breaking) console.log(`BREAKING ${change.type}: ${change.description}`);
  }
  if (check) {
    if (committed !== sdl) {
      console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it');
      process.exit(1);
    }
    console.log('schema/schema.graphql is current');
    return;
  }
  mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, sdl);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
