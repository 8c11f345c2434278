/**
 * The observations: every measure at every unit where it is recorded, month by month, produced
 * lazily so the benchmark sizes (millions of rows) never sit in memory. Every pass restarts
 * from the seed and yields the same rows in the same order.
 */
import type { ScoringType } from '../generated/prisma/enums';
import type { Components } from '../statistics/scoring';
import { DEMO_SOURCE } from './constants';
import { isRecordedAt, CATALOGUE_SIZE, type MeasureSpec } from './measures';
import type { SeriesContext } from './measure-models';
import type { FrontlineUnit } from './organisation';
import { createRandom, hashSeed, type Random } from './random';
import type { DatasetObservation, DatasetOptions } from './types';
import { simulateUnit, type UnitState } from './unit-state';
import { CARE_TRAINING, type Membership } from './workstreams';
import { splitIntoStrata, STRATIFIED_MEASURES } from './strata';

const RRP = 'REDUCING-RESTRICTIVE-PRACTICE';

export interface ObservationPlan {
  options: DatasetOptions;
  periods: string[];
  frontline: FrontlineUnit[];
  membership: Membership;
  specs: MeasureSpec[];
  /** the period n months from the end */
  rel(n: number): string;
  /** a period's month index in the window (0 is the first) */
  indexOf(period: string): number;
}

export function observationStream(plan: ObservationPlan): () => Generator<DatasetObservation> {
  const { options, periods, frontline, membership, specs, rel, indexOf } = plan;
  const { seed, months } = options;

  // One team loses three months of data (a records-system migration): missing, not zero.
  const gapTeam = frontline.find((u) => u.kind === 'EIP' && u.directorateCode === 'RZZ-RIV') ?? frontline.find((u) => u.kind === 'EIP');
  const gapMonths = new Set([rel(-15), rel(-14), rel(-13)]);
  // The reducing-restrictive-practice work starts to show on the responding wards from here.
  const rrpStart = indexOf(rel(-18));

  return function* observations(): Generator<DatasetObservation> {
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
          // The equality lens: a stratified measure's ward rows split into their strata (strata.ts).
          const stratifiers = unit.type === 'WARD' ? STRATIFIED_MEASURES[spec.code] : undefined;
          if (stratifiers) {
            const joined = unit.firstOfFamily ? joinedIndex(RRP) : null;
            const narrowing = joined === null ? 0 : Math.min(1, Math.max(0, (t - joined) / 12));
            const strataRng = createRandom(hashSeed(seed, 'strata', spec.code, unit.code, periodStart));
            for (const stratum of splitIntoStrata(stratifiers, components, strataRng, narrowing)) {
              yield {
                measureCode: spec.code,
                orgUnitCode: unit.code,
                periodStart,
                numerator: stratum.numerator,
                denominator: stratum.denominator,
                source: DEMO_SOURCE,
                externalId: `${spec.code}/${unit.code}/${periodStart}/${stratum.stratifier}/${stratum.code}`,
                stratum: { stratifier: stratum.stratifier, code: stratum.code },
              };
            }
          }
        }
      }
    }
  };
}

/**
 * Benchmarks only (everyMeasureEverywhere): plausible components for a measure whose model does
 * not fit the unit (bed-day measures at a community team), so every cell of the grid is filled.
 */
function benchFiller(scoringType: ScoringType, rng: Random): Components {
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
