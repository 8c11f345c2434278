import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  CoreItem22Assessment as AssessmentRow,
  Feedback as FeedbackRow,
  FeedbackAction as ActionRow,
  FeedbackTheme as ThemeRow,
} from '../generated/prisma/client';
import { CoreItem22Criterion, FeedbackActionStatus, FeedbackSource, FeedbackStatus } from '../generated/prisma/enums';
import { PrincipleKey } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

registerEnumType(FeedbackSource, { name: 'FeedbackSource', description: 'Where a feedback item came from.' });
registerEnumType(FeedbackStatus, { name: 'FeedbackStatus', description: 'DRAFT until reviewed; PUBLISHED: the summary may be shown publicly ("you said, we did").' });
registerEnumType(FeedbackActionStatus, { name: 'FeedbackActionStatus', description: 'DONE needs evidence; DROPPED needs a reason. Overdue is derived, not a status.' });
registerEnumType(CoreItem22Criterion, {
  name: 'CoreItem22Criterion',
  description: 'The assessed criteria of CORE fidelity item 22: (a) interpersonal skills at recruitment, (b) skills monitored and developed, (d) all-source agreement that staff are caring. (c) is computed from the feedback ledger.',
});

export { CoreItem22Criterion, FeedbackActionStatus, FeedbackSource, FeedbackStatus };

/** A date column as the API shows it: YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

@ObjectType({ implements: Node, description: 'A theme from the faculty’s list, mapped to the 4Rs. Shared by every trust.' })
export class FeedbackTheme extends Node {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => [PrincipleKey]) principleKeys!: PrincipleKey[];
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  dbId!: number;
}

export const FEEDBACK_THEME_TYPENAME = 'FeedbackTheme' satisfies NodeTypeName;

export function themeFromRow(row: ThemeRow): FeedbackTheme {
  return Object.assign(new FeedbackTheme(), {
    id: encodeGlobalId(FEEDBACK_THEME_TYPENAME, row.id),
    dbId: row.id,
    code: row.code,
    name: row.name,
    principleKeys: row.principleKeys,
    archived: row.archivedAt !== null,
    version: row.version,
  });
}

@ObjectType({ implements: Node, description: '“You said”: an item of feedback received at an org unit. Its summary never holds a patient identifier.' })
export class Feedback extends Node {
  @Field(() => FeedbackSource) source!: FeedbackSource;
  @Field(() => String, { nullable: true, description: 'The item’s id in its source system: unique per source within a trust.' }) externalId!: string | null;
  @Field(() => DateResolver) receivedOn!: Date;
  @Field() summary!: string;
  @Field(() => FeedbackStatus) status!: FeedbackStatus;
  @Field(() => String, { nullable: true, description: 'Who reviewed and published the summary.' }) reviewedBy!: string | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field() recordedBy!: string;
  @Field(() => Int) version!: number;
  dbId!: number;
  orgUnitId!: number;
}

export const FEEDBACK_TYPENAME = 'Feedback' satisfies NodeTypeName;

export function feedbackFromRow(row: FeedbackRow): Feedback {
  return Object.assign(new Feedback(), {
    id: encodeGlobalId(FEEDBACK_TYPENAME, row.id),
    dbId: row.id,
    orgUnitId: row.orgUnitId,
    source: row.source,
    externalId: row.externalId,
    receivedOn: row.receivedOn,
    summary: row.summary,
    status: row.status,
    reviewedBy: row.reviewedBy,
    publishedAt: row.publishedAt,
    recordedBy: row.recordedBy,
    version: row.version,
  });
}

@ObjectType()
export class FeedbackConnection extends Connection(Feedback) {}

@ObjectType({ implements: Node, description: '“We did”: an action on a feedback item, with its owner, due date, status and evidence.' })
export class FeedbackAction extends Node {
  @Field() description!: string;
  @Field(() => DateResolver) dueOn!: Date;
  @Field(() => FeedbackActionStatus) status!: FeedbackActionStatus;
  @Field({ description: 'Derived: not DONE or DROPPED, and due before today (UTC).' }) overdue!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was dropped (DROPPED only).' }) droppedReason!: string | null;
  @Field(() => String, { nullable: true, description: 'Evidence of completion (required for DONE).' }) evidence!: string | null;
  @Field(() => DateResolver, { nullable: true }) completedOn!: Date | null;
  @Field(() => Int) version!: number;
  dbId!: number;
  feedbackId!: number;
  ownerId!: number;
  workstreamId!: number | null;
  measureId!: number | null;
}

export const FEEDBACK_ACTION_TYPENAME = 'FeedbackAction' satisfies NodeTypeName;

/** Whether an action is overdue on `today` (a UTC calendar date): open and due before it. */
export function isOverdue(row: Pick<ActionRow, 'status' | 'dueOn'>, today: Date): boolean {
  return (row.status === 'PLANNED' || row.status === 'IN_PROGRESS') && isoDay(row.dueOn) < isoDay(today);
}

export function actionFromRow(row: ActionRow, today: Date = new Date()): FeedbackAction {
  return Object.assign(new FeedbackAction(), {
    id: encodeGlobalId(FEEDBACK_ACTION_TYPENAME, row.id),
    dbId: row.id,
    feedbackId: row.feedbackId,
    ownerId: row.ownerId,
    workstreamId: row.workstreamId,
    measureId: row.measureId,
    description: row.description,
    dueOn: row.dueOn,
    status: row.status,
    overdue: isOverdue(row, today),
    droppedReason: row.droppedReason,
    evidence: row.evidence,
    completedOn: row.completedOn,
    version: row.version,
  });
}

@ObjectType({ implements: Node, description: 'An assessment of CORE fidelity item 22 criterion (a), (b) or (d) for a team, with its assessor, date and evidence.' })
export class CoreFidelityAssessment extends Node {
  @Field(() => CoreItem22Criterion) criterion!: CoreItem22Criterion;
  @Field() met!: boolean;
  @Field(() => DateResolver) assessedOn!: Date;
  @Field() assessor!: string;
  @Field() evidence!: string;
  @Field() recordedBy!: string;
  dbId!: number;
  orgUnitId!: number;
}

@ObjectType()
export class CoreFidelityAssessmentConnection extends Connection(CoreFidelityAssessment) {}

export const CORE_ITEM_22_ASSESSMENT_TYPENAME = 'CoreFidelityAssessment' satisfies NodeTypeName;

export function assessmentFromRow(row: AssessmentRow): CoreFidelityAssessment {
  return Object.assign(new CoreFidelityAssessment(), {
    id: encodeGlobalId(CORE_ITEM_22_ASSESSMENT_TYPENAME, row.id),
    dbId: row.id,
    orgUnitId: row.orgUnitId,
    criterion: row.criterion,
    met: row.met,
    assessedOn: row.assessedOn,
    assessor: row.assessor,
    evidence: row.evidence,
    recordedBy: row.recordedBy,
  });
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    FeedbackTheme: true;
    Feedback: true;
    FeedbackAction: true;
    CoreFidelityAssessment: true;
  }
}
