import { DateResolver } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { payload } from '../editing/payload';
import { Connection, ConnectionArgs, pageFromArray, pageTableById, toConnection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { Payload, UserError } from '../graphql/user-error';
import { Measure } from '../measures/measure.type';
import { measureLoaders } from '../measures/measure.loaders';
import { OrgUnit } from '../organisation/org-unit.type';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { Person } from '../people/person.type';
import { personLoaders } from '../people/person.loaders';
import { Workstream } from '../workstreams/workstream.type';
import { workstreamLoaders } from '../workstreams/workstream.loaders';
import type { Prisma } from '../generated/prisma/client';
import { CoreItem22AssessmentRecordInput, FeedbackActionCreateInput, FeedbackActionUpdateInput, FeedbackPublishInput, FeedbackRecordInput, FeedbackThemeCreateInput, FeedbackUpdateInput, ImportFeedbackInput } from './feedback.input';
import { feedbackLoaders } from './feedback.loaders';
import { createAction, createTheme, importFeedback, publishFeedback, recordAssessment, recordFeedback, updateAction, updateFeedback } from './feedback.service';
import {
  CoreFidelityAssessment,
  CoreFidelityAssessmentConnection,
  Feedback,
  FeedbackAction,
  FeedbackConnection,
  FeedbackSource,
  FeedbackStatus,
  FeedbackTheme,
  feedbackFromRow,
  themeFromRow,
} from './feedback.type';
import { coreItem22ForUnit, CoreItem22Score } from './core-item-22.view';
import { unitOrThrow, youSaidWeDid, type YouSaidWeDidPair } from './you-said-we-did.service';
import {
  DEFAULT_OVERDUE_THRESHOLD,
  feedbackExceptionKey,
  FeedbackExceptionConnection,
  feedbackGapKey,
  FeedbackGapConnection,
  feedbackOverview,
  FeedbackOverview,
} from './feedback-overview';

@ArgsType()
class FeedbackOverviewArgs {
  @Field() orgUnitCode!: string;
  @Field(() => DateResolver, { nullable: true, description: 'Feedback received on or after (default: a year before `to`).' }) from?: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'Feedback received on or before (default: today).' }) to?: Date | null;
  @Field(() => Int, { defaultValue: DEFAULT_OVERDUE_THRESHOLD, description: 'A team or ward with this many overdue actions or more is an exception.' }) overdueThreshold!: number;
}

@ArgsType()
class FeedbackListArgs extends ConnectionArgs {
  @Field({ description: 'The unit whose subtree’s feedback is listed.' }) orgUnitCode!: string;
  @Field(() => DateResolver, { nullable: true, description: 'Received on or after.' }) from?: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'Received on or before.' }) to?: Date | null;
  @Field(() => FeedbackStatus, { nullable: true }) status?: FeedbackStatus | null;
  @Field(() => FeedbackSource, { nullable: true }) source?: FeedbackSource | null;
}

@ArgsType()
class YouSaidWeDidArgs extends ConnectionArgs {
  @Field() orgUnitCode!: string;
  @Field(() => DateResolver, { nullable: true, description: 'Feedback received on or after (default: a year before `to`).' }) from?: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'Feedback received on or before (default: today).' }) to?: Date | null;
}

@ObjectType({ description: 'What was said (a published feedback item) and what was done about it (an action; null while none is recorded).' })
export class YouSaidWeDidPairType {
  @Field(() => Feedback) feedback!: Feedback;
  @Field(() => FeedbackAction, { nullable: true }) action!: FeedbackAction | null;
  @Field(() => OrgUnit, { description: 'Where the feedback was received.' }) orgUnit!: OrgUnit;
}

@ObjectType()
class YouSaidWeDidConnection extends Connection(YouSaidWeDidPairType) {}

