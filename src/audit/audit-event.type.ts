import { JSONResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { AuditEvent as AuditEventRow } from '../generated/prisma/client';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'One recorded change: who, when, to what, and the values before and after.' })
export class AuditEvent extends Node {
  @Field({ description: 'When the change was committed (its transaction’s time).' }) at!: Date;
  @Field({ description: 'Who made it: the API key’s label.' }) actor!: string;
  @Field(() => String, { nullable: true, description: 'The request that made it (the same for every change of one mutation).' }) requestId!: string | null;
  @Field({ description: 'The kind of entity changed: OrgUnit, Person, Workstream, Milestone, Measure, ...' }) entityType!: string;
  @Field({ description: 'The changed entity’s database id.' }) entityId!: string;
  @Field({ description: 'create, update, move, archive, addPrinciple, removeTeam, setTarget, ...' }) action!: string;
  @Field(() => JSONResolver, { nullable: true, description: 'The values before (null for a creation or a new link).' }) before!: unknown;
  @Field(() => JSONResolver, { nullable: true, description: 'The values after (null for a removed link).' }) after!: unknown;

  dbId!: bigint;
}

export const AUDIT_EVENT_TYPENAME = 'AuditEvent' satisfies NodeTypeName;

export function auditEventFromRow(row: AuditEventRow): AuditEvent {
  return Object.assign(new AuditEvent(), {
    id: encodeGlobalId(AUDIT_EVENT_TYPENAME, row.id),
    dbId: row.id,
    at: row.at,
    actor: row.actor,
    requestId: row.requestId,
    entityType: row.entityType,
    entityId: row.entityId,
    action: row.action,
    before: row.before,
    after: row.after,
  });
}

@ObjectType()
export class AuditEventConnection extends Connection(AuditEvent) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    AuditEvent: true;
  }
}
