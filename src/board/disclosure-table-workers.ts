import path from 'node:path';
import Piscina from 'piscina';
import type { Logger } from '../logger';
import { buildDisclosureTable, tableOfVerdicts, type DisclosureTable, type UnitFigures } from '../statistics/disclosure-table';
import type { DisclosureRule } from '../statistics/suppression';
import type { ScoringType } from '../statistics/scoring';
import type { TableTask } from './disclosure-table.worker';

/**
 * Large disclosure tables are built on worker threads. A stratified measure of a large trust takes
 * seconds of CPU (8.8 s on the 10× bench data), and on the main thread every other request, a
 * health check included, would wait behind it. Small tables stay on the request's thread: posting
 * the figures and starting a thread would cost more than the build.
 *
 * The pool (piscina) starts its threads on first use and lets them go after a minute idle, so an
 * installation that never builds a large table never holds one.
 */
const IDLE_MS = 60_000;
let pool: Piscina | null = null;
let poolThreads = 0;
/** builds finished by pools since closed */
let completedBefore = 0;

/** How many figures (months of wholes and strata, over every unit) a table's inputs hold. */
export function figuresOf(units: readonly UnitFigures[]): number {
  let figures = 0;
  for (const unit of units) {
    figures += unit.months.length;
    for (const stratum of unit.strata ?? []) figures += stratum.months.length;
  }
  return figures;
}

function workerPool(threads: number): Piscina {
  if (pool && poolThreads === threads) return pool;
  if (pool) {
    completedBefore += pool.completed;
    void pool.destroy();
  }
  const compiled = path.extname(__filename) === '.js';
  pool = new Piscina({
    filename: path.join(__dirname, `disclosure-table.worker${compiled ? '.js' : '.ts'}`),
    // Under ts-node (npm start, the tests) the worker compiles its few pure modules the same way.
    execArgv: compiled ? [] : ['--require', 'ts-node/register/transpile-only'],
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: IDLE_MS,
  });
  poolThreads = threads;
  return pool;
}

export interface TableBuildSettings {
  /** worker threads for large tables; 0: every table on the request's thread */
  threads: number;
  /** tables with at least this many figures go to a worker */
  minFigures: number;
}

/** Whether this table is built on a worker: it is large, threads are allowed, and it has a rule to apply. */
export function buildsOnWorker(units: readonly UnitFigures[], rule: DisclosureRule, settings: TableBuildSettings): boolean {
  return rule.kind !== 'NONE' && settings.threads > 0 && figuresOf(units) >= settings.minFigures;
}

/**
 * The measure's table, built on a worker thread (see buildsOnWorker for when). A worker that
 * cannot start or fails falls back to building here (logged): the verdicts are the same, only the
 * event loop pays.
 */
export async function buildOnWorker(scoringType: ScoringType, units: UnitFigures[], rule: DisclosureRule, threads: number, logger: Logger): Promise<DisclosureTable> {
  const task: TableTask = { scoringType, units, rule };
  try {
    return tableOfVerdicts(await workerPool(threads).run(task));
  } catch (error) {
    logger.warn({ err: error }, 'a disclosure table could not be built on a worker thread; building it on the main thread');
    return buildDisclosureTable(scoringType, units, rule);
  }
}

/** The measure's table: on a worker when buildsOnWorker says so, else here. */
export function buildTable(scoringType: ScoringType, units: UnitFigures[], rule: DisclosureRule, settings: TableBuildSettings, logger: Logger): Promise<DisclosureTable> {
  return buildsOnWorker(units, rule, settings) ? buildOnWorker(scoringType, units, rule, settings.threads, logger) : Promise.resolve(buildDisclosureTable(scoringType, units, rule));
}

/** How many tables the worker threads have built in this process (for tests and metrics). */
export function tableWorkerBuilds(): number {
  return completedBefore + (pool?.completed ?? 0);
}

/** Stops the pool's threads (tests, shutdown); the next large build starts them again. */
export async function closeTableWorkers(): Promise<void> {
  const closing = pool;
  completedBefore += closing?.completed ?? 0;
  pool = null;
  poolThreads = 0;
  await closing?.destroy();
}
