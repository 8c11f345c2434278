#!/usr/bin/env node
/**
 * `npm start`'s first step: the Prisma client generated if stale (prisma-generate.js), then
 * src/ compiled with swc to .start/, only the files changed since the last start. `npm start`
 * then runs plain node on .start/main.js: no ts-node, TypeScript or swc in the server's memory
 * (ts-node with them held about 100 MB of a restart's resident memory).
 *
 * .start/ sits beside src/ (one level below the root, like dist/), so the paths the code finds
 * relative to its own directory (prisma/migrations, the disclosure-table worker) resolve the same.
 * Type-checking stays with tsc (npm run typecheck); `npm run build` still makes dist/ with tsc.
 *
 *   node scripts/prepare-start.js [--out DIR] [--quiet]
 *
 * Plain JavaScript: it runs before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const prismaGenerate = require('./prisma-generate');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');
const MANIFEST = '.manifest.json';

/**
 * The options ts-node gave swc for tsconfig.json (ts-node/dist/transpilers/swc.js), so the code
 * runs as it did under ts-node: ES2022, CommonJS with esModuleInterop, type-graphql's legacy
 * decorators with their metadata, class fields defined (ES2022's useDefineForClassFields), class
 * names kept. A source map per file, for `--enable-source-maps`.
 */
const SWC_OPTIONS = {
  swcrc: false,
  sourceMaps: true,
  module: { type: 'commonjs', noInterop: false, strictMode: true, ignoreDynamic: false },
  jsc: {
    parser: { syntax: 'typescript', tsx: false, decorators: true, dynamicImport: true },
    target: 'es2022',
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    keepClassNames: true,
  },
};

/** Every file under `dir`, relative to it; tests are left out (the server never loads them). */
function sourceFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path.join(dir, entry.name), relative));
    else if (entry.isFile() && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) files.push(relative);
  }
  return files;
}

/** What the outputs depend on besides the sources: the compiler, its options and this script. */
function buildKey() {
  const swcVersion = require('@swc/core/package.json').version;
  return createHash('sha256').update(JSON.stringify(SWC_OPTIONS)).update(swcVersion).update(readFileSync(__filename)).digest('hex');
}

function outputsOf(relative) {
  if (!relative.endsWith('.ts')) return [relative];
  const js = relative.replace(/\.ts$/, '.js');
  return [js, `${js}.map`];
}

/**
 * Compiles the .ts files whose size or modification time changed since the last run (every one
 * when the compiler or its options did), copies the other files (the demo's JSON), and removes
 * the outputs of sources that are gone. Returns how many files it compiled or copied.
 */
function prepare(outDir, fromDir = srcDir) {
  const manifestFile = path.join(outDir, MANIFEST);
  const key = buildKey();
  let manifest = { key, files: {} };
  try {
    const stored = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (stored.key === key) manifest = stored;
  } catch {
    // no manifest yet, or unreadable: everything is rebuilt
  }
  const files = sourceFiles(fromDir);
  const next = { key, files: {} };
  let swc = null;
  let written = 0;
  for (const relative of files) {
    const source = path.join(fromDir, relative);
    const { size, mtimeMs } = statSync(source);
    const stamp = `${size}:${mtimeMs}`;
    next.files[relative] = stamp;
    if (manifest.files[relative] === stamp && outputsOf(relative).every((out) => existsSync(path.join(outDir, out)))) continue;
    const target = path.join(outDir, outputsOf(relative)[0]);
    mkdirSync(path.dirname(target), { recursive: true });
    if (relative.endsWith('.ts')) {
      // Loaded only when something changed: a restart on current outputs never loads swc.
      swc ??= require('@swc/core');
      const { code, map } = swc.transformFileSync(source, { ...SWC_OPTIONS, filename: source, sourceFileName: path.relative(path.dirname(target), source) });
      writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      writeFileSync(`${target}.map`, map);
    } else {
      copyFileSync(source, target);
    }
    written += 1;
  }
  // Outputs of deleted or renamed sources would otherwise still be found by require().
  for (const relative of Object.keys(manifest.files)) {
    if (next.files[relative] !== undefined) continue;
    for (const out of outputsOf(relative)) rmSync(path.join(outDir, out), { force: true });
  }
  writeFileSync(manifestFile, JSON.stringify(next));
  return written;
}

module.exports = { prepare, SWC_OPTIONS };

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(root, '.start');
  try {
    prismaGenerate.generate();
    const started = process.hrtime.bigint();
    const written = prepare(outDir);
    if (written > 0 && !args.includes('--quiet')) {
      process.stderr.write(`compiled ${written} files of src/ to ${path.relative(process.cwd(), outDir) || '.'} in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms\n`);
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
