import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { OrgUnitType } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { Payload } from '../graphql/user-error';
import { OrgUnit, OrgUnitConnection } from './org-unit.type';
import { ancestorsOf, createOrgUnit, findOrgUnitByCode, listOrgUnits } from './org-unit.service';

@ArgsType()
class OrgUnitsArgs extends ConnectionArgs {
  @Field(() => OrgUnitType, { nullable: true })
  type?: OrgUnitType | null;

  @Field(() => String, { nullable: true, description: "Only units below this unit (its whole subtree, itself excluded)." })
  withinCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}

@InputType()
class OrgUnitCreateInput {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => OrgUnitType) type!: OrgUnitType;
  @Field(() => String, { nullable: true, description: 'The parent; omit for a trust (a root).' }) parentCode?: string | null;
  @Field(() => String, { nullable: true }) odsCode?: string | null;
}

@ObjectType()
class OrgUnitCreatePayload extends Payload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit!: OrgUnit | null;
}

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Query(() => OrgUnit, { nullable: true, description: 'An org unit by its code; NOT_FOUND error when there is none.' })
  async orgUnit(@Arg('code') code: string, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> {
    const unit = await findOrgUnitByCode(ctx, code);
    if (!unit) throw notFound(`No org unit has code "${code}"`);
    return unit;
  }

  @Query(() => OrgUnitConnection, { description: 'Org units in tree order of creation; filter by type, subtree or name.' })
  async orgUnits(@Args() args: OrgUnitsArgs, @Ctx() ctx: RequestContext): Promise<OrgUnitConnection> {
    return toConnection(OrgUnitConnection, await listOrgUnits(ctx, args, args));
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return unit.parentId === null ? null : ctx.loaders.orgUnitById.load(unit.parentId);
  }

  @FieldResolver(() => [OrgUnit], { description: 'From the trust down to the parent.' })
  ancestors(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit[]> {
    return ancestorsOf(ctx, unit);
  }

  @FieldResolver(() => OrgUnitConnection)
  async children(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<OrgUnitConnection> {
    const children = await ctx.loaders.orgUnitChildren.load(unit.dbId);
    return toConnection(OrgUnitConnection, pageFromArray(children, args, (child) => child.dbId));
  }

  @Mutation(() => OrgUnitCreatePayload)
  async orgUnitCreate(@Arg('input') input: OrgUnitCreateInput, @Ctx() ctx: RequestContext): Promise<OrgUnitCreatePayload> {
    const result = await createOrgUnit(ctx, input);
    return { orgUnit: result.value, userErrors: result.userErrors };
  }
}
