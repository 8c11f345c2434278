#!/usr/bin/env node
/**
 * `prisma generate`, skipped when the client in src/generated/prisma is already current.
 *
 * Current means: the fingerprint written beside the client after its last generation matches
 * prisma/schema.prisma, prisma.config.ts and the installed prisma and @prisma/client versions, and
 * the client's entry file is there. `npm start` calls it so that a restart does not pay ~2-3 s for
 * a client that has not changed; `--force` (npm run prisma:generate) always generates.
 *
 * Plain JavaScript, not TypeScript: it runs before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outputDir = path.join(root, 'src/generated/prisma');
const fingerprintFile = path.join(outputDir, 'schema.sha256');
const entryFile = path.join(outputDir, 'client.ts');

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of ['prisma/schema.prisma', 'prisma.config.ts']) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  for (const name of ['prisma', '@prisma/client']) hash.update(`${name}@${require(`${name}/package.json`).version}\0`);
  return hash.digest('hex');
}

/** True when the generated client was made from the schema, config and Prisma versions installed now. */
function isCurrent() {
  return existsSync(entryFile) && existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8').trim() === fingerprint();
}

/** Generates the client unless it is current (always with `force`); returns whether it generated. */
function generate({ force = false } = {}) {
  if (!force && isCurrent()) return false;
  const wanted = fingerprint();
  // The CLI's banners ("Loaded Prisma config ...") go to stderr; its summary to stdout, dropped as before.
  const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate', '--no-hints'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`prisma generate failed (status ${result.status ?? result.signal})`);
  writeFileSync(fingerprintFile, `${wanted}\n`);
  return true;
}

module.exports = { fingerprint, isCurrent, generate, fingerprintFile, entryFile };

if (require.main === module) {
  try {
    generate({ force: process.argv.includes('--force') });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
