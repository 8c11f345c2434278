import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { boardLoaders, pairKey } from '../board/board.loaders';
import { disclosureTables } from '../board/disclosure-tables';
import { DEFAULT_SERIES_MONTHS, disclosureControlled } from '../board/series.service';
import type { Measure } from '../measures/measure.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import { buildEqualityView, windowCellKey, type EqualityResult, type StratumView } from '../statistics/equality';
import type { MonthlyPooled } from '../statistics/measure-series';
import { addMonths, financialYearStart, monthStart, type Granularity } from '../statistics/periods';
import { isStratifierKey, STRATIFIERS } from '../statistics/stratifiers';
import { equalityLoaders, strataKey } from './equality.loaders';
import type { DisparityRatio, EqualityStratum, EqualityView } from './equality.type';

export interface EqualityArgs {
  stratifier: string;
  from: string | null;
  to: string | null;
  referenceCode: string | null;
  grouped: boolean;
  granularity: Granularity;
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
  const codes = grouped ? [...definition.groups.map((g) => g.code), ...definition.strata.filter((s) => s.group === null).map((s) => s.code)] : definition.strata.map((s) => s.code);
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
