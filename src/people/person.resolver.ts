import { Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person, PersonConnection } from './person.type';
import { listPeople } from './person.service';

@ArgsType()
class PeopleArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the name.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
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
    return person.orgUnitId === null ? null : ctx.loaders.orgUnitById.load(person.orgUnitId);
  }
}
