import { Arg, Args, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageFromArray, toConnection } from '../graphql/connection';
import { MeasureConnection } from '../measures/measure.type';
import { WorkstreamConnection } from '../workstreams/workstream.type';
import type { GapKind } from './coverage';
import { Coverage, CoverageCell, CoverageGap, CoverageGapConnection, CoverageGapKind } from './coverage.type';

const PAGED = `${DEFAULT_PAGE_SIZE} when \`first\` is absent, at most ${MAX_PAGE_SIZE}; cursors are the items' ids`;

/**
 * A cell's lists are connections: a cell of a wide trust can be covered by many workstreams and
 * measures, and a matrix of 100 columns multiplies each list by 400. The lists are already in the
 * computed (or cached) coverage; the pages are cut from them in memory.
 */
@Resolver(() => CoverageCell)
export class CoverageCellResolver {
  @FieldResolver(() => WorkstreamConnection, { description: `Live workstreams serving the principle in which a team or ward of this unit’s subtree takes part, by name (${PAGED}).` })
  workstreams(@Root() cell: CoverageCell, @Args() args: ConnectionArgs): WorkstreamConnection {
    return toConnection(WorkstreamConnection, pageFromArray(cell.coveringWorkstreams, args, (w) => w.dbId));
  }

  @FieldResolver(() => MeasureConnection, { description: `Live measures evidencing the principle that have recent data here or belong to a covering workstream, by name (${PAGED}).` })
  measures(@Root() cell: CoverageCell, @Args() args: ConnectionArgs): MeasureConnection {
    return toConnection(MeasureConnection, pageFromArray(cell.coveringMeasures, args, (m) => m.dbId));
  }

  @FieldResolver(() => MeasureConnection, { description: `The covering measures with recent data at this unit (pooled over its subtree), by name (${PAGED}).` })
  measuresWithRecentData(@Root() cell: CoverageCell, @Args() args: ConnectionArgs): MeasureConnection {
    return toConnection(MeasureConnection, pageFromArray(cell.recentMeasures, args, (m) => m.dbId));
  }
}

/** What a gap is about, for its cursor: the kind and the entity's id ("TEAM_IN_NO_WORKSTREAM:123"). */
function gapKey(gap: CoverageGap): string {
  const entity = gap.principle ?? gap.workstream ?? gap.orgUnit ?? gap.measure;
  return `${gap.kind}:${entity?.dbId ?? ''}`;
}

/** The gaps are a connection: a trust with thousands of teams in no workstream has as many gaps. */
@Resolver(() => Coverage)
export class CoverageGapsResolver {
  @FieldResolver(() => CoverageGapConnection, {
    description: `The gaps of the whole subtree (not only of the page’s columns), by kind then as listed (${DEFAULT_PAGE_SIZE} when \`first\` is absent, at most ${MAX_PAGE_SIZE}; \`kind\` keeps one kind).`,
  })
  gaps(@Root() coverage: Coverage, @Args() args: ConnectionArgs, @Arg('kind', () => CoverageGapKind, { nullable: true }) kind: GapKind | null): CoverageGapConnection {
    const gaps = kind ? coverage.gapList.filter((gap) => gap.kind === kind) : coverage.gapList;
    return toConnection(CoverageGapConnection, pageFromArray(gaps, args, gapKey));
  }
}
