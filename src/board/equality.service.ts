import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { boardLoaders, pairKey } from './board.loaders';
import { disclosureTables } from './disclosure-tables';
import { DEFAULT_SERIES_MONTHS, disclosureControlled } from './series.service';
import type { Measure } from '../measures/measure.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import { buildEqualityView, windowCellKey, type EqualityResult, type StratumView } from '../statistics/equality';
import type { MonthlyPooled } from '../statistics/measure-series';
import { addMonths, financialYearStart, monthStart, type Granularity } from '../statistics/periods';
import { isStratifierKey, STRATIFIERS } from '../statistics/stratifiers';
import { equalityLoaders, strataKey } from './equality.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import type { DisparityFlag, DisparityRatio, EqualityStratum, EqualityView } from './equality.type';

export interface EqualityArgs {
  stratifier: string;
  from: string | null;
  to: string | null;
  referenceCode: string | null;
  grouped: boolean;
  granularity: Granularity;
  /** false: no series (see statistics/equality.ts) */
  withSeries?: boolean;
}

/**
 * A measure at an org unit split by one stratifier, for this reader: pooled from the strata
 * of the unit's subtree, under the measure's one disclosure table when the reader may not see
 * the unit's true figures (statistics/equality.ts says what that withholds, and why).
 */
export async function equalityFor(ctx: RequestContext, measure: Measure, unit: OrgUnit, args: EqualityArgs): Promise<EqualityView> {
  const { stratifier } = args;
  if (!isStratifierKey(stratifier)) throw badInput(`"${stratifier}" is not a stratifier: use one of ${Object.keys(STRATIFIERS).join(', ')}`, 'stratifier');
  if (!measure.stratifiers.includes(stratifier)) {
    throw badInput(`${measure.code} is not reported by ${stratifier}: its stratifiers are ${measure.stratifiers.join(', ') || 'none'}`, 'stratifier');
  }
  const definition = STRATIFIERS[stratifier];
  const grouped = args.grouped && definition.groups.length > 0;
  if (args.grouped && !grouped) throw badInput(`${stratifier} has no broad groups`, 'grouped');
  const codes = codesOf(stratifier, grouped);
  if (args.referenceCode !== null && !codes.includes(args.referenceCode)) {
    throw badInput(`"${args.referenceCode}" is not a ${grouped ? `${stratifier} broad group or ungrouped code` : `${stratifier} code`}: use one of ${codes.join(', ')}`, 'referenceCode');
  }
  if (args.referenceCode !== null && definition.strata.find((s) => s.code === args.referenceCode)?.notKnown) {
    throw badInput('A not-known code cannot be the reference stratum', 'referenceCode');
  }

  const key = pairKey(measure.dbId, unit.dbId);
  const [strata, phases, whole] = await Promise.all([
    equalityLoaders(ctx).strataBySubtree.load(strataKey(measure.dbId, unit.dbId, stratifier)),
    boardLoaders(ctx).phasesByPair.load(key),
    boardLoaders(ctx).rollupSeries.load(key),
  ]);
  const latest = strata.reduce<string | null>((max, s) => (s.periods.length > 0 && (max === null || s.periods[s.periods.length - 1] > max) ? s.periods[s.periods.length - 1] : max), null);
  const to = args.to ?? latest ?? addMonths(monthStart(new Date()), -1);
  // By default the financial year to date: a cell of every disclosure table, and the board's habit.
  let from = args.from ?? financialYearStart(to);
  if (from > to) throw badInput('`from` must not be after `to`', 'from');
  const controlled = disclosureControlled(ctx, unit);
  const suppressing = controlled && measure.disclosureRule.kind !== 'NONE';
  let windowNote: string | null = null;
  if (suppressing && windowCellKey(from, to) === null) {
    windowNote = `Under disclosure control figures are given for a month, a quarter, a financial year or a year to date; the window ${from} to ${to} was changed to the year to date from ${financialYearStart(to)}.`;
    from = financialYearStart(to);
  }
  const table = suppressing ? await disclosureTables(ctx).load(measure) : null;
  const livePhases = phases.filter((p) => !p.archived);
  const baseline = livePhases.filter((p) => p.kind === 'BASELINE' && p.periodEnd).at(-1);

  const monthly = strata.map((s) => ({
    code: s.code,
    months: s.periods.map((periodStart, i): MonthlyPooled => ({ periodStart, numerator: s.numerators[i], denominator: s.denominators[i], contributors: s.contributors[i] })),
  }));
  const firstWithData = monthly.flatMap((s) => s.months.slice(0, 1).map((m) => m.periodStart)).sort()[0];
  const defaultSeriesFrom = addMonths(to, -(DEFAULT_SERIES_MONTHS - 1));
  const seriesFrom = firstWithData && firstWithData > defaultSeriesFrom && firstWithData <= to ? firstWithData : defaultSeriesFrom;

  const result = buildEqualityView({
    stratifier,
    grouped,
    referenceCode: args.referenceCode,
    window: { from, to },
    series: { from: seriesFrom, granularity: args.granularity },
    definition: {
      scoringType: measure.scoringType,
      multiplier: measure.multiplier,
      improvementDirection: measure.improvementDirection,
      baselineStart: baseline ? baseline.periodStart.toISOString().slice(0, 10) : null,
      baselineEnd: baseline ? (baseline.periodEnd as Date).toISOString().slice(0, 10) : null,
      recalculations: livePhases.filter((p) => p.kind === 'RECALCULATION').map((p) => p.periodStart.toISOString().slice(0, 10)),
    },
    strata: monthly,
    withSeries: args.withSeries,
    whole,
    disclosure: table ? { rule: measure.disclosureRule, suppression: (cell) => table.suppression(unit.dbId, cell) } : null,
  });
  return toView(measure, unit, { stratifier, grouped, from, to, granularity: args.granularity, windowNote, controlled }, result);
}

