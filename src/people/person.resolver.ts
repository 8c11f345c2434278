import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person, PersonConnection } from './person.type';
import { archivePerson, createPerson, listPeople, updatePerson } from './person.service';
import { Payload } from '../graphql/user-error';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

@ArgsType()
class PeopleArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}

@InputType()
class PersonCreateInput {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'Unique when given.' }) email?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'false when omitted.' }) hasLivedExperience?: boolean | null;
  @Field(() => String, { nullable: true, description: 'The unit they work in.' }) orgUnitCode?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears email, jobTitle and orgUnitCode.' })
class PersonUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'The version you read; a stale one gets a CONFLICT user error.' }) version!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) jobTitle?: string | null;
  @Field(() => Boolean, { nullable: true }) hasLivedExperience?: boolean | null;
  @Field(() => String, { nullable: true }) orgUnitCode?: string | null;
}

@InputType()
class PersonArchiveInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
class PersonCreatePayload extends Payload {
  @Field(() => Person, { nullable: true }) person!: Person | null;
}

@ObjectType()
class PersonUpdatePayload extends Payload {
  @Field(() => Person, { nullable: true }) person!: Person | null;
  @Field(() => Person, { nullable: true, description: 'After a CONFLICT: the record as a colleague left it.' }) current!: Person | null;
}

@ObjectType()
class PersonArchivePayload extends Payload {
  @Field(() => Person, { nullable: true }) person!: Person | null;
  @Field(() => Person, { nullable: true, description: 'After a CONFLICT: the record as a colleague left it.' }) current!: Person | null;
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection)
  async people(@Args() args: PeopleArgs, @Ctx() ctx: RequestContext): Promise<PersonConnection> {
    const page = await listPeople(ctx, args, args);
    return toConnection(PersonConnection, page);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The team or unit the person works in.' })
  orgUnit(@Root() person: Person, @Ctx() ctx: RequestContext): Promise<OrgUnit | null> | null {
    return person.orgUnitId === null ? null : orgUnitLoaders(ctx).orgUnitById.load(person.orgUnitId);
  }

  @Mutation(() => PersonCreatePayload, { description: 'Adds a person who leads, owns or takes part in the faculty’s work (editFacultyMap).' })
  async personCreate(@Arg('input') input: PersonCreateInput, @Ctx() ctx: RequestContext): Promise<PersonCreatePayload> {
    const result = await createPerson(ctx, input);
    return { person: result.value, userErrors: result.userErrors };
  }

  @Mutation(() => PersonUpdatePayload)
  async personUpdate(@Arg('input') input: PersonUpdateInput, @Ctx() ctx: RequestContext): Promise<PersonUpdatePayload> {
    const result = await updatePerson(ctx, input);
    return { person: result.value, current: result.current, userErrors: result.userErrors };
  }

  @Mutation(() => PersonArchivePayload, { description: 'Archives a person who leads no live workstream and owns no live measure.' })
  async personArchive(@Arg('input') input: PersonArchiveInput, @Ctx() ctx: RequestContext): Promise<PersonArchivePayload> {
    const result = await archivePerson(ctx, input);
    return { person: result.value, current: result.current, userErrors: result.userErrors };
  }
}
