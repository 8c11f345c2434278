import { Field, Int, ObjectType } from 'type-graphql';
import type { Person as PersonRow } from '../generated/prisma/client';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'Someone who leads, owns or takes part in the faculty’s work.' })
export class Person extends Node {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) jobTitle!: string | null;
  @Field({ description: 'Brings lived experience of the services (peer workers, experts by experience).' })
  hasLivedExperience!: boolean;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;

  dbId!: number;
  orgUnitId!: number | null;
}

export const PERSON_TYPENAME = 'Person' satisfies NodeTypeName;

export function personFromRow(row: PersonRow): Person {
  return Object.assign(new Person(), {
    id: encodeGlobalId(PERSON_TYPENAME, row.id),
    dbId: row.id,
    name: row.name,
    email: row.email,
    jobTitle: row.jobTitle,
    hasLivedExperience: row.hasLivedExperience,
    archived: row.archivedAt !== null,
    version: row.version,
    orgUnitId: row.orgUnitId,
  });
}

@ObjectType()
export class PersonConnection extends Connection(Person) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Person: true;
  }
}
