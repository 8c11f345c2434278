import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { execute, getNamedType, GraphQLError, isInputObjectType, typeFromAST, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { RequestContext } from '../graphql/context';

type Gateway = ApolloServerOptionsWithGateway<RequestContext>['gateway'];

/**
 * How one operation is executed: compiled by graphql-jit, or by graphql-js's interpreter (for
 * good, or until the document is seen again: compiling costs 1-4 ms, so a document is compiled
 * on its second request, and a stream of never-repeated documents costs no more than before).
 */
type Plan = { kind: 'compiled'; query: CompiledQuery } | { kind: 'interpreted' } | { kind: 'seen once' };

/** Plans kept per process: clients send the same few documents again and again. */
const PLANS_KEPT = 1000;

/**
 * Executes operations with graphql-jit where it can: each document is compiled once (per
 * operation name) into a function that walks the result without graphql-js's per-field argument
 * maps and promise chains, which were a quarter of the CPU of a request for 600 series points
 * (issue 15). Apollo still parses, validates, runs every plugin (authentication, the cost limit,
 * the response caches) and formats errors; only execution changes. Apollo Server takes another
 * executor only through its gateway interface: this is a "gateway" of one fixed schema.
 *
 * graphql-jit's own variable coercion does not apply an input object's field defaults (a
 * `dryRun: Boolean! = false` left out is refused), so an operation with an input-object variable
 * runs on graphql-js (mutations mostly; they are not the hot path). For the rest, the variables
 * are first checked by graphql-js's own coercion, so a bad variable is answered exactly as
 * before (the same message and BAD_USER_INPUT), and only valid ones reach the compiled query.
 * `onExecute` is told which executor ran each operation (the metrics count them).
 */
export function jitGateway(schema: GraphQLSchema, onExecute: (executor: 'compiled' | 'interpreted') => void = () => undefined): Gateway {
  const plans = new LRUCache<string, Plan>({ max: PLANS_KEPT });
  const planOf = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): Plan => {
    if (hasInputObjectVariable(schema, operation)) return { kind: 'interpreted' };
    const compiled = compileQuery(schema, document, operationName ?? undefined);
    return isCompiledQuery(compiled) ? { kind: 'compiled', query: compiled } : { kind: 'interpreted' };
  };
  return {
    async load() {
      return {
        executor: async (request) => {
          const variables = request.request.variables ?? {};
          const key = `${request.queryHash}\u0000${request.operationName ?? ''}`;
          let plan = plans.get(key);
          if (!plan) {
            plan = { kind: 'seen once' };
            plans.set(key, plan);
          } else if (plan.kind === 'seen once') {
            plan = planOf(request.document, request.operation, request.operationName);
            plans.set(key, plan);
          }
          if (plan.kind !== 'compiled') {
            onExecute('interpreted');
            return execute({ schema, document: request.document, contextValue: request.context, variableValues: variables, operationName: request.operationName });
          }
          onExecute('compiled');
          const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], variables);
          if (coerced.errors) return { errors: coerced.errors };
          const result = (await plan.query.query(undefined, request.context, variables)) as ExecutionResult;
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors are its own objects, without `extensions` when the resolver's error had
 * none; Apollo reads `error.extensions.code` and, failing, answers a bare "Internal server
 * error" before our formatError sees the error (a statement timeout lost its 503). Each is
 * made the graphql-js error it stands for: message, locations, path, original error, extensions.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions ?? undefined });
  return Object.assign(copy, { locations: error.locations });
}

function hasInputObjectVariable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type as never);
    return type !== undefined && isInputObjectType(getNamedType(type));
  });
}
