/**
 * Gathers a board pack for the reader of the request. Every figure comes from the board
 * services (scorecard, drillDown, exceptions, seriesFor) called with the request's own
 * context, so what a reader may not see in truth is already suppressed before it reaches the
 * renderers, and `ctx.prisma` reads only the reader's trusts: another trust's unit is not
 * found, exactly as a code that does not exist. Nothing here reads observations or rollups.
 */
import { isScoped, seesTrueFigures } from '../access/actor';
import type { RequestContext } from '../graphql/context';
import { cachedBoardView } from '../board/board-cache';
import { drillDown, exceptions, scorecard, scorecardEntryFor } from '../board/board.service';
import type { DrillDown, MeasureSeries, ScorecardEntry } from '../board/board.type';
import { seriesFor, type SeriesArgs } from '../board/series.service';
import { measureFromRow, type Measure } from '../measures/measure.type';
import { measureLoaders } from '../measures/measure.loaders';
import type { OrgUnit } from '../organisation/org-unit.type';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { personLoaders } from '../people/person.loaders';
import { workstreamFromRow, type Milestone, type Workstream } from '../workstreams/workstream.type';
import { workstreamLoaders } from '../workstreams/workstream.loaders';
import type { BoardPack, PackMeasure, PackReader, PackSection, PackWorkstream } from './board-pack.model';
import type { SpcChartMarker, SpcChartPhase } from './spc-chart';
import { truncate } from './svg-text';

/** Recent points on a scorecard row: a year, as the board reads it. */
export const PACK_RECENT_POINTS = 12;
/** Exceptions at the unit and one level below it (the units its drill-downs show). */
const EXCEPTION_DEPTH = 1;
const MARKER_TEXT = 120;

/** The org unit by code as this reader may see it: null for an unknown code and for another trust's unit alike. */
export async function findOrgUnit(ctx: RequestContext, code: string): Promise<OrgUnit | null> {
  return orgUnitLoaders(ctx).orgUnitByCode.load(code);
}

export async function findMeasure(ctx: RequestContext, code: string): Promise<Measure | null> {
  return measureLoaders(ctx).measureByCode.load(code);
}

/** One measure at one unit, disclosure-controlled for the reader (what /charts/spc.svg draws). */
export async function chartSeries(ctx: RequestContext, measure: Measure, unit: OrgUnit, args: SeriesArgs): Promise<{ series: MeasureSeries; phases: SpcChartPhase[] }> {
  const series = await seriesFor(ctx, measure, unit, args);
  return { series, phases: livePhases(series) };
}

function livePhases(series: MeasureSeries): SpcChartPhase[] {
  return series.phases
    .filter((phase) => !phase.archived)
    .map((phase) => ({ start: phase.periodStart.toISOString().slice(0, 10), kind: phase.kind, reason: phase.reason }))
    .sort((a, b) => a.start.localeCompare(b.start));
}

const ROLE_WORDS: Record<string, string> = {
  ADMIN: 'an administrator',
  FACULTY_LEAD: 'a faculty lead',
  BOARD: 'a board member',
  TEAM_MANAGER: 'a team manager',
  INTEGRATION: 'an integration client',
};

function readerOf(ctx: RequestContext, unit: OrgUnit): PackReader {
  const actor = ctx.actor;
  const role = ROLE_WORDS[actor.role] ?? actor.role;
  if (seesTrueFigures(actor, unit.path)) {
    return {
      role,
      trueFigures: true,
      disclosureWords:
        'Small numbers are shown as recorded, without disclosure control, because this reader may see them. ' +
        'Use this pack within the team and the trust only; for the public board papers, produce the pack with a BOARD key.',
    };
  }
  const own = isScoped(actor) && actor.scopePath !== null && actor.scopePath.startsWith(unit.path);
  return {
    role,
    trueFigures: false,
    disclosureWords:
      'Figures under NHS small-number disclosure control: a figure that could identify the people it describes is shown as * with the reason in words, ' +
      'and other figures are rounded where the measure’s rule says so.' +
      (own ? ' Your own unit’s figures, where they appear on their own, are shown as recorded.' : ''),
  };
}

