import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';

/** True when every root field is introspection (__schema, __type, __typename). */
function onlyIntrospection(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
}

/**
 * Every operation needs a credential, except pure introspection (so tooling can read the
 * schema in development; production disables introspection altogether).
 */
export function requireAuthenticationPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          if (contextValue.isAuthenticated) return;
          if (!onlyIntrospection((operation as OperationDefinitionNode).selectionSet)) throw unauthenticated();
        },
      };
    },
  };
}

/**
 * One structured log line per operation (request id, actor, operation, duration, SQL
 * statements, outcome); the request id and, outside production, the statement count are
 * also returned in `extensions` so a caller can quote them.
 */
export function requestLoggingPlugin(production: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let operationName: string | null = null;
      let errors: readonly GraphQLError[] = [];
      return {
        async didResolveOperation({ operationName: name }) {
          operationName = name ?? null;
        },
        async didEncounterErrors({ errors: encountered }) {
          errors = encountered;
        },
        async willSendResponse({ response }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              requestId: contextValue.requestId,
              ...(production ? {} : { sqlStatements: contextValue.sql.statements }),
            };
          }
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          contextValue.logger.info(
            {
              requestId: contextValue.requestId,
              actor: contextValue.isAuthenticated ? contextValue.actor.label : null,
              operationName,
              durationMs: Math.round(durationMs * 10) / 10,
              sqlStatements: contextValue.sql.statements,
              outcome: codes.length === 0 ? 'ok' : 'error',
              errorCodes: codes,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