/** The overview's growing lists, paged in memory from the view computed once for the request. */
@Resolver(() => FeedbackOverview)
export class FeedbackOverviewResolver {
  @FieldResolver(() => FeedbackGapConnection, {
    description: 'Live teams and wards with no feedback sought in the 12 months to `to`, or with overdue actions, by name. Cursors name the gap (its kind and team).',
  })
  gaps(@Root() overview: FeedbackOverview, @Args() args: ConnectionArgs): FeedbackGapConnection {
    return toConnection(FeedbackGapConnection, pageFromArray(overview.gaps, args, feedbackGapKey));
  }

  @FieldResolver(() => FeedbackExceptionConnection, { description: 'Teams and wards with at least `overdueThreshold` overdue actions, most first. Cursors name the team.' })
  exceptions(@Root() overview: FeedbackOverview, @Args() args: ConnectionArgs): FeedbackExceptionConnection {
    return toConnection(FeedbackExceptionConnection, pageFromArray(overview.exceptions, args, feedbackExceptionKey));
  }
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Query(() => [FeedbackTheme], { description: 'The faculty’s list of feedback themes, by code.' })
  async feedbackThemes(@Arg('includeArchived', { defaultValue: false }) includeArchived: boolean, @Ctx() ctx: RequestContext): Promise<FeedbackTheme[]> {
    const rows = await ctx.prisma.feedbackTheme.findMany({ where: includeArchived ? {} : { archivedAt: null }, orderBy: { code: 'asc' } });
    return rows.map(themeFromRow);
  }

  @Query(() => FeedbackConnection, { nullable: true, description: 'Feedback received in a unit’s subtree (drafts included), newest recorded first. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.' })
  async feedback(@Args() args: FeedbackListArgs, @Ctx() ctx: RequestContext): Promise<FeedbackConnection | null> {
    const unit = await unitOrThrow(ctx, args.orgUnitCode);
    if (args.from && args.to && args.from > args.to) throw badInput('`from` is after `to`', 'from');
    const where: Prisma.FeedbackWhereInput = {
      orgUnit: { path: { startsWith: unit.path } },
      ...(args.status ? { status: args.status } : {}),
      ...(args.source ? { source: args.source } : {}),
      ...(args.from || args.to ? { receivedOn: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lte: args.to } : {}) } } : {}),
    };
    return toConnection(FeedbackConnection, await pageTableById(args, ctx.prisma.feedback, where, feedbackFromRow));
  }

  @Query(() => YouSaidWeDidConnection, {
    nullable: true,
    description: '“You said, we did”: the published pairs of what was said and what was done, for the unit’s subtree, newest feedback first. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.',
  })
  async youSaidWeDid(@Args() args: YouSaidWeDidArgs, @Ctx() ctx: RequestContext): Promise<YouSaidWeDidConnection | null> {
    const view = await youSaidWeDid(ctx, args.orgUnitCode, args.from, args.to);
    return toConnection(YouSaidWeDidConnection, pageFromArray<YouSaidWeDidPair>(view.pairs, args, (p) => p.key));
  }

  @Query(() => FeedbackOverview, {
    nullable: true,
    description: 'The feedback loop at a unit, pooled over its subtree, with drill-down to its children, coverage gaps and overdue-action exceptions. Null, with a NOT_FOUND error beside the other fields’ data, when no org unit has the code.',
  })
  feedbackOverview(@Args() args: FeedbackOverviewArgs, @Ctx() ctx: RequestContext): Promise<FeedbackOverview | null> {
    return feedbackOverview(ctx, args.orgUnitCode, args.from, args.to, args.overdueThreshold);
  }

  @FieldResolver(() => OrgUnit)
  async orgUnit(@Root() feedback: Feedback, @Ctx() ctx: RequestContext): Promise<OrgUnit> {
    return (await orgUnitLoaders(ctx).orgUnitById.load(feedback.orgUnitId))!;
  }

  @FieldResolver(() => [FeedbackTheme])
  themes(@Root() feedback: Feedback, @Ctx() ctx: RequestContext): Promise<FeedbackTheme[]> {
    return feedbackLoaders(ctx).themesByFeedback.load(feedback.dbId);
  }

  @FieldResolver(() => [FeedbackAction], { description: 'Every action on it, dropped ones included, oldest first.' })
  actions(@Root() feedback: Feedback, @Ctx() ctx: RequestContext): Promise<FeedbackAction[]> {
    return feedbackLoaders(ctx).actionsByFeedback.load(feedback.dbId);
  }
}

