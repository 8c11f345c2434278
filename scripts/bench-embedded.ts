/**
 * The embedded default (PGlite) as a user meets it: `npm start` on a fresh data directory (which
 * seeds the demo trust), then `npm start` again on copies of that directory. For each start it
 * prints the time from spawn to the `serving` line (and /readyz answering), and the resident
 * memory after the server has sat idle: the whole process tree (npm, sh, node) and the server's
 * node process alone. The load average is printed before and after: on a 2-core machine another
 * busy process slows every figure here, so compare runs from the same sitting only.
 *
 *   npm run bench:embedded -- [--runs 3] [--idle-seconds 5] [--data-dir DIR] [--root DIR]
 *
 * --data-dir: restart on copies of an existing, already seeded data directory instead of seeding one.
 * --root: run `npm start` in another checkout (with its node_modules), e.g. an older commit, for a before/after.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

interface Args {
  runs: number;
  idleSeconds: number;
  dataDir: string | null;
  root: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 3, idleSeconds: 5, dataDir: null, root };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--idle-seconds') args.idleSeconds = Number(argv[++i]);
    else if (argv[i] === '--data-dir') args.dataDir = path.resolve(argv[++i]);
    else if (argv[i] === '--root') args.root = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --runs N --idle-seconds S --data-dir DIR --root DIR)`);
  }
  return args;
}

interface StartResult {
  readySeconds: number;
  treeRssMb: number;
  serverRssMb: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** RSS in MB of `pid` and all its descendants, and of the largest single process (the server). */
function treeRss(pid: number): { tree: number; largest: number } {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const [p, parent, kb] of rows) {
    rss.set(p, kb);
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  let tree = 0;
  let largest = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    const kb = rss.get(p) ?? 0;
    tree += kb;
    largest = Math.max(largest, kb);
    stack.push(...(children.get(p) ?? []));
  }
  return { tree: tree / 1024, largest: largest / 1024 };
}

/** Resolves with the server's URL when its `serving` line appears; rejects if the process exits first. */
function waitForServing(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no serving line within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /relational-care-graph serving (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before serving:\n${output}`));
    });
  });
}

/** `npm start` on `dataDir`: time to ready, then RSS after `idleSeconds`; stops it with SIGTERM. */
async function measureStart(cwd: string, dataDir: string, idleSeconds: number): Promise<StartResult> {
  const started = process.hrtime.bigint();
  // Its own process group, so the stop reaches npm, its shell and the server together.
  const child = spawn('npm', ['start'], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', NODE_ENV: 'development', LOG_LEVEL: 'warn' },
  });
  try {
    const url = await waitForServing(child, 600_000);
    const ready = await fetch(new URL('/readyz', url));
    if (!ready.ok) throw new Error(`/readyz answered ${ready.status}`);
    const readySeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await sleep(idleSeconds * 1000);
    const { tree, largest } = treeRss(child.pid!);
    return { readySeconds, treeRssMb: tree, serverRssMb: largest };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // The server's own shutdown ends the PGlite process cleanly; give the group a moment to go.
    await sleep(500);
  }
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function line(label: string, r: StartResult): string {
  return `${label.padEnd(34)} ready ${r.readySeconds.toFixed(2).padStart(6)} s   idle RSS: tree ${r.treeRssMb.toFixed(0).padStart(4)} MB, server ${r.serverRssMb.toFixed(0).padStart(4)} MB`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(path.join(tmpdir(), 'rcg-bench-embedded-'));
  try {
    console.log(`npm start in ${args.root}; load average (1, 5, 15 min) at start: ${load()}`);
    let seeded = args.dataDir;
    if (!seeded) {
      seeded = path.join(scratch, 'seeded');
      console.log(line('first start (seeds the demo)', await measureStart(args.root, seeded, args.idleSeconds)));
    }
    const restarts: StartResult[] = [];
    for (let run = 1; run <= args.runs; run++) {
      const copy = path.join(scratch, `restart-${run}`);
      cpSync(seeded, copy, { recursive: true });
      const result = await measureStart(args.root, copy, args.idleSeconds);
      restarts.push(result);
      console.log(line(`restart ${run} (existing data dir)`, result));
      rmSync(copy, { recursive: true, force: true });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    if (restarts.length > 0) {
      console.log(
        `restart median: ready ${median(restarts.map((r) => r.readySeconds)).toFixed(2)} s, ` +
          `idle RSS tree ${median(restarts.map((r) => r.treeRssMb)).toFixed(0)} MB, server ${median(restarts.map((r) => r.serverRssMb)).toFixed(0)} MB`,
      );
    }
    console.log(`load average (1, 5, 15 min) at end: ${load()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
