import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { Coverage } from './coverage.type';
import { coverageFor } from './coverage.service';

@Resolver()
export class CoverageResolver {
  @Query(() => Coverage, { description: 'Where each principle is (and is not) covered across an org unit’s subtree, and the gaps in the map.' })
  coverage(
    @Arg('orgUnitCode') orgUnitCode: string,
    @Arg('depth', () => Int, { nullable: true, description: 'Tree depth of the columns (OrgUnit.depth); one level below orgUnitCode when omitted.' })
    depth: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Coverage> {
    return coverageFor(ctx, orgUnitCode, depth);
  }
}
