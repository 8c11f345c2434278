import { Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { boundEchoes } from '../lib/bounded-text';

@ObjectType({ description: 'A business-rule failure. A payload with user errors changed nothing.' })
export class UserError {
  @Field(() => [String], { description: 'Path to the input field at fault, relative to `input` (e.g. ["rows", "3", "numerator"]).' })
  field!: string[];

  @Field()
  message!: string;

  @Field({ description: 'Machine-readable: INVALID, REQUIRED, TAKEN, NOT_FOUND, FORBIDDEN, CONFLICT, ...' })
  code!: string;
}

@ObjectType()
export abstract class Payload {
  @Field(() => [UserError])
  userErrors!: UserError[];
}

/** Every user error's message, wherever it was made, echoes at most 100 characters of the input (boundEchoes). */
@Resolver(() => UserError)
export class UserErrorResolver {
  @FieldResolver(() => String)
  message(@Root() error: UserError): string {
    return boundEchoes(error.message);
  }
}
