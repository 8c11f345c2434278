import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';
import { pointsRateLimitHeaders, rateLimitExtensions } from './access';
import { HttpErrorCode } from './http-errors';
import { currentRequestState } from './request-state';

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
 * Fills in what the HTTP layer logs (operation name and type) and what the client gets back
 * in `extensions`: the request id, the rate-limit budget and, outside production, the SQL
 * statement count. A database that is away answers 503 with Retry-After, so load balancers
 * and clients back off instead of treating it as a bug.
 */
export function requestObservationPlugin(production: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const state = currentRequestState();
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!state) return;
          state.operationName = operationName ?? null;
          state.operationType = operation?.operation ?? null;
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            const rateLimit = rateLimitExtensions(state);
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              requestId: contextValue.requestId,
              // the operation's cost in points (README "Limits"); 0 when it was not resolved (a syntax or validation error)
              cost: state?.cost ?? 0,
              ...(rateLimit ? { rateLimit } : {}),
              ...(production ? {} : { sqlStatements: contextValue.sql.statements }),
            };
          }
          if (state?.pointsRateLimit) for (const [name, value] of Object.entries(pointsRateLimitHeaders(state.pointsRateLimit))) response.http.headers.set(name, value);
          if (state?.errorCodes.some((code) => code === HttpErrorCode.SERVICE_UNAVAILABLE || code === HttpErrorCode.REQUEST_TIMEOUT)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '5');
          }
        },
      };
    },
  };
}
