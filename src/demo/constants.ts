/**
 * The dataset's named sizes and the fixed codes other modules (demo keys, benchmarks, tests)
 * rely on. catalogue.ts checks the data files agree with them.
 */
import type { DatasetOptions } from './types';

export const DEMO_OPTIONS: DatasetOptions = { seed: 4242, directorates: 4, teamsPerDirectorate: 7, measures: 22, months: 36, endPeriod: '2026-10-01' };
/** 200 frontline units × 40 measures × 36 months, every measure at every unit (≈288k observations). */
export const BENCH_OPTIONS: DatasetOptions = { seed: 4242, directorates: 8, teamsPerDirectorate: 25, measures: 40, months: 36, endPeriod: '2026-10-01', everyMeasureEverywhere: true };

/** The named sizes scripts accept: the demo, the benchmark grid, and ten times its teams. */
export const DATASET_SIZES: Record<'demo' | 'bench' | 'bench10x', DatasetOptions> = {
  demo: DEMO_OPTIONS,
  bench: BENCH_OPTIONS,
  bench10x: { ...BENCH_OPTIONS, teamsPerDirectorate: BENCH_OPTIONS.teamsPerDirectorate * 10 },
};

export const DEMO_TRUST_CODE = 'RZZ';
/** The small rehabilitation ward of the demo (6 beds): its numbers are small enough to be suppressed. */
export const DEMO_SMALL_WARD = { code: 'RZZ-ACU-W07', name: 'Larch Rehabilitation Ward' } as const;
/** The directorate holding the wards (restrictive-practice data comes from here). */
export const DEMO_INPATIENT_DIRECTORATE_CODE = 'RZZ-ACU';
export const RESTRICTIVE_PRACTICE_MEASURE_CODES = ['RESTRICTIVE-RATE', 'RESTRICTIVE-PEOPLE', 'SECLUSION-RATE', 'RAPID-TRANQ-RATE'] as const;
export const DEMO_SOURCE = 'demo-seed';