/** The scorecard's entries in section order, each measure once; measures of no principle in a last section. */
function sectionsOf(principles: Array<{ principle: { name: string } | null; entries: ScorecardEntry[] }>, extra: ScorecardEntry[]): PackSection[] {
  const sections: PackSection[] = principles
    .filter((s) => s.principle !== null)
    .map((s) => ({ principle: s.principle as PackSection['principle'], title: (s.principle as { name: string }).name, entries: s.entries }));
  if (extra.length > 0) sections.push({ principle: null, title: 'Other measures', entries: extra });
  return sections;
}

/** A scorecard entry built as the scorecard builds its own, for a live measure that evidences no principle. */
function entryFor(ctx: RequestContext, measure: Measure, unit: OrgUnit, asAt: string | null): Promise<ScorecardEntry> {
  return scorecardEntryFor(ctx, measure, unit, asAt, PACK_RECENT_POINTS);
}

function settled<T>(values: Array<T | Error>): T[] {
  return values.map((value) => {
    if (value instanceof Error) throw value;
    return value;
  });
}

/** The drill-down of one measure below `unit` as at the pack's month (cached like the GraphQL view). */
export async function packDrillDown(ctx: RequestContext, measure: Measure, unit: OrgUnit, asAt: string | null): Promise<DrillDown> {
  return cachedBoardView(ctx, ['drillDown', measure.dbId, unit.dbId, asAt], () => drillDown(ctx, measure, unit, asAt));
}

/** The scorecard as at `period` (null: the latest month with data), and the as-at month it settled on. */
export async function packScorecard(ctx: RequestContext, unit: OrgUnit, period: string | null) {
  const card = await cachedBoardView(ctx, ['scorecard', unit.dbId, period, PACK_RECENT_POINTS], () => scorecard(ctx, unit, period, PACK_RECENT_POINTS));
  const principled = new Set(card.principles.flatMap((s) => s.entries.map((e) => e.measure.code)));
  const live = (await ctx.prisma.measure.findMany({ where: { archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] })).map(measureFromRow);
  const asAt = card.period || null;
  const extra = await Promise.all(live.filter((m) => !principled.has(m.code)).map((m) => entryFor(ctx, m, unit, asAt)));
  const sections = sectionsOf(card.principles, extra);
  const seen = new Set<string>();
  const entries: ScorecardEntry[] = [];
  for (const entry of sections.flatMap((s) => s.entries)) {
    if (seen.has(entry.measure.code)) continue;
    seen.add(entry.measure.code);
    entries.push(entry);
  }
  return { card, asAt, sections, entries };
}

