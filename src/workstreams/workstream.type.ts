import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type {
  LivedExperienceInvolvement as InvolvementRow,
  Milestone as MilestoneRow,
  Workstream as WorkstreamRow,
} from '../generated/prisma/client';
import { InvolvementKind, MilestoneStatus, WorkstreamLeadRole, WorkstreamStatus } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import { Person } from '../people/person.type';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'A strand of the faculty’s work (Open Dialogue, reducing restrictive practice, CARE training, ...).' })
export class Workstream extends Node {
  @Field() code!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => [String]) aims!: string[];
  @Field(() => WorkstreamStatus) status!: WorkstreamStatus;
  @Field(() => DateResolver, { nullable: true }) startDate!: Date | null;
  @Field(() => DateResolver, { nullable: true }) endDate!: Date | null;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  @Field({ description: 'When its own fields last changed (links and milestones have their own history).' }) updatedAt!: Date;

  dbId!: number;
}

export const WORKSTREAM_TYPENAME = 'Workstream' satisfies NodeTypeName;

export function workstreamFromRow(row: WorkstreamRow): Workstream {
  return Object.assign(new Workstream(), {
    id: encodeGlobalId(WORKSTREAM_TYPENAME, row.id),
    dbId: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    aims: row.aims,
    status: row.status,
    startDate: row.startDate,
    endDate: row.endDate,
    archived: row.archivedAt !== null,
    version: row.version,
    updatedAt: row.updatedAt,
  });
}

@ObjectType()
export class WorkstreamConnection extends Connection(Workstream) {}

@ObjectType({ description: 'A person leading a workstream, and in what role.' })
export class WorkstreamLead {
  @Field(() => Person) person!: Person;
  @Field(() => WorkstreamLeadRole) role!: WorkstreamLeadRole;
}

@ObjectType()
export class WorkstreamLeadConnection extends Connection(WorkstreamLead) {}

@ObjectType({ implements: Node })
export class Milestone extends Node {
  @Field() title!: string;
  @Field(() => DateResolver, { nullable: true }) dueDate!: Date | null;
  @Field(() => MilestoneStatus) status!: MilestoneStatus;
  @Field(() => DateResolver, { nullable: true }) completedOn!: Date | null;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  dbId!: number;
}

@ObjectType()
export class MilestoneConnection extends Connection(Milestone) {}

export const MILESTONE_TYPENAME = 'Milestone' satisfies NodeTypeName;

export function milestoneFromRow(row: MilestoneRow): Milestone {
  return Object.assign(new Milestone(), {
    id: encodeGlobalId(MILESTONE_TYPENAME, row.id),
    dbId: row.id,
    title: row.title,
    dueDate: row.dueDate,
    status: row.status,
    completedOn: row.completedOn,
    archived: row.archivedAt !== null,
    version: row.version,
  });
}

@ObjectType({ implements: Node, description: 'How people with lived experience take part in a workstream.' })
export class LivedExperienceInvolvement extends Node {
  @Field(() => InvolvementKind) kind!: InvolvementKind;
  @Field() description!: string;
  @Field(() => Int, { nullable: true }) peopleCount!: number | null;
  @Field(() => DateResolver, { nullable: true }) startedOn!: Date | null;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  dbId!: number;
}

@ObjectType()
export class LivedExperienceInvolvementConnection extends Connection(LivedExperienceInvolvement) {}

export const INVOLVEMENT_TYPENAME = 'LivedExperienceInvolvement' satisfies NodeTypeName;

export function involvementFromRow(row: InvolvementRow): LivedExperienceInvolvement {
  return Object.assign(new LivedExperienceInvolvement(), {
    id: encodeGlobalId(INVOLVEMENT_TYPENAME, row.id),
    dbId: row.id,
    kind: row.kind,
    description: row.description,
    peopleCount: row.peopleCount,
    startedOn: row.startedOn,
    archived: row.archivedAt !== null,
    version: row.version,
  });
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Workstream: true;
    Milestone: true;
    LivedExperienceInvolvement: true;
  }
}