@Resolver(() => FeedbackAction)
export class FeedbackActionResolver {
  @FieldResolver(() => Feedback)
  async feedback(@Root() action: FeedbackAction, @Ctx() ctx: RequestContext): Promise<Feedback> {
    return (await feedbackLoaders(ctx).feedbackById.load(action.feedbackId))!;
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Who owns it (null only if the person is not of your trusts).' })
  owner(@Root() action: FeedbackAction, @Ctx() ctx: RequestContext): Promise<Person | null> {
    return personLoaders(ctx).personById.load(action.ownerId);
  }

  @FieldResolver(() => Workstream, { nullable: true, description: 'The workstream it serves.' })
  async workstream(@Root() action: FeedbackAction, @Ctx() ctx: RequestContext): Promise<Workstream | null> {
    return action.workstreamId === null ? null : workstreamLoaders(ctx).workstreamById.load(action.workstreamId);
  }

  @FieldResolver(() => Measure, { nullable: true, description: 'The measure it serves.' })
  async measure(@Root() action: FeedbackAction, @Ctx() ctx: RequestContext): Promise<Measure | null> {
    return action.measureId === null ? null : measureLoaders(ctx).measureById.load(action.measureId);
  }
}

@ArgsType()
class CoreItem22Args {
  @Field({ description: 'The month, YYYY-MM.' }) period!: string;
}

@Resolver(() => OrgUnit)
export class OrgUnitFeedbackResolver {
  @FieldResolver(() => CoreItem22Score, { description: 'CORE fidelity item 22 for this team in a month: each criterion met or not, and why (criterion c from the feedback ledger).' })
  coreItem22(@Root() unit: OrgUnit, @Args() args: CoreItem22Args, @Ctx() ctx: RequestContext): Promise<CoreItem22Score> {
    return coreItem22ForUnit(ctx, unit, args.period);
  }

  @FieldResolver(() => CoreFidelityAssessmentConnection, {
    description: 'Assessments of CORE item 22 criteria a, b and d at this unit, newest first (every one is kept, so a connection). Paged in SQL.',
  })
  async coreItem22Assessments(@Root() unit: OrgUnit, @Args() args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<CoreFidelityAssessmentConnection> {
    return toConnection(CoreFidelityAssessmentConnection, await feedbackLoaders(ctx).assessmentPage(unit.dbId, args));
  }
}

@ObjectType()
class FeedbackThemePayload extends Payload {
  @Field(() => FeedbackTheme, { nullable: true }) theme!: FeedbackTheme | null;
}

@ObjectType()
class FeedbackPayload extends Payload {
  @Field(() => Feedback, { nullable: true }) feedback!: Feedback | null;
}

@ObjectType()
class FeedbackVersionedPayload extends Payload {
  @Field(() => Feedback, { nullable: true }) feedback!: Feedback | null;
  @Field(() => Feedback, { nullable: true, description: 'After a CONFLICT: the item as a colleague left it.' }) current!: Feedback | null;
}

@ObjectType()
class FeedbackActionPayload extends Payload {
  @Field(() => FeedbackAction, { nullable: true }) action!: FeedbackAction | null;
  @Field(() => FeedbackAction, { nullable: true, description: 'After a CONFLICT: the action as a colleague left it.' }) current!: FeedbackAction | null;
}

@ObjectType()
class CoreItem22AssessmentPayload extends Payload {
  @Field(() => CoreFidelityAssessment, { nullable: true }) assessment!: CoreFidelityAssessment | null;
}

@ObjectType()
class ImportFeedbackPayload {
  @Field(() => Int, { description: 'Rows that are valid (with dryRun: that would be written).' }) accepted!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int, { description: 'Rows whose (source, externalId) was recorded already, with another date, summary or themes.' }) updated!: number;
  @Field(() => Int, { description: 'Rows already recorded as sent.' }) unchanged!: number;
  @Field(() => [UserError], { description: 'Per row: ["rows", "<i>", "<field>"]. Any, and nothing was written.' }) userErrors!: UserError[];
}

/** Recording feedback and its actions: each mutation one transaction with its audit entries. */
@Resolver()
export class FeedbackMutationResolver {
  @Mutation(() => FeedbackThemePayload, { description: 'A theme for the faculty’s list (ADMIN, FACULTY_LEAD).' })
  async feedbackThemeCreate(@Arg('input', () => FeedbackThemeCreateInput.type) input: FeedbackThemeCreateInput, @Ctx() ctx: RequestContext): Promise<FeedbackThemePayload> {
    return payload('theme', await createTheme(ctx, input));
  }

