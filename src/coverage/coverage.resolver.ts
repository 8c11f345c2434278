import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/connection';
import { Coverage } from './coverage.type';
import { coverageFor } from './coverage.service';

@Resolver()
export class CoverageResolver {
  @Query(() => Coverage, {
    nullable: true,
    description: 'Where each principle is (and is not) covered across an org unit’s subtree, and the gaps in the map. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.',
  })
  coverage(
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('depth', () => Int, { nullable: true, description: 'Tree depth of the columns (OrgUnit.depth); one level below orgUnitCode when omitted.' })
    depth: number | null,
    @Arg('first', () => Int, { nullable: true, description: `Columns after \`after\`: ${DEFAULT_PAGE_SIZE} when absent, at most ${MAX_PAGE_SIZE}.` }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('last', () => Int, { nullable: true, description: `Columns before \`before\`, at most ${MAX_PAGE_SIZE}.` }) last: number | null,
    @Arg('before', () => String, { nullable: true }) before: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Coverage | null> {
    return coverageFor(ctx, orgUnitCode, depth, { first, after, last, before });
  }
}
