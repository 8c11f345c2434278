import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { OrgUnitType } from '../graphql/enums';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, pageFromArray, toConnection } from '../graphql/connection';
import { notFound } from '../graphql/errors';
import { Payload } from '../graphql/user-error';
import { payload } from '../editing/payload';
import { OrgUnit, OrgUnitConnection } from './org-unit.type';
import { OrgUnitArchiveInput, OrgUnitCreateInput, OrgUnitUpdateInput } from './org-unit.input';
import { ancestorsOf, archiveOrgUnit, createOrgUnit, findOrgUnitByCode, listOrgUnits, updateOrgUnit } from './org-unit.service';
import { orgUnitLoaders } from './org-unit.loaders';

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

@ObjectType()
class OrgUnitCreatePayload extends Payload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit!: OrgUnit | null;
}

@ObjectType()
class OrgUnitUpdatePayload extends Payload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit!: OrgUnit | null;
  @Field(() => OrgUnit, { nullable: true, description: 'After a CONFLICT: the unit as a colleague left it.' }) current!: OrgUnit | null;
}

@ObjectType()
class OrgUnitArchivePayload extends Payload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit!: OrgUnit | null;
  @Field(() => OrgUnit, { nullable: true, description: 'After a CONFLICT: the unit as a colleague left it.' }) current!: OrgUnit | null;
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
  parent(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | OrgUnit | null {
    if (unit.parentId === null) return null;
    const loaders = orgUnitLoaders(ctx);
    return loaders.alreadyRead(unit.parentId) ?? loaders.orgUnitById.load(unit.parentId);
  }

  @FieldResolver(() => [OrgUnit], { description: 'From the trust down to the parent.' })
  ancestors(@Root() unit: OrgUnit, @Ctx() ctx: RequestContext): Promise<OrgUnit[]> {
    return ancestorsOf(ctx, unit);
  }

  @FieldResolver(() => OrgUnitConnection)
  async children(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<OrgUnitConnection> {
    const children = await orgUnitLoaders(ctx).orgUnitChildren.load(unit.dbId);
    return toConnection(OrgUnitConnection, pageFromArray(children, args, (child) => child.dbId));
  }

  @Mutation(() => OrgUnitCreatePayload)
  async orgUnitCreate(@Arg('input', () => OrgUnitCreateInput.type) input: OrgUnitCreateInput, @Ctx() ctx: RequestContext): Promise<OrgUnitCreatePayload> {
    return payload('orgUnit', await createOrgUnit(ctx, input));
  }

  @Mutation(() => OrgUnitUpdatePayload, { description: 'Renames, retypes or moves an org unit (editOrganisation).' })
  async orgUnitUpdate(@Arg('input', () => OrgUnitUpdateInput.type) input: OrgUnitUpdateInput, @Ctx() ctx: RequestContext): Promise<OrgUnitUpdatePayload> {
    return payload('orgUnit', await updateOrgUnit(ctx, input));
  }

  @Mutation(() => OrgUnitArchivePayload, { description: 'Archives an org unit with no live children and no live workstreams.' })
  async orgUnitArchive(@Arg('input', () => OrgUnitArchiveInput.type) input: OrgUnitArchiveInput, @Ctx() ctx: RequestContext): Promise<OrgUnitArchivePayload> {
    return payload('orgUnit', await archiveOrgUnit(ctx, input));
  }
}
