import { seesTrueFigures } from '../access/actor';
import type { RequestContext } from '../graphql/context';
import { badInput, notFound } from '../graphql/errors';
import { addMonths, isPeriodStart, monthStart, type Granularity } from '../statistics/periods';
import { buildSeries } from '../statistics/measure-series';
import type { Measure, MeasureTarget } from '../measures/measure.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import { pairKey, boardLoaders } from './board.loaders';
import type { MeasureSeries, SeriesPoint } from './board.type';
import { measureLoaders } from '../measures/measure.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { disclosureTables } from './disclosure-tables';
import { cachedSeries, type ComputedSeries } from './series-cache';

/** A board reads three years by default: enough for SPC and for the year-on-year view. */
export const DEFAULT_SERIES_MONTHS = 36;
const MAX_SERIES_MONTHS = 240;

export interface SeriesArgs {
  from?: string | null;
  to?: string | null;
  granularity?: Granularity | null;
  /** Instead of `from`: the `last` months ending at `to` (the window `series(from: to − (last − 1), to)` shows). */
  last?: number | null;
}

/** Small multiples read at most this many units in one field (a page's worth). */
export const MAX_MULTIPLE_UNITS = 100;

/** Accepts a Date (the Date scalar) or a string, insisting on the first day of a month. */
export function periodArg(value: Date | string, argument: string): string;
export function periodArg(value: Date | string | null | undefined, argument: string): string | null;
export function periodArg(value: Date | string | null | undefined, argument: string): string | null {
  if (value == null) return null;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (!isPeriodStart(text)) throw badInput(`\`${argument}\` must be the first day of a month (YYYY-MM-01), got ${text}`, argument);
  return text;
}

/** The target that applies at a unit: its own, else its nearest ancestor's, else the trust-wide one. */
export function targetAt(targets: readonly MeasureTarget[], unit: OrgUnit): number | null {
  const ancestry = unit.path.split('/').filter(Boolean).map(Number);
  for (let i = ancestry.length - 1; i >= 0; i--) {
    const own = targets.find((t) => t.orgUnitId === ancestry[i]);
    if (own) return own.value;
  }
  return targets.find((t) => t.orgUnitId === null)?.value ?? null;
}

/** Whether this reader sees the unit's figures under disclosure control. */
export function disclosureControlled(ctx: RequestContext, unit: OrgUnit): boolean {
  return !seesTrueFigures(ctx.actor, unit.path);
}

/**
 * The series of a measure at an org unit, pooled over its subtree (from the rollups), with SPC,
 * target, assurance and disclosure control for this reader. Without `to`, it ends at the
 * latest period with data (board views pass their as-at month as `to`).
 */
export async function seriesFor(ctx: RequestContext, measure: Measure, unit: OrgUnit, args: SeriesArgs): Promise<MeasureSeries> {
  const controlled = disclosureControlled(ctx, unit);
  const computed = await cachedSeries(ctx, [measure.dbId, unit.dbId, controlled, args.from, args.to, args.last, args.granularity], () => computeSeries(ctx, measure, unit, args, controlled));
  return { measure, orgUnit: unit, ...computed };
}

