import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root, type ClassType } from 'type-graphql';
import { ConnectionArgs, toConnection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { encodeGlobalId, MAX_ID } from '../graphql/global-id';
import { fetchRowsByIds, type NodeType } from '../graphql/node-types';
import { Measure, MEASURE_TYPENAME } from '../measures/measure.type';
import { OrgUnit, ORG_UNIT_TYPENAME } from '../organisation/org-unit.type';
import { Person, PERSON_TYPENAME } from '../people/person.type';
import { INVOLVEMENT_TYPENAME, LivedExperienceInvolvement, Milestone, MILESTONE_TYPENAME, Workstream, WORKSTREAM_TYPENAME } from '../workstreams/workstream.type';
import { Feedback, FEEDBACK_TYPENAME, FeedbackAction, FEEDBACK_ACTION_TYPENAME, FeedbackTheme, FEEDBACK_THEME_TYPENAME } from '../feedback/feedback.type';
import { entityHistory, listAuditEvents, visibleAuditEvents } from './audit-event.service';
import { AUDIT_EVENT_TYPENAME, AuditEvent, AuditEventConnection, auditEventFromRow } from './audit-event.type';

export const AUDIT_EVENT_NODE: NodeType = {
  typeName: AUDIT_EVENT_TYPENAME,
  fetch: fetchRowsByIds(
    (ctx, ids) =>
      ctx.prisma.auditEvent.findMany({ where: { id: { in: ids.map(BigInt) }, ...visibleAuditEvents(ctx) } }),
    auditEventFromRow,
  ),
  maxId: MAX_ID, // a bigint id
};

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

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, { description: 'Every recorded change across the trust, newest first.' })
  async auditEvents(@Args() args: AuditEventsArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
    return toConnection(AuditEventConnection, await listAuditEvents(ctx, args, args));
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The changed entity’s global ID, for `node(id:)`.' })
  entityNodeId(@Root() event: AuditEvent, @Ctx() ctx: RequestContext): string | null {
    return ctx.nodeTypes.has(event.entityType) && /^[0-9]{1,19}$/.test(event.entityId) ? encodeGlobalId(event.entityType, event.entityId) : null;
  }
}

/** `history` on an entity: its own changes (a link change appears on every side that has a history). */
async function historyOf(ctx: RequestContext, entityType: string, dbId: number, args: HistoryArgs): Promise<AuditEventConnection> {
  return toConnection(AuditEventConnection, await entityHistory(ctx, entityType, String(dbId), args, args));
}

const HISTORY = { description: 'Every change to this record, newest first: who, when, before and after.' };

/** `history` on one node type: the same field, generated for each type in AUDITED_TYPES. */
function historyResolverFor(type: ClassType<{ dbId: number }>, typeName: string) {
  @Resolver(() => type)
  class HistoryResolver {
    @FieldResolver(() => AuditEventConnection, HISTORY)
    history(@Root() entity: { dbId: number }, @Args() args: HistoryArgs, @Ctx() ctx: RequestContext): Promise<AuditEventConnection> {
      return historyOf(ctx, typeName, entity.dbId, args);
    }
  }
  return HistoryResolver;
}

/** The node types whose changes are recorded and read back as `history`. */
const AUDITED_TYPES: Array<[ClassType<{ dbId: number }>, string]> = [
  [OrgUnit, ORG_UNIT_TYPENAME],
  [Person, PERSON_TYPENAME],
  [Workstream, WORKSTREAM_TYPENAME],
  [Milestone, MILESTONE_TYPENAME],
  [LivedExperienceInvolvement, INVOLVEMENT_TYPENAME],
  [Measure, MEASURE_TYPENAME],
  [FeedbackTheme, FEEDBACK_THEME_TYPENAME],
  [Feedback, FEEDBACK_TYPENAME],
  [FeedbackAction, FEEDBACK_ACTION_TYPENAME],
];

export const HISTORY_RESOLVERS = AUDITED_TYPES.map(([type, typeName]) => historyResolverFor(type, typeName));
