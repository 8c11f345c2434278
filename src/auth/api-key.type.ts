import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { ApiKey as ApiKeyRow } from '../generated/prisma/client';
import { Role } from '../graphql/enums';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'A credential (its secret is never shown again after creation).' })
export class ApiKey extends Node {
  @Field() name!: string;
  @Field({ description: 'The visible part of the key, to recognise it.' }) prefix!: string;
  @Field(() => Role) role!: Role;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) revokedAt!: Date | null;
  dbId!: number;
  scopeOrgUnitId!: number | null;
}

export const API_KEY_TYPENAME = 'ApiKey' satisfies NodeTypeName;

export function apiKeyFromRow(row: ApiKeyRow): ApiKey {
  return Object.assign(new ApiKey(), {
    id: encodeGlobalId(API_KEY_TYPENAME, row.id),
    dbId: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    scopeOrgUnitId: row.scopeOrgUnitId,
  });
}

@ObjectType({ description: 'Who the current credential is.' })
export class Viewer {
  @Field() label!: string;
  @Field(() => Role) role!: Role;
  scopeOrgUnitId!: number | null;
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    ApiKey: true;
  }
}
