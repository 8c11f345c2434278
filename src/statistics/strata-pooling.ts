/**
 * Pooling per stratum (the equality lens): each stratum's components over the months of a
 * window, Σ numerators ÷ Σ denominators exactly as the whole population pools, and the detailed
 * codes pooled into their broad groups the same way (never an average of the codes' values).
 * The not-known codes are kept apart as a data-quality share: of the whole population's
 * numerator, how much could not be assigned to a stratum. Pure: no I/O.
 */
import { poolComponents, type PooledComponents } from './pooling';
import type { Components, ScoringType } from './scoring';
import { STRATIFIERS, type StratifierKey } from './stratifiers';

export interface StratumMonth extends Components {
  code: string;
  periodStart: string;
}

export interface PooledStratum {
  /** a stratum's code, or a broad group's */
  code: string;
  label: string;
  /** true for a broad group (ETHNICITY's WHITE, BLACK, ...) */
  group: boolean;
  notKnown: boolean;
  pooled: PooledComponents;
}

export interface PooledStrata {
  /** every code with data in the window, in the stratifier's order */
  strata: PooledStratum[];
  /** the broad groups with data, in order (none for a stratifier without groups) */
  groups: PooledStratum[];
  /** the not-known codes' share of the whole population's numerator, or null with no data */
  notKnownShare: number | null;
}

export function poolStrata(scoringType: ScoringType, stratifier: StratifierKey, months: readonly StratumMonth[], window: { from: string; to: string }): PooledStrata {
  const definition = STRATIFIERS[stratifier];
  const inWindow = months.filter((m) => m.periodStart >= window.from && m.periodStart <= window.to);
  const pool = (items: readonly Components[]) => poolComponents(scoringType, items);

  const strata: PooledStratum[] = [];
  for (const stratum of definition.strata) {
    const pooled = pool(inWindow.filter((m) => m.code === stratum.code));
    if (pooled) strata.push({ code: stratum.code, label: stratum.label, group: false, notKnown: stratum.notKnown, pooled });
  }
  const groups: PooledStratum[] = [];
  for (const group of definition.groups) {
    const codes = new Set(definition.strata.filter((s) => s.group === group.code).map((s) => s.code));
    const pooled = pool(inWindow.filter((m) => codes.has(m.code)));
    if (pooled) groups.push({ code: group.code, label: group.label, group: true, notKnown: false, pooled });
  }
  const total = strata.reduce((sum, s) => sum + s.pooled.numerator, 0);
  const notKnown = strata.filter((s) => s.notKnown).reduce((sum, s) => sum + s.pooled.numerator, 0);
  return { strata, groups, notKnownShare: strata.length === 0 || total === 0 ? null : notKnown / total };
}