function ratioOf(ratio: StratumView['ratioToReference']): DisparityRatio | null {
  if (!ratio) return null;
  return { value: ratio.value, lower: ratio.lower, upper: ratio.upper, significant: ratio.significant, reason: 'reason' in ratio ? ratio.reason : null };
}

interface ViewFacts {
  stratifier: string;
  grouped: boolean;
  from: string;
  to: string;
  granularity: Granularity;
  windowNote: string | null;
  controlled: boolean;
}

function toView(measure: Measure, unit: OrgUnit, facts: ViewFacts, result: EqualityResult): EqualityView {
  const { stratifier, grouped, from, to, windowNote, controlled } = facts;
  const strata = result.strata.map(
    (s): EqualityStratum => ({
      code: s.code,
      label: s.label,
      group: s.group,
      notKnown: s.notKnown,
      isReference: s.isReference,
      value: s.window.value,
      numerator: s.window.numerator,
      denominator: s.window.denominator,
      suppressed: s.window.suppressed,
      suppressionReason: s.window.suppressionReason,
      missing: s.window.missing,
      ratioToReference: ratioOf(s.ratioToReference),
      series: { granularity: facts.granularity, from: s.series.points[0]?.periodStart ?? from, to, points: s.series.points as EqualityStratum['series']['points'], variationIcon: s.series.variationIcon },
      ratioSeries: s.ratioSeries.map((p) => ({ periodStart: p.periodStart, label: p.label, ratio: ratioOf(p.ratio) as DisparityRatio })),
    }),
  );
  return {
    measure,
    orgUnit: unit,
    stratifier,
    grouped,
    whole: result.whole,
    reference: result.reference,
    from,
    to,
    windowNote,
    disclosureControlled: controlled,
    strata,
    notKnownShare: result.notKnownShare.value,
    notKnownShareWithheldReason: result.notKnownShare.withheldReason,
    anySignificant: result.strata.some((s) => s.ratioToReference?.significant === true),
  };
}

/** The stratifier a board reads first: ETHNICITY by its broad groups (PCREF), the others by their codes. */
function boardReading(stratifier: string): boolean {
  return STRATIFIERS[stratifier as keyof typeof STRATIFIERS]?.groups.length > 0;
}

/**
 * The scorecard's flags for a stratified measure: each stratum whose ratio to the reference,
 * over the financial year to date at `to`, has an interval that excludes 1 (for this reader,
 * so under disclosure control only ratios of shown figures can flag).
 */
export async function disparityFlags(ctx: RequestContext, measure: Measure, unit: OrgUnit, to: string): Promise<DisparityFlag[]> {
  if (measure.stratifiers.length === 0) return [];
  const views = await Promise.all(
    measure.stratifiers.map((stratifier) =>
      equalityFor(ctx, measure, unit, { stratifier, from: null, to, referenceCode: null, grouped: boardReading(stratifier), granularity: 'MONTH', withSeries: false }),
    ),
  );
  return views.flatMap((view) =>
    view.strata
      .filter((s) => s.ratioToReference?.significant)
      .map((s) => ({ stratifier: view.stratifier, code: s.code, label: s.label, reference: view.reference, from: view.from, to: view.to, ratio: s.ratioToReference as DisparityRatio, widening: false })),
  );
}

