import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { PrincipleKey } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { Principle } from './principle.type';
import { principleLoaders } from './principle.loaders';

@Resolver(() => Principle)
export class PrincipleResolver {
  @Query(() => [Principle], { description: 'The 4Rs, in their usual order.' })
  principles(@Ctx() ctx: RequestContext): Promise<Principle[]> {
    return principleLoaders(ctx).allPrinciples();
  }

  @Query(() => Principle)
  async principle(@Arg('key', () => PrincipleKey) key: PrincipleKey, @Ctx() ctx: RequestContext): Promise<Principle> {
    const principles = await principleLoaders(ctx).allPrinciples();
    return principles.find((p) => p.key === key) as Principle;
  }
}
