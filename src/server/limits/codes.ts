import { GraphQLError } from 'graphql';

/** `extensions.code` of an operation refused by a limit (always HTTP 400). */
export const LimitCode = {
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_ROOT_FIELDS: 'TOO_MANY_ROOT_FIELDS',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

export const LIMIT_CODES: ReadonlySet<string> = new Set(Object.values(LimitCode));

/** One refused limit: what was measured against what was allowed. */
export interface LimitViolation {
  code: LimitCode;
  message: string;
  actual: number;
  limit: number;
}

export function limitError(violation: LimitViolation): GraphQLError {
  return new GraphQLError(violation.message, {
    extensions: { code: violation.code, limit: violation.limit, actual: violation.actual, http: { status: 400 } },
  });
}

/** graphql-js reports `parse(..., { maxTokens })` as a syntax error with this wording ("more that" in v16). */
export const TOO_MANY_TOKENS_MESSAGE = /Document contains more tha[nt] (\d+) tokens/;
