import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { measureFromRow, type Measure } from '../measures/measure.type';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import { workstreamFromRow } from '../workstreams/workstream.type';
import { commentaryKey, pairKey, boardLoaders } from './board.loaders';
import type { DrillDown, DrillDownRow, ExceptionEntry, MeasureSeries, Scorecard, ScorecardEntry, ScorecardSection } from './board.type';
import { seriesFor } from './series.service';
import { disparityFlags, wideningDisparities } from './equality.service';
import { measureLoaders } from '../measures/measure.loaders';
import { principleLoaders } from '../principles/principle.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import type { Granularity } from '../statistics/periods';

const MAX_RECENT_POINTS = 36;
const MAX_EXCEPTION_DEPTH = 3;

async function liveMeasures(ctx: RequestContext): Promise<Measure[]> {
  const rows = await ctx.prisma.measure.findMany({ where: { archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return rows.map(measureFromRow);
}

/** The latest period with data for any of these measures at these units (one batched read). */
async function latestPeriod(ctx: RequestContext, measures: Measure[], units: OrgUnit[]): Promise<string | null> {
  const series = await boardLoaders(ctx).rollupSeries.loadMany(measures.flatMap((m) => units.map((u) => pairKey(m.dbId, u.dbId))));
  let latest: string | null = null;
  for (const monthly of series) {
    if (monthly instanceof Error) throw monthly;
    const last = monthly[monthly.length - 1]?.periodStart;
    if (last && (!latest || last > latest)) latest = last;
  }
  return latest;
}

/** Says in words why the latest figure is hidden, so icons never stand beside a blank unexplained. */
export function suppressedNote(series: MeasureSeries): string | null {
  const latest = series.latest;
  if (!latest?.suppressed) return null;
  const shown = series.points.filter((p) => !p.missing && !p.suppressed).length;
  const icons = series.variationIcon || series.assuranceIcon ? `the icons rest on the ${shown} figures shown` : 'there are too few figures shown for icons';
  return `The latest figure (${latest.label}) is not shown: ${(latest.suppressionReason ?? 'small numbers.').replace(/^Suppressed: /, '')} Small numbers are hidden to protect the people they describe; ${icons}.`;
}

export async function scorecard(ctx: RequestContext, unit: OrgUnit, period: string | null, recentPoints: number, granularity: Granularity = 'MONTH'): Promise<Scorecard> {
  if (recentPoints < 1 || recentPoints > MAX_RECENT_POINTS) throw badInput(`recentPoints must be between 1 and ${MAX_RECENT_POINTS}`, 'recentPoints');
  const measures = await liveMeasures(ctx);
  const asAt = period ?? (await latestPeriod(ctx, measures, [unit]));
  const entries = await Promise.all(measures.map((measure) => scorecardEntryFor(ctx, measure, unit, asAt, recentPoints, granularity)));
  const [principleIds, workstreamIds, principles, workstreamRows] = await Promise.all([
    measureLoaders(ctx).principleIdsByMeasure.loadMany(measures.map((m) => m.dbId)),
    measureLoaders(ctx).workstreamIdsByMeasure.loadMany(measures.map((m) => m.dbId)),
    principleLoaders(ctx).allPrinciples(),
    ctx.prisma.workstream.findMany({ where: { archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  ]);
  const idsOf = (list: Array<number[] | Error>, index: number) => {
    const ids = list[index];
    if (ids instanceof Error) throw ids;
    return ids;
  };
  const principleSections: ScorecardSection[] = principles.map((principle) => ({
    principle,
    workstream: null,
    entries: entries.filter((_, i) => idsOf(principleIds, i).includes(principle.dbId)),
  }));
  const workstreamSections: ScorecardSection[] = workstreamRows
    .map((row) => ({ principle: null, workstream: workstreamFromRow(row), entries: entries.filter((_, i) => idsOf(workstreamIds, i).includes(row.id)) }))
    .filter((section) => section.entries.length > 0);
  return { orgUnit: unit, period: asAt ?? '', granularity, principles: principleSections, workstreams: workstreamSections };
}

/** Direction-aware rank of the visible values at the period (1 = best); NEITHER has no ranking. */
function rankRows(measure: Measure, rows: Array<Omit<DrillDownRow, 'rank'> & { valueAtPeriod: number | null }>): DrillDownRow[] {
  const ranked = rows
    .filter((r) => r.valueAtPeriod !== null && measure.improvementDirection !== 'NEITHER')
    .sort((a, b) => (measure.improvementDirection === 'INCREASE' ? (b.valueAtPeriod as number) - (a.valueAtPeriod as number) : (a.valueAtPeriod as number) - (b.valueAtPeriod as number)));
  const rankOf = new Map(ranked.map((r, i) => [r.orgUnit.dbId, i + 1]));
  return rows
    .map(({ valueAtPeriod: _ignored, ...row }) => ({ ...row, rank: rankOf.get(row.orgUnit.dbId) ?? null }))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.orgUnit.name.localeCompare(b.orgUnit.name));
}

export async function drillDown(ctx: RequestContext, measure: Measure, unit: OrgUnit, period: string | null): Promise<DrillDown> {
  const children = await orgUnitLoaders(ctx).orgUnitChildren.load(unit.dbId);
  const asAt = period ?? (await latestPeriod(ctx, [measure], [unit, ...children]));
  const total = await seriesFor(ctx, measure, unit, { to: asAt });
  const grandchildren = await orgUnitLoaders(ctx).orgUnitChildren.loadMany(children.map((c) => c.dbId));
  const rows = await Promise.all(
    children.map(async (child, index) => {
      const series: MeasureSeries = await seriesFor(ctx, measure, child, { to: asAt });
      const atPeriod = series.points[series.points.length - 1];
      const below = grandchildren[index];
      return {
        orgUnit: child,
        latest: series.latest,
        variationIcon: series.variationIcon,
        assuranceIcon: series.assuranceIcon,
        target: series.target,
        hasChildren: Array.isArray(below) && below.length > 0,
        series,
        valueAtPeriod: atPeriod && !atPeriod.missing ? atPeriod.value : null,
      };
    }),
  );
  return { measure, orgUnit: unit, period: asAt ?? '', total, rows: rankRows(measure, rows) };
}

export async function exceptions(ctx: RequestContext, unit: OrgUnit, depth: number, period: string | null): Promise<ExceptionEntry[]> {
  if (depth < 0 || depth > MAX_EXCEPTION_DEPTH) throw badInput(`depth must be between 0 and ${MAX_EXCEPTION_DEPTH}`, 'depth');
  const units = (
    await ctx.prisma.orgUnit.findMany({
      where: { path: { startsWith: unit.path }, depth: { lte: unit.depth + depth }, archivedAt: null },
      orderBy: [{ depth: 'asc' }, { name: 'asc' }],
    })
  ).map(orgUnitFromRow);
  const measures = await liveMeasures(ctx);
  const asAt = period ?? (await latestPeriod(ctx, measures, units));
  // All units × measures at once, so the rollups, targets and phases are read in one batch each.
  const pairs = units.flatMap((target) => measures.map((measure) => ({ target, measure })));
  const [allSeries, widening] = await Promise.all([
    Promise.all(pairs.map(({ target, measure }) => seriesFor(ctx, measure, target, { to: asAt }))),
    Promise.all(pairs.map(({ target, measure }) => (asAt === null ? [] : wideningDisparities(ctx, measure, target, asAt)))),
  ]);
  const found: ExceptionEntry[] = [];
  allSeries.forEach((s, i) => {
    const reasons = [
      ...(s.latest?.pointType === 'SPECIAL_CAUSE_CONCERN' ? ['SPECIAL_CAUSE_CONCERN'] : []),
      ...(s.assuranceIcon === 'FAIL' ? ['ASSURANCE_FAIL'] : []),
      ...(widening[i].length > 0 ? ['DISPARITY_WIDENING'] : []),
    ];
    if (reasons.length > 0) {
      found.push({ measure: s.measure, orgUnit: s.orgUnit, latest: s.latest, variationIcon: s.variationIcon, assuranceIcon: s.assuranceIcon, reasons, disparities: widening[i] });
    }
  });
  return found;
}

/**
 * One measure's scorecard entry at a unit as at a period (the scorecard's, and the board pack's
 * for measures of no principle), by month or by NHS quarter or financial year; the points then
 * are quarters or years, the one `asAt` falls in last (flagged `partial` while it is incomplete).
 */
export async function scorecardEntryFor(
  ctx: RequestContext,
  measure: Measure,
  unit: OrgUnit,
  asAt: string | null,
  recentPoints: number,
  granularity: Granularity = 'MONTH',
): Promise<ScorecardEntry> {
  const series = await seriesFor(ctx, measure, unit, { to: asAt, granularity });
  const latest = series.latest;
  return {
    measure,
    series,
    latest,
    target: series.target,
    variationIcon: series.variationIcon,
    assuranceIcon: series.assuranceIcon,
    recentPoints: series.points.slice(-recentPoints),
    note: suppressedNote(series),
    disparities: await disparityFlags(ctx, measure, unit, series.to),
    commentary: latest ? ((await boardLoaders(ctx).commentaryVersionsByKey.load(commentaryKey(measure.dbId, unit.dbId, latest.periodStart)))[0] ?? null) : null,
  };
}
