import { Field, Int, ObjectType } from 'type-graphql';
import type { OrgUnit as OrgUnitRow } from '../generated/prisma/client';
import { OrgUnitType } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A trust, directorate, service, team or ward.' })
export class OrgUnit extends Node {
  @Field({ description: 'Unique code: the NHS ODS code for a trust, a local code below it.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => OrgUnitType)
  type!: OrgUnitType;

  @Field(() => String, { nullable: true, description: 'NHS ODS code, where the unit has one.' })
  odsCode!: string | null;

  @Field(() => Int, { description: 'Depth in the tree: 0 for a trust.' })
  depth!: number;

  @Field()
  archived!: boolean;

  @Field(() => Int, { description: 'Changes with every update; send it back to update safely.' })
  version!: number;

  dbId!: number;
  parentId!: number | null;
  /** materialised path of ids, e.g. "/1/4/17/": the subtree is every path with this prefix */
  path!: string;
}

export const ORG_UNIT_TYPENAME = 'OrgUnit' satisfies NodeTypeName;

/** The columns an OrgUnit is made of (what the raw-SQL reads select). */
export type OrgUnitRowFields = Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'type' | 'odsCode' | 'depth' | 'archivedAt' | 'version' | 'parentId' | 'path'>;

export function orgUnitFromRow(row: OrgUnitRowFields): OrgUnit {
  return Object.assign(new OrgUnit(), {
    id: encodeGlobalId(ORG_UNIT_TYPENAME, row.id),
    dbId: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    odsCode: row.odsCode,
    depth: row.depth,
    archived: row.archivedAt !== null,
    version: row.version,
    parentId: row.parentId,
    path: row.path,
  });
}

@ObjectType()
export class OrgUnitConnection extends Connection(OrgUnit) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    OrgUnit: true;
  }
}