export async function loadBoardPack(ctx: RequestContext, unit: OrgUnit, period: string | null, generatedAt: Date): Promise<BoardPack> {
  const { card, asAt, sections, entries } = await packScorecard(ctx, unit, period);
  const measures = entries.map((e) => e.measure);

  const [drillDowns, exceptionEntries, principleIds, workstreamIds, owners, workstreams] = await Promise.all([
    Promise.all(measures.map((m) => packDrillDown(ctx, m, unit, asAt))),
    cachedBoardView(ctx, ['exceptions', unit.dbId, asAt, EXCEPTION_DEPTH], () => exceptions(ctx, unit, EXCEPTION_DEPTH, asAt)),
    measureLoaders(ctx).principleIdsByMeasure.loadMany(measures.map((m) => m.dbId)).then(settled),
    measureLoaders(ctx).workstreamIdsByMeasure.loadMany(measures.map((m) => m.dbId)).then(settled),
    Promise.all(measures.map((m) => (m.ownerId === null ? null : personLoaders(ctx).personById.load(m.ownerId)))),
    packWorkstreams(ctx, unit, card.workstreams.map((s) => s.workstream).filter((w): w is Workstream => w !== null)),
  ]);

  const principleName = new Map(sections.filter((s) => s.principle).map((s) => [s.principle!.dbId, s.title]));
  const byId = new Map(workstreams.map((w) => [w.workstream.dbId, w]));
  // Milestones of workstreams the pack does not list (not this unit's) still mark the measure's chart.
  const otherIds = [...new Set(workstreamIds.flat())].filter((id) => !byId.has(id));
  const others = settled(await workstreamLoaders(ctx).workstreamById.loadMany(otherIds)).filter((w): w is Workstream => w !== null);
  const otherMilestones = settled(await workstreamLoaders(ctx).milestonesByWorkstream.loadMany(others.map((w) => w.dbId)));
  const milestonesOf = new Map<number, { workstream: Workstream; milestones: Milestone[] }>([
    ...workstreams.map((w): [number, { workstream: Workstream; milestones: Milestone[] }] => [w.workstream.dbId, w]),
    ...others.map((w, i): [number, { workstream: Workstream; milestones: Milestone[] }] => [w.dbId, { workstream: w, milestones: otherMilestones[i] }]),
  ]);

  const packMeasures: PackMeasure[] = entries.map((entry, i) => {
    const linked = workstreamIds[i].map((id) => milestonesOf.get(id)).filter((w) => w !== undefined);
    const markers: SpcChartMarker[] = linked.flatMap(({ workstream, milestones }) =>
      milestones
        .filter((m) => m.status === 'DONE' && m.completedOn)
        .map((m) => ({ period: m.completedOn!.toISOString().slice(0, 10), kind: 'MILESTONE' as const, label: truncate(`${workstream.name}: ${m.title}`, MARKER_TEXT) })),
    );
    if (entry.commentary) {
      markers.push({ period: entry.commentary.periodStart.toISOString().slice(0, 10), kind: 'COMMENTARY', label: truncate(`${entry.commentary.author}: ${entry.commentary.text}`, MARKER_TEXT) });
    }
    markers.sort((a, b) => a.period.localeCompare(b.period) || a.label.localeCompare(b.label));
    const owner = owners[i];
    return {
      entry,
      drillDown: drillDowns[i],
      owner: owner && !(owner instanceof Error) ? owner.name : null,
      principleNames: principleIds[i].map((id) => principleName.get(id)).filter((n): n is string => n !== undefined),
      workstreamNames: linked.map((w) => w.workstream.name).sort((a, b) => a.localeCompare(b)),
      phases: livePhases(entry.series),
      markers,
    };
  });

  const measureNames = new Map<number, string[]>();
  packMeasures.forEach((m, i) => {
    for (const id of workstreamIds[i]) measureNames.set(id, [...(measureNames.get(id) ?? []), m.entry.measure.name]);
  });

  const latestEnds = entries.map((e) => e.latest?.periodEnd ?? null).filter((p): p is string => p !== null);
  return {
    orgUnit: unit,
    period: card.period,
    updatedTo: latestEnds.length ? latestEnds.reduce((a, b) => (a > b ? a : b)) : null,
    generatedAt,
    reader: readerOf(ctx, unit),
    sections,
    measures: packMeasures,
    exceptions: exceptionEntries,
    workstreams: workstreams.map((w) => ({ ...w, measureNames: measureNames.get(w.workstream.dbId) ?? [] })),
  };
}

/**
 * The workstreams a pack lists: the live ones a team or ward of the unit's subtree takes part
 * in, and those whose measures the scorecard shows; with their leads and milestones.
 */
async function packWorkstreams(ctx: RequestContext, unit: OrgUnit, withMeasures: Workstream[]): Promise<Omit<PackWorkstream, 'measureNames'>[]> {
  const rows = await ctx.prisma.workstream.findMany({
    where: { archivedAt: null, OR: [{ teams: { some: { orgUnit: { path: { startsWith: unit.path } } } } }, { id: { in: withMeasures.map((w) => w.dbId) } }] },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const list = rows.map(workstreamFromRow);
  const [leads, milestones] = await Promise.all([
    workstreamLoaders(ctx).leadsByWorkstream.loadMany(list.map((w) => w.dbId)).then(settled),
    workstreamLoaders(ctx).milestonesByWorkstream.loadMany(list.map((w) => w.dbId)).then(settled),
  ]);
  return list.map((workstream, i) => ({
    workstream,
    leads: leads[i].map((l) => ({ name: l.person.name, role: l.role })),
    milestones: milestones[i],
  }));
}
