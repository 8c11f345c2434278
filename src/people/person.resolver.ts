import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person, PersonConnection } from './person.type';
import { PersonArchiveInput, PersonCreateInput, PersonUpdateInput } from './person.input';
import { archivePerson, createPerson, listPeople, updatePerson } from './person.service';
import { Payload } from '../graphql/user-error';
import { payload } from '../editing/payload';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

@ArgsType()
class PeopleArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
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
  async personCreate(@Arg('input', () => PersonCreateInput.type) input: PersonCreateInput, @Ctx() ctx: RequestContext): Promise<PersonCreatePayload> {
    return payload('person', await createPerson(ctx, input));
  }

  @Mutation(() => PersonUpdatePayload)
  async personUpdate(@Arg('input', () => PersonUpdateInput.type) input: PersonUpdateInput, @Ctx() ctx: RequestContext): Promise<PersonUpdatePayload> {
    return payload('person', await updatePerson(ctx, input));
  }

  @Mutation(() => PersonArchivePayload, { description: 'Archives a person who leads no live workstream and owns no live measure.' })
  async personArchive(@Arg('input', () => PersonArchiveInput.type) input: PersonArchiveInput, @Ctx() ctx: RequestContext): Promise<PersonArchivePayload> {
    return payload('person', await archivePerson(ctx, input));
  }
}
