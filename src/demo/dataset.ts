/**
 * The demonstration (and benchmark) dataset: a fictional trust, its faculty's workstreams and
 * measures, and three years of monthly observations. PURE: no I/O, so it can be tested
 * without a database and rebuilt identically from a seed. load-dataset.ts writes it.
 *
 * The content is modelled on the seed documents (the 4Rs and the faculty's workstreams in
 * seed 004, the CARE course in 000, CORE fidelity item 22 in 002, the inpatient competences
 * in 003) and is clearly fictional: trust code RZZ, names invented.
 *
 * Observations are produced by a generator function so that the benchmark size (hundreds of
 * thousands of rows) never sits in memory; every call restarts from the seed and yields the
 * same rows in the same order.
 */
import type { ScoringType } from '../generated/prisma/enums';
import { addMonths, monthsBetween } from '../statistics/periods';
import { monthIndex } from './calendar';
import { DEMO_SOURCE } from './constants';
import type { SeriesContext } from './measure-models';
import { CATALOGUE_SIZE, isRecordedAt, selectMeasures, toMeasure } from './measures';
import { buildOrganisation } from './organisation';
import { buildPeople } from './people';
import { createRandom, hashSeed, type Random } from './random';
import type { Dataset, DatasetMeasure, DatasetObservation, DatasetOptions } from './types';
import { simulateUnit, type UnitState } from './unit-state';
import { buildWorkstreams, CARE_TRAINING } from './workstreams';

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

// ---------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------

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
  const measures: DatasetMeasure[] = specs.map(toMeasure);

  // One team loses three months of data (a records-system migration): missing, not zero.
  const gapTeam = frontline.find((u) => u.kind === 'EIP' && u.directorateCode === 'RZZ-RIV') ?? frontline.find((u) => u.kind === 'EIP');
  const gapMonths = new Set([rel(-15), rel(-14), rel(-13)]);
  const rrpStart = indexOf(rel(-18));

  function* observations(): Generator<DatasetObservation> {
    for (const unit of frontline) {
      const joinedIndex = (ws: string): number | null => {
        const on = membership.get(ws)?.get(unit.code);
        return on === undefined ? null : indexOf(on);
      };
      const careCohort = joinedIndex(CARE_TRAINING);
      const states = new Map<number, UnitState>();
      const openIndex = unit.opensOn ? indexOf(unit.opensOn) : -Infinity;
      for (let m = 0; m < specs.length; m += 1) {
        const spec = specs[m];
        if (!options.everyMeasureEverywhere) {
          if (spec.appliesTo === 'WARDS' && unit.type !== 'WARD') continue;
          if (spec.appliesTo === 'TEAMS' && unit.type !== 'TEAM') continue;
          if (!isRecordedAt(spec, unit, joinedIndex)) continue;
        }
        // Variants share the model but not the numbers: each variant simulates its own unit state.
        const variant = Math.floor(m / CATALOGUE_SIZE);
        let state = states.get(variant);
        if (!state) {
          state = simulateUnit(unit, periods, createRandom(hashSeed(seed, 'unit', unit.code, variant)), careCohort, rrpStart);
          states.set(variant, state);
        }
        const rng = createRandom(hashSeed(seed, 'series', spec.code, unit.code));
        const ctx: SeriesContext = { unit, rng, effect: rng.normal(), state, months, joined: joinedIndex, at: (n) => indexOf(rel(n)) };
        for (let t = 0; t < periods.length; t += 1) {
          // Draw every month even when it is skipped, so a gap does not shift the later numbers.
          const modelled = spec.model(ctx, t);
          const components =
            options.everyMeasureEverywhere && (!modelled || !Number.isFinite(modelled.numerator)) ? benchFiller(spec.scoringType, rng) : modelled;
          const periodStart = periods[t];
          if (!components || t < openIndex || (unit === gapTeam && gapMonths.has(periodStart))) continue;
          yield {
            measureCode: spec.code,
            orgUnitCode: unit.code,
            periodStart,
            numerator: components.numerator,
            denominator: components.denominator,
            source: DEMO_SOURCE,
            externalId: `${spec.code}/${unit.code}/${periodStart}`,
          };
        }
      }
    }
  }

  return {
    options: { ...options },
    periods,
    orgUnits,
    people,
    workstreams,
    measures,
    observations,
    countObservations: () => {
      let n = 0;
      const all = observations();
      for (let it = all.next(); !it.done; it = all.next()) n += 1;
      return n;
    },
  };
}

/**
 * Benchmarks only (everyMeasureEverywhere): plausible components for a measure whose model does
 * not fit the unit (bed-day measures at a community team), so every cell of the grid is filled.
 */
function benchFiller(scoringType: ScoringType, rng: Random): { numerator: number; denominator: number | null } {
  switch (scoringType) {
    case 'PROPORTION': {
      const denominator = 20 + rng.int(0, 30);
      return { numerator: rng.binomial(denominator, 0.7), denominator };
    }
    case 'RATE': {
      const denominator = 600 + rng.int(0, 400);
      return { numerator: rng.poisson(denominator * 0.03), denominator };
    }
    case 'MEAN': {
      const denominator = 10 + rng.int(0, 20);
      return { numerator: Math.round(denominator * (35 + rng.normal() * 3) * 10) / 10, denominator };
    }
    case 'COUNT':
      return { numerator: rng.poisson(8), denominator: null };
  }
}
