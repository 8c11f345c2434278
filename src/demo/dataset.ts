/**
 * The demonstration (and benchmark) dataset: a fictional trust, its faculty's workstreams and
 * measures, and three years of monthly observations. PURE: no I/O, so it can be tested
 * without a database and rebuilt identically from a seed. load-dataset.ts writes it.
 *
 * The content is modelled on the seed documents (the 4Rs and the faculty's workstreams in
 * seed 004, the CARE course in 000, CORE fidelity item 22 in 002, the inpatient competences
 * in 003) and is clearly fictional: trust code RZZ, names invented.
 *
 * The fixed content is data, in data/*.json (catalogue.ts reads and checks it); the code turns
 * it into a dataset of any size:
 *
 *   organisation.ts           the org-unit tree: directorates, services, wards and teams
 *   people.ts, workstreams.ts people in their units; workstreams with their teams and dates
 *   measures.ts               the measure catalogue and its benchmark variants (CARE-MEAN-V2, ...)
 *   unit-state.ts             each unit's simulated staff, training, bed days, restrictive practice
 *   measure-models.ts         the model behind each measure's numbers
 *   generate-observations.ts  the observations, generated lazily
 *
 * Observations are produced by a generator function so that the benchmark size (hundreds of
 * thousands of rows) never sits in memory; every call restarts from the seed and yields the
 * same rows in the same order.
 */
import { addMonths, monthsBetween } from '../statistics/periods';
import { monthIndex } from './calendar';
import { observationStream } from './generate-observations';
import { selectMeasures, toMeasure } from './measures';
import { buildOrganisation } from './organisation';
import { buildFeedbackLedger } from './feedback';
import { buildPeople } from './people';
import { createRandom, hashSeed } from './random';
import type { Dataset, DatasetOptions } from './types';
import { buildWorkstreams } from './workstreams';

export {
  BENCH_OPTIONS,
  DATASET_SIZES,
  DEMO_INPATIENT_DIRECTORATE_CODE,
  DEMO_OPTIONS,
  DEMO_SMALL_WARD,
  DEMO_SOURCE,
  DEMO_TRUST_CODE,
  RESTRICTIVE_PRACTICE_MEASURE_CODES,
} from './constants';
export type {
  AppliesTo,
  Dataset,
  DatasetMeasure,
  DatasetObservation,
  DatasetOptions,
  DatasetOrgUnit,
  DatasetPerson,
  DatasetWorkstream,
  UnitKind,
} from './types';

function validateOptions(o: DatasetOptions): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(o.directorates, 1) || !whole(o.teamsPerDirectorate, 1) || !whole(o.measures, 1) || !whole(o.months, 1) || !Number.isFinite(o.seed)) {
    throw new RangeError(`Invalid dataset options: ${JSON.stringify(o)}`);
  }
}

export function buildDataset(options: DatasetOptions): Dataset {
  validateOptions(options);
  const { endPeriod, months, seed } = options;
  const periods = monthsBetween(addMonths(endPeriod, -(months - 1)), endPeriod);
  const first = monthIndex(periods[0]);
  const rel = (n: number): string => addMonths(endPeriod, n);
  const indexOf = (period: string): number => monthIndex(period) - first;

  const { orgUnits, frontline } = buildOrganisation(options, rel, createRandom(hashSeed(seed, 'structure')));
  const people = buildPeople(orgUnits, frontline);
  // Workstream membership, with each team's joining date (CARE runs cohorts, team by team).
  const { workstreams, membership } = buildWorkstreams(frontline, rel);
  const specs = selectMeasures(options.measures);
  const measures = specs.map(toMeasure);
  const observations = observationStream({ options, periods, frontline, membership, specs, rel, indexOf });

  return {
    options: { ...options },
    periods,
    orgUnits,
    people,
    workstreams,
    measures,
    feedback: buildFeedbackLedger(seed, endPeriod, frontline, people),
    observations,
    countObservations: () => {
      let n = 0;
      const all = observations();
      for (let it = all.next(); !it.done; it = all.next()) n += 1;
      return n;
    },
  };
}
