import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type { IntegrationClient as IntegrationClientRow } from '../generated/prisma/client';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({
  implements: Node,
  description: 'Another trust system that pushes observations unattended, with the measures and org-unit subtrees it may write.',
})
export class IntegrationClient extends Node {
  @Field() name!: string;
  @Field({ description: 'The default `source` of what it sends (e.g. "epr", "datix").' }) sourceSystem!: string;
  @Field({ description: 'An archived (revoked) client’s keys no longer work.' }) archived!: boolean;
  @Field(() => Int, { description: 'Changes with every update; send it back to update safely.' }) version!: number;
  @Field(() => DateTimeResolver) createdAt!: Date;
  dbId!: number;
}

export const INTEGRATION_CLIENT_TYPENAME = 'IntegrationClient' satisfies NodeTypeName;

export function integrationClientFromRow(row: IntegrationClientRow): IntegrationClient {
  return Object.assign(new IntegrationClient(), {
    id: encodeGlobalId(INTEGRATION_CLIENT_TYPENAME, row.id),
    dbId: row.id,
    name: row.name,
    sourceSystem: row.sourceSystem,
    archived: row.archivedAt !== null,
    version: row.version,
    createdAt: row.createdAt,
  });
}

@ObjectType()
export class IntegrationClientConnection extends Connection(IntegrationClient) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    IntegrationClient: true;
  }
}