  @Mutation(() => FeedbackPayload, { description: 'Records a feedback item as a DRAFT (TEAM_MANAGER within its subtree; FACULTY_LEAD, ADMIN).' })
  async feedbackRecord(@Arg('input', () => FeedbackRecordInput.type) input: FeedbackRecordInput, @Ctx() ctx: RequestContext): Promise<FeedbackPayload> {
    return payload('feedback', await recordFeedback(ctx, input));
  }

  @Mutation(() => FeedbackVersionedPayload, { description: 'Edits a feedback item; a changed summary returns it to DRAFT.' })
  async feedbackUpdate(@Arg('input', () => FeedbackUpdateInput.type) input: FeedbackUpdateInput, @Ctx() ctx: RequestContext): Promise<FeedbackVersionedPayload> {
    return payload('feedback', await updateFeedback(ctx, input));
  }

  @Mutation(() => FeedbackVersionedPayload, { description: 'A reviewed summary becomes public: it appears on the unit’s “you said, we did”.' })
  async feedbackPublish(@Arg('input', () => FeedbackPublishInput.type) input: FeedbackPublishInput, @Ctx() ctx: RequestContext): Promise<FeedbackVersionedPayload> {
    return payload('feedback', await publishFeedback(ctx, input));
  }

  @Mutation(() => FeedbackActionPayload, { description: 'An action on a feedback item, PLANNED, with its owner and due date.' })
  async feedbackActionCreate(@Arg('input', () => FeedbackActionCreateInput.type) input: FeedbackActionCreateInput, @Ctx() ctx: RequestContext): Promise<FeedbackActionPayload> {
    return { ...payload('action', await createAction(ctx, input)), current: null };
  }

  @Mutation(() => FeedbackActionPayload, { description: 'Moves an action on (IN_PROGRESS, DONE with evidence, DROPPED with a reason) or edits it.' })
  async feedbackActionUpdate(@Arg('input', () => FeedbackActionUpdateInput.type) input: FeedbackActionUpdateInput, @Ctx() ctx: RequestContext): Promise<FeedbackActionPayload> {
    return payload('action', await updateAction(ctx, input));
  }

  @Mutation(() => CoreItem22AssessmentPayload, { description: 'Records an assessment of CORE item 22 criterion (a), (b) or (d) for a team, with assessor, date and evidence.' })
  async coreItem22AssessmentRecord(@Arg('input', () => CoreItem22AssessmentRecordInput.type) input: CoreItem22AssessmentRecordInput, @Ctx() ctx: RequestContext): Promise<CoreItem22AssessmentPayload> {
    return payload('assessment', await recordAssessment(ctx, input));
  }

  @Mutation(() => ImportFeedbackPayload, { description: 'Bulk feedback from survey systems, idempotent on (source, externalId) within the trust.' })
  async importFeedback(@Arg('input') input: ImportFeedbackInput, @Ctx() ctx: RequestContext): Promise<ImportFeedbackPayload> {
    return importFeedback(ctx, input.rows, input.dryRun);
  }
}
