import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a globally unique, opaque ID (Relay).' })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
