import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * `engines` in package.json is true to the lockfile: the lowest Node.js of each range it names
 * satisfies every locked package's own `engines.node` (so `npm ci` prints no EBADENGINE on any
 * of them), and the Node.js running the tests is inside the range.
 */
const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; os?: string[]; optional?: boolean; dev?: boolean }>;
};

/** "^20.12.0 || ^22.13.0 || >=24.0.0" → the lowest version of each alternative: 20.12.0, 22.13.0, 24.0.0. */
const lowestOfEachRange = (range: string) => range.split('||').map((part) => semver.minVersion(part.trim())!.version);

/** Locked packages whose engines.node the given Node.js version does not satisfy (other platforms' optional bindings aside). */
function refusing(version: string, onlyRuntime = false): string[] {
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && !(entry.optional && entry.os) && !(onlyRuntime && entry.dev))
    .filter(([, entry]) => {
      const wanted = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      return typeof wanted === 'string' && !semver.satisfies(version, wanted, { includePrerelease: true });
    })
    .map(([key, entry]) => `${key.replace(/^.*node_modules\//, '')}@${entry.version} wants ${(entry.engines as { node: string }).node}`);
}

describe('package.json engines', () => {
  test('the Node.js running this is inside the range', () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });

  test.each(lowestOfEachRange(manifest.engines.node))('every locked package accepts Node.js %s, the lowest of one of its ranges', (version) => {
    expect(refusing(version)).toEqual([]);
  });

  test('the check can fail: Node.js 18 is refused by some locked packages (the range is not wider than the lock allows)', () => {
    expect(refusing('18.20.0', true).length).toBeGreaterThan(0);
  });
});
