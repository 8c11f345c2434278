import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * npm start's compile step (scripts/prepare-start.js): src/ to plain JavaScript, only what
 * changed. Run against a copy of a few sources so the test can change and delete them.
 */
const { prepare } = require('../../scripts/prepare-start.js') as { prepare(outDir: string, srcDir?: string): number };

describe('npm start compiles src/ with swc, incrementally', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'rcg-prepare-start-'));
  const src = path.join(scratch, 'src');
  const out = path.join(scratch, '.start');
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  beforeAll(() => {
    mkdirSync(path.join(src, 'demo/data'), { recursive: true });
    writeFileSync(path.join(src, 'greeting.ts'), "import { name } from './demo/name';\nexport const greeting = (): string => `hello ${name}`;\n");
    writeFileSync(path.join(src, 'demo/name.ts'), "import data from './data/name.json';\nexport const name: string = data.name;\n");
    writeFileSync(path.join(src, 'demo/data/name.json'), '{ "name": "world" }\n');
    writeFileSync(path.join(src, 'greeting.test.ts'), 'test("never compiled", () => undefined);\n');
    writeFileSync(
      path.join(src, 'decorated.ts'),
      "const field = (): PropertyDecorator => () => undefined;\nexport class Thing {\n  @field() count!: number;\n}\n" +
        "export const designType = Reflect.getMetadata('design:type', Thing.prototype, 'count');\n",
    );
  });

  test('a first run compiles every source (not tests), copies the JSON, and the output runs', () => {
    expect(prepare(out, src)).toBe(4);
    expect(existsSync(path.join(out, 'greeting.test.js'))).toBe(false);
    expect(existsSync(path.join(out, 'greeting.js.map'))).toBe(true);
    expect((require(path.join(out, 'greeting.js')) as { greeting(): string }).greeting()).toBe('hello world');
    // type-graphql reads decorator metadata: the compiled class must carry it.
    expect((require(path.join(out, 'decorated.js')) as { designType: unknown }).designType).toBe(Number);
  });

  test('a second run compiles nothing; a changed source is compiled again, alone', () => {
    expect(prepare(out, src)).toBe(0);
    const file = path.join(src, 'demo/name.ts');
    writeFileSync(file, "import data from './data/name.json';\nexport const name: string = data.name.toUpperCase();\n");
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    expect(prepare(out, src)).toBe(1);
    expect(readFileSync(path.join(out, 'demo/name.js'), 'utf8')).toContain('toUpperCase');
  });

  test('the output of a deleted source is removed, so require() cannot find a stale module', () => {
    rmSync(path.join(src, 'greeting.ts'));
    expect(prepare(out, src)).toBe(0);
    expect(existsSync(path.join(out, 'greeting.js'))).toBe(false);
    expect(existsSync(path.join(out, 'greeting.js.map'))).toBe(false);
  });
});
