/**
 * The simulated life of one frontline unit over the window: headcount, CARE training, bed days
 * and restrictive practice. Several measures read the same state (restraint counts and their
 * rate, trained staff and the CARE score), so their numbers agree with each other.
 */
import { clamp, daysInMonth } from './calendar';
import type { FrontlineUnit } from './organisation';
import type { Random } from './random';
import type { UnitKind } from './types';

export interface UnitState {
  staff: number[];
  trained: number[];
  completions: number[];
  bedDays: number[];
  /** inpatients at the month's end (wards) */
  occupied: number[];
  restrictive: number[];
  restrictivePeople: number[];
  seclusion: number[];
  rapidTranq: number[];
}

const RESTRICTIVE_RATES: Partial<Record<UnitKind, { all: number; seclusion: number; rapidTranq: number }>> = {
  ACUTE_WARD: { all: 45, seclusion: 5, rapidTranq: 10 },
  PICU: { all: 140, seclusion: 45, rapidTranq: 35 },
  REHAB_WARD: { all: 14, seclusion: 0.8, rapidTranq: 1.5 },
};

export function simulateUnit(unit: FrontlineUnit, periods: string[], rng: Random, careCohort: number | null, rrpStart: number): UnitState {
  const months = periods.length;
  const s: UnitState = { staff: [], trained: [], completions: [], bedDays: [], occupied: [], restrictive: [], restrictivePeople: [], seclusion: [], rapidTranq: [] };
  let staff = unit.staff;
  let trained = rng.binomial(staff, 0.06);
  const rates = RESTRICTIVE_RATES[unit.kind];
  const wardEffect = Math.exp(rng.normal(0, unit.kind === 'ACUTE_WARD' ? 0.25 : 0.12));
  for (let t = 0; t < months; t += 1) {
    // Headcount wanders a little around establishment.
    if (rng.chance(0.3)) staff = clamp(staff + (rng.chance(0.5) ? 1 : -1), Math.max(4, unit.staff - 4), unit.staff + 4);
    const leavers = rng.binomial(trained, 0.012);
    const untrained = Math.max(0, staff - (trained - leavers));
    let completions: number;
    if (careCohort !== null && t === careCohort) completions = rng.binomial(untrained, 0.6); // the team's cohort
    else if (careCohort !== null && t > careCohort) completions = Math.min(untrained, rng.poisson(0.5)); // new starters
    else completions = Math.min(untrained, rng.poisson(0.1 + 0.2 * (t / months))); // individuals on open courses
    trained = clamp(trained - leavers + completions, 0, staff);
    s.staff.push(staff);
    s.trained.push(trained);
    s.completions.push(completions);

    if (unit.type === 'WARD' && rates) {
      const occupancy = clamp(rng.normal(0.93, 0.03), 0.85, 1);
      const bedDays = Math.round(unit.beds * daysInMonth(periods[t]) * occupancy);
      const fall = unit.pattern === 'FALL' && t >= rrpStart;
      const factor = wardEffect * (fall ? 0.6 : 1) * (unit.pattern === 'RISE' && t >= months - 9 ? 1.35 : 1);
      const restrictive = rng.poisson((rates.all * factor * bedDays) / 1000);
      const people = restrictive === 0 ? 0 : Math.min(restrictive, unit.beds * 2, 1 + rng.binomial(restrictive - 1, unit.kind === 'PICU' ? 0.3 : 0.4));
      s.bedDays.push(bedDays);
      s.occupied.push(Math.max(1, Math.round(unit.beds * occupancy)));
      s.restrictive.push(restrictive);
      s.restrictivePeople.push(people);
      s.seclusion.push(rng.poisson((rates.seclusion * wardEffect * (fall ? 0.7 : 1) * bedDays) / 1000));
      s.rapidTranq.push(rng.poisson((rates.rapidTranq * wardEffect * (fall ? 0.65 : 1) * bedDays) / 1000));
    }
  }
  return s;
}