/**
 * Widening disparities, for the exceptions: a stratum whose ratio to the reference, by quarter,
 * excludes 1 in the latest complete quarter and has risen in each of the two before it.
 */
export async function wideningDisparities(ctx: RequestContext, measure: Measure, unit: OrgUnit, to: string): Promise<DisparityFlag[]> {
  if (measure.stratifiers.length === 0) return [];
  const views = await Promise.all(
    measure.stratifiers.map((stratifier) =>
      equalityFor(ctx, measure, unit, { stratifier, from: null, to, referenceCode: null, grouped: boardReading(stratifier), granularity: 'QUARTER' }),
    ),
  );
  const flags: DisparityFlag[] = [];
  for (const view of views) {
    for (const s of view.strata) {
      const complete = s.ratioSeries.filter((_, i) => s.series.points[i]?.monthsWithData === 3);
      const [a, b, c] = complete.slice(-3).map((p) => p.ratio);
      if (!a || !b || !c || a.value === null || b.value === null || c.value === null) continue;
      if (c.significant && a.value < b.value && b.value < c.value) {
        const quarter = complete[complete.length - 1];
        flags.push({ stratifier: view.stratifier, code: s.code, label: s.label, reference: view.reference, from: quarter.periodStart, to: s.series.points.find((p) => p.periodStart === quarter.periodStart)?.periodEnd ?? quarter.periodStart, ratio: c, widening: true });
      }
    }
  }
  return flags;
}

export type EqualityRanking = 'VALUE_BEST_FIRST' | 'RATIO_WIDEST_FIRST';

/**
 * One stratum across the children of an org unit, ranked: by its value (best first, as the
 * measure's direction says) or by its ratio to the reference (the widest gap against the
 * stratum first: the highest ratio for a measure that should fall, the lowest for one that
 * should rise). Ranks rest on shown figures only; a suppressed or missing row has no rank.
 */
export async function equalityDrillDown(
  ctx: RequestContext,
  measure: Measure,
  unit: OrgUnit,
  args: EqualityArgs & { code: string; rankBy: EqualityRanking },
): Promise<{ total: EqualityView; rows: Array<{ orgUnit: OrgUnit; rank: number | null; stratum: EqualityStratum | null; view: EqualityView }> }> {
  const total = await equalityFor(ctx, measure, unit, { ...args, withSeries: false });
  if (!codesOf(args.stratifier, total.grouped).includes(args.code)) {
    throw badInput(`"${args.code}" is not a ${args.stratifier}${total.grouped ? ' broad group or ungrouped' : ''} code`, 'code');
  }
  const children = await orgUnitLoaders(ctx).orgUnitChildren.load(unit.dbId);
  // The parent's window for every child, so the rows compare like with like.
  const views = await Promise.all(children.map((child) => equalityFor(ctx, measure, child, { ...args, from: total.from, to: total.to, withSeries: false })));
  const rows = children.map((orgUnit, i) => ({ orgUnit, view: views[i], stratum: views[i].strata.find((s) => s.code === args.code) ?? null, rank: null as number | null }));
  const score = (row: (typeof rows)[number]): number | null => {
    if (!row.stratum || row.stratum.suppressed || row.stratum.missing) return null;
    if (args.rankBy === 'VALUE_BEST_FIRST') {
      const v = row.stratum.value;
      if (v === null || measure.improvementDirection === 'NEITHER') return null;
      return measure.improvementDirection === 'INCREASE' ? -v : v;
    }
    const r = row.stratum.ratioToReference?.value ?? null;
    if (r === null) return null;
    return measure.improvementDirection === 'INCREASE' ? r : -r;
  };
  const ranked = rows.map((row) => ({ row, score: score(row) })).filter((x): x is { row: (typeof rows)[number]; score: number } => x.score !== null);
  ranked.sort((a, b) => a.score - b.score || a.row.orgUnit.name.localeCompare(b.row.orgUnit.name));
  ranked.forEach((x, i) => (x.row.rank = i + 1));
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.orgUnit.name.localeCompare(b.orgUnit.name));
  return { total, rows };
}

function codesOf(stratifier: string, grouped: boolean): string[] {
  if (!isStratifierKey(stratifier)) return [];
  const definition = STRATIFIERS[stratifier];
  return grouped ? [...definition.groups.map((g) => g.code), ...definition.strata.filter((s) => s.group === null).map((s) => s.code)] : definition.strata.map((s) => s.code);
}
