/**
 * The breaking and dangerous changes between two versions of the committed SDL, as graphql-js
 * finds them (findBreakingChanges, findDangerousChanges): what a client written against the
 * older schema may trip on. For the CHANGELOG.
 *
 *   npm run --silent schema:diff -- <git-ref> [<git-ref>]
 *
 * compares schema/schema.graphql at the first ref with the second (the working tree when
 * omitted). Exits 0 whatever it finds: it reports, it does not judge.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

const SCHEMA_PATH = 'schema/schema.graphql';
const ROOT = path.resolve(__dirname, '..');

function sdlAt(ref: string | undefined): string {
  if (!ref) return readFileSync(path.join(ROOT, SCHEMA_PATH), 'utf8');
  return execFileSync('git', ['show', `${ref}:${SCHEMA_PATH}`], { cwd: ROOT, encoding: 'utf8' });
}

export function schemaDiff(before: string, after: string): string[] {
  const [old, current] = [buildSchema(before), buildSchema(after)];
  const line = (kind: string) => (c: { type: string; description: string }) => `${kind} ${c.type}: ${c.description}`;
  return [...findBreakingChanges(old, current).map(line('BREAKING')), ...findDangerousChanges(old, current).map(line('DANGEROUS'))].sort();
}

if (require.main === module) {
  const [from, to] = process.argv.slice(2).filter((a) => a !== '--');
  if (!from) {
    console.error('usage: npm run --silent schema:diff -- <git-ref> [<git-ref>]');
    process.exit(2);
  }
  const changes = schemaDiff(sdlAt(from), sdlAt(to));
  console.log(`# schema/schema.graphql ${from} → ${to ?? 'working tree'}: ${changes.length} change(s)`);
  for (const change of changes) console.log(change);
}
