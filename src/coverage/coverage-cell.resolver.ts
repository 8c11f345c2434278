import { Args, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageFromArray, toConnection } from '../graphql/connection';
import { MeasureConnection } from '../measures/measure.type';
import { WorkstreamConnection } from '../workstreams/workstream.type';
import { CoverageCell } from './coverage.type';

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