async function computeSeries(ctx: RequestContext, measure: Measure, unit: OrgUnit, args: SeriesArgs, controlled: boolean): Promise<ComputedSeries> {
  const key = pairKey(measure.dbId, unit.dbId);
  const [monthly, targets, phases] = await Promise.all([
    boardLoaders(ctx).rollupSeries.load(key),
    measureLoaders(ctx).targetsByMeasure.load(measure.dbId),
    boardLoaders(ctx).phasesByPair.load(key),
  ]);
  const to = args.to ?? monthly.at(-1)?.periodStart ?? addMonths(monthStart(new Date()), -1);
  // By default the 36 months to `to`, but not before the data begins: a young measure shows no empty year.
  const firstWithData = monthly[0]?.periodStart;
  const defaultFrom = addMonths(to, -(DEFAULT_SERIES_MONTHS - 1));
  const from = args.from ?? (args.last ? addMonths(to, -(args.last - 1)) : null) ?? (firstWithData && firstWithData > defaultFrom && firstWithData <= to ? firstWithData : defaultFrom);
  if (from > to) throw badInput('`from` must not be after `to`', 'from');
  if (addMonths(from, MAX_SERIES_MONTHS) <= to) throw badInput(`A series spans at most ${MAX_SERIES_MONTHS} months`, 'from');

  const livePhases = phases.filter((p) => !p.archived);
  const baselines = livePhases.filter((p) => p.kind === 'BASELINE' && p.periodEnd);
  const granularity = args.granularity ?? 'MONTH';
  const rule = measure.disclosureRule;
  const table = controlled && rule.kind !== 'NONE' ? await disclosureTables(ctx).load(measure) : null;
  const target = targetAt(targets, unit);
  const baseline = baselines.at(-1);
  const result = buildSeries(
    monthly,
    {
      scoringType: measure.scoringType,
      multiplier: measure.multiplier,
      improvementDirection: measure.improvementDirection,
      periodicity: measure.periodicity,
      target,
      baselineStart: baseline ? baseline.periodStart.toISOString().slice(0, 10) : null,
      baselineEnd: baseline ? (baseline.periodEnd as Date).toISOString().slice(0, 10) : null,
      recalculations: livePhases.filter((p) => p.kind === 'RECALCULATION').map((p) => p.periodStart.toISOString().slice(0, 10)),
    },
    { from, to, granularity, disclosure: table ? { rule, suppression: (key) => table.suppression(unit.dbId, key) } : null },
  );
  const points = result.points as SeriesPoint[];
  return {
    granularity,
    from,
    to,
    points,
    variationIcon: result.variationIcon,
    assuranceIcon: result.assuranceIcon,
    target: result.target,
    disclosureControlled: controlled,
    phases,
    latest: [...points].reverse().find((p) => !p.missing) ?? null,
    yearToDate: result.yearToDate,
  };
}

export interface MultiplesArgs extends SeriesArgs {
  orgUnitCodes?: readonly string[] | null;
  childrenOf?: string | null;
}

/**
 * The org units of a small multiple: the codes in the order given (each once), or the children
 * of a unit in id order (as `OrgUnit.children` lists them). A code this reader cannot see (none,
 * or another trust's) is NOT_FOUND, as `Measure.series` answers it. One statement for the codes
 * (or two for a parent and its children), whatever their number.
 */
export async function multipleUnits(ctx: RequestContext, args: MultiplesArgs): Promise<OrgUnit[]> {
  const byCodes = args.orgUnitCodes != null;
  if (byCodes === (args.childrenOf != null)) throw badInput('Give exactly one of `orgUnitCodes` and `childrenOf`', byCodes ? 'childrenOf' : 'orgUnitCodes');
  if (args.last != null) {
    if (args.from != null) throw badInput('Give `from` or `last`, not both', 'last');
    if (!Number.isInteger(args.last) || args.last < 1 || args.last > MAX_SERIES_MONTHS) throw badInput(`\`last\` is a number of months from 1 to ${MAX_SERIES_MONTHS}`, 'last');
  }
  const loaders = orgUnitLoaders(ctx);
  let units: OrgUnit[];
  if (byCodes) {
    const codes = [...new Set(args.orgUnitCodes)];
    if (codes.length > MAX_MULTIPLE_UNITS) throw badInput(`At most ${MAX_MULTIPLE_UNITS} org units in one call, got ${codes.length}`, 'orgUnitCodes');
    const found = await Promise.all(codes.map((code) => loaders.orgUnitByCode.load(code)));
    const missing = codes.find((_, i) => !found[i]);
    if (missing !== undefined) throw notFound(`No org unit has code "${missing}"`);
    units = found as OrgUnit[];
  } else {
    const parent = await loaders.orgUnitByCode.load(args.childrenOf as string);
    if (!parent) throw notFound(`No org unit has code "${args.childrenOf}"`);
    units = await loaders.orgUnitChildren.load(parent.dbId);
    if (units.length > MAX_MULTIPLE_UNITS) throw badInput(`${args.childrenOf} has ${units.length} children, more than the ${MAX_MULTIPLE_UNITS} one call reads: name them in pages with \`orgUnitCodes\``, 'childrenOf');
  }
  return units;
}

/**
 * One measure's series at many org units, each exactly what `seriesFor` gives that unit (the
 * same disclosure control, per unit, for this reader). Every series starts before any awaits
 * its data, so the request's loaders read the rollups, targets, phases and disclosure table of
 * all the units in one statement each.
 */
export async function seriesByOrgUnit(ctx: RequestContext, measure: Measure, args: MultiplesArgs): Promise<MeasureSeries[]> {
  const units = await multipleUnits(ctx, args);
  const { from, to, granularity, last } = args;
  return Promise.all(units.map((unit) => seriesFor(ctx, measure, unit, { from, to, granularity, last })));
}
