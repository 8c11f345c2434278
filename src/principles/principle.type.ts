import { Field, ObjectType } from 'type-graphql';
import type { Principle as PrincipleRow } from '../generated/prisma/client';
import { PrincipleKey } from '../graphql/enums';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'One of the 4Rs: Rights-based, Relational, Reflective, Responsive.' })
export class Principle extends Node {
  @Field(() => PrincipleKey) key!: PrincipleKey;
  @Field() name!: string;
  @Field() summary!: string;
  @Field({ description: 'What the principle means for patients and their networks.' }) patientFocus!: string;
  @Field({ description: 'What the principle means for staff.' }) staffFocus!: string;

  dbId!: number;
  sortOrder!: number;
}

export const PRINCIPLE_TYPENAME = 'Principle' satisfies NodeTypeName;

export function principleFromRow(row: PrincipleRow): Principle {
  return Object.assign(new Principle(), {
    id: encodeGlobalId(PRINCIPLE_TYPENAME, row.id),
    dbId: row.id,
    key: row.key,
    name: row.name,
    summary: row.summary,
    patientFocus: row.patientFocus,
    staffFocus: row.staffFocus,
    sortOrder: row.sortOrder,
  });
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Principle: true;
  }
}
