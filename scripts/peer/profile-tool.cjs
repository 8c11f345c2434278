'use strict';
/**
 * The Node half of scripts/profile-api.sh: drives one query at the project's server under
 * autocannon and tells where the server's CPU went while it did. Subcommands:
 *
 *   load --url URL --body FILE --duration S --connections C --warmup S --pid PID --out FILE
 *        a warm-up, then one timed run; writes FILE (JSON): requests, req/s, the server's CPU
 *        (utime + stime from /proc/PID/stat, every thread: GC and the event loop) over the timed
 *        run, and the run's bounds on the monotonic clock (to cut the profile to them)
 *   summary --run FILE --profile FILE.cpuprofile [--top N]
 *        the profile's samples inside the timed run, grouped (Prisma, graphql-js, GC, our src/...)
 *        and the heaviest functions by self time; CPU ms per request from /proc
 *
 * The project's key travels in the environment (RCG_BENCH_KEY), never on a command line.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');

const PEER_DIR = process.env.RCG_PEER_DIR || '/tmp/rcg-peer';
const peerRequire = createRequire(path.join(PEER_DIR, 'package.json'));

function parseFlags(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, '');
    flags[name] = argv[i + 1];
    i += 1;
  }
  return flags;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
/** The process's CPU seconds so far, all threads (fields 14 and 15 of /proc/PID/stat), and its children's that it waited for. */
function cpuSecondsOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function load(flags) {
  const autocannon = peerRequire('autocannon');
  const body = fs.readFileSync(flags.body, 'utf8');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${process.env.RCG_BENCH_KEY}` };
  const connections = Number(flags.connections ?? 10);
  const pid = Number(flags.pid);
  const run = (seconds) => autocannon({ url: flags.url, method: 'POST', connections, duration: seconds, headers, body });
  if (Number(flags.warmup) > 0) await run(Number(flags.warmup));
  const load1Before = os.loadavg()[0];
  const cpuBefore = cpuSecondsOf(pid);
  const startedUs = Number(process.hrtime.bigint() / 1000n);
  const result = await run(Number(flags.duration));
  const endedUs = Number(process.hrtime.bigint() / 1000n);
  const cpuAfter = cpuSecondsOf(pid);
  const requests = result.requests.total;
  const out = {
    requests,
    reqPerSec: Math.round(result.requests.average * 10) / 10,
    bad: result.errors + result.timeouts + result.non2xx,
    serverCpuSeconds: Math.round((cpuAfter - cpuBefore) * 100) / 100,
    cpuMsPerRequest: requests ? Math.round(((cpuAfter - cpuBefore) * 1000 * 100) / requests) / 100 : null,
    startedUs,
    endedUs,
    load1Before: Math.round(load1Before * 100) / 100,
    load1After: Math.round(os.loadavg()[0] * 100) / 100,
  };
  fs.writeFileSync(flags.out, JSON.stringify(out));
  console.log(JSON.stringify(out));
}

/** Where a profile frame belongs, by its script (the groups the profiles named). */
function groupOf(frame) {
  const url = frame.url || '';
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return name;
  if (!url) return 'native / V8 builtins';
  if (url.startsWith('wasm://')) return 'Prisma query compiler (wasm)';
  if (url.includes('/@prisma/') || url.includes('/generated/prisma/') || url.includes('query_compiler')) return 'Prisma client';
  if (url.includes('/node_modules/graphql/')) return 'graphql-js';
  if (url.includes('/node_modules/type-graphql/')) return 'type-graphql';
  if (url.includes('/node_modules/@apollo/') || url.includes('/node_modules/@as-integrations/')) return 'Apollo';
  if (url.includes('/node_modules/express') || url.includes('/node_modules/body-parser') || url.includes('/node_modules/router/')) return 'Express';
  if (url.includes('/node_modules/pg') || url.includes('/node_modules/pg-')) return 'pg driver';
  if (url.includes('/node_modules/pino')) return 'pino';
  if (url.includes('/node_modules/dataloader')) return 'dataloader';
  if (url.includes('/node_modules/zod')) return 'zod';
  if (url.includes('/node_modules/')) return `other package (${url.split('/node_modules/').pop().split('/')[0]})`;
  if (url.startsWith('node:')) return 'Node core';
  // Our code: src/ (ts-node, swc's register) or its build in .start/ (npm start), grouped alike.
  const src = url.search(/\/(src|\.start)\//);
  if (src >= 0) return `src/${url.slice(src + 1).split('/')[1]}`;
  return 'other';
}

function summary(flags) {
  const run = JSON.parse(fs.readFileSync(flags.run, 'utf8'));
  const profile = JSON.parse(fs.readFileSync(flags.profile, 'utf8'));
  const top = Number(flags.top ?? 15);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (t < run.startedUs || t > run.endedUs) continue;
    const node = byId.get(profile.samples[i]);
    if (node.callFrame.functionName === '(idle)') continue;
    selfUs.set(node, (selfUs.get(node) ?? 0) + dt);
    total += dt;
  }
  const groups = new Map();
  const functions = new Map();
  for (const [node, us] of selfUs) {
    const g = groupOf(node.callFrame);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${(f.url || '').replace(/^.*\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const msPerReq = (us) => (run.requests ? (us / 1000 / run.requests).toFixed(2) : '?');
  console.log(`${run.requests} requests, ${run.reqPerSec} req/s; server CPU (/proc) ${run.serverCpuSeconds} s = ${run.cpuMsPerRequest} ms per request; main-thread samples ${(total / 1e6).toFixed(2)} s = ${msPerReq(total)} ms per request; load ${run.load1Before}–${run.load1After}`);
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${msPerReq(us).padStart(6)} ms/req  ${g}`);
  console.log('  heaviest functions (self time):');
  for (const [f, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
}

const [command, ...rest] = process.argv.slice(2);
const flags = parseFlags(rest);
Promise.resolve()
  .then(() => {
    if (command === 'load') return load(flags);
    if (command === 'summary') return summary(flags);
    throw new Error(`unknown command ${command ?? '(none)'}: load | summary`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
