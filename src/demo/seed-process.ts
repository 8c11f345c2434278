/**
 * `npm start`'s demo seed, run in a child process (seed-child.ts) rather than in the server:
 * building and loading the dataset grew the server to about 880 MB (its objects, and PGlite's
 * WASM heap, which never shrinks), and a process that exits gives all of it back. The child
 * reads the same environment, so it opens the same database with the same settings.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client';

/** True when the database holds no org unit at all: a new installation, which the demo may seed. */
export async function isEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.orgUnit.count()) === 0;
}

/**
 * Seeds the demo in a child process and waits for it to exit. The embedded database admits one
 * process at a time: the caller closes its own handle first and reopens it after.
 */
export function seedDemoInChildProcess(): Promise<void> {
  // The same runtime as this process: node on compiled .js (npm start, dist/), or ts-node's hook on .ts.
  const entry = path.join(__dirname, `seed-child${path.extname(__filename)}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`seeding the demo failed (child exited ${code ?? signal})`))));
  });
}
