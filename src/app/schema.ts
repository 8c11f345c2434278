import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import '../graphql/enums';
import { NodeResolver } from '../graphql/node.resolver';
import { UserErrorResolver } from '../graphql/user-error';
import { FEATURES } from './features';

let built: Promise<GraphQLSchema> | null = null;

/** The schema is built once per process from the framework's and every feature's resolvers. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const resolvers: NonEmptyArray<Function> = [NodeResolver, UserErrorResolver, ...FEATURES.flatMap((feature) => feature.resolvers ?? [])];
  built ??= buildSchema({
    resolvers,
    validate: false, // services validate with zod and answer with user errors
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show only real changes. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
