import { Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { fetchRowsByIds, registerNodeFetcher } from '../graphql/node.resolver';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { Person } from '../people/person.type';
import { LivedExperienceInvolvement, Milestone, Workstream } from '../workstreams/workstream.type';
import { entityHistory, listAuditEvents } from './audit-event.service';
import { AUDIT_EVENT_TYPENAME, AuditEventConnection, auditEventFromRow } from './audit-event.type';

registerNodeFetcher(
  AUDIT_EVENT_TYPENAME,
  fetchRowsByIds((ctx, ids) => ctx.prisma.auditEvent.findMany({ where: { id: { in: ids.map(BigInt) } } }), auditEventFromRow),
);

@ArgsType()
class HistoryArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only changes by this actor (its label, as AuditEvent.actor shows it).' })
  actor?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only changes at or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only changes before this time.' })
  to?: Date | null;
}

@ArgsType()
class AuditEventsArgs extends HistoryArgs {
  @Field(() => String, { nullable: true, description: 'OrgUnit, Person, Workstream, Milestone, LivedExperienceInvolvement, Measure, ...' })
  entityType?: string | null;

  @Field(() => String, { nullable: true, description: 'With entityType: one entity’s database id (AuditEvent.entityId).' })
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: 'create, update, move, archive, addTeam, setTarget, ...' })
  action?: string | null;
}

@Resolver()
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: 'Every recorded change across the trust, newest first.' })
  async auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return toConnection(AuditEventConnection, await listAuditEvents(ctx, args, args));
  }
}

/** `history` on an entity: its own changes (a link change appears on every side that has a history). */
async function historyOf(ctx: RequestContext, entityType: string, dbId: number, args: HistoryArgs): Promise<AuditEventConnection> {
  return toConnection(AuditEventConnection, await entityHistory(ctx, entityType, String(dbId), args, args));
}

const HISTORY = { description: 'Every change to this record, newest first: who, when, before and after.' };

@Resolver(() => OrgUnit)
export class OrgUnitHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() unit: OrgUnit, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'OrgUnit', unit.dbId, args);
  }
}

@Resolver(() => Person)
export class PersonHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() person: Person, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'Person', person.dbId, args);
  }
}

@Resolver(() => Workstream)
export class WorkstreamHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() workstream: Workstream, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'Workstream', workstream.dbId, args);
  }
}

@Resolver(() => Milestone)
export class MilestoneHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() milestone: Milestone, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'Milestone', milestone.dbId, args);
  }
}

@Resolver(() => LivedExperienceInvolvement)
export class InvolvementHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() involvement: LivedExperienceInvolvement, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'LivedExperienceInvolvement', involvement.dbId, args);
  }
}

@Resolver(() => Measure)
export class MeasureHistoryResolver {
  @FieldResolver(() => AuditEventConnection, HISTORY)
  history(@Root() measure: Measure, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return historyOf(ctx, 'Measure', measure.dbId, args);
  }
}
