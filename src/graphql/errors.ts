import { GraphQLError } from 'graphql';

/**
 * Error codes the API sends in `extensions.code` (top-level errors) and in `UserError.code`
 * (business errors in a mutation payload). Clients branch on these, never on messages.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // user-error codes
  INVALID: 'INVALID',
  REQUIRED: 'REQUIRED',
  TAKEN: 'TAKEN',
  CONFLICT: 'CONFLICT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The challenge of a request that sent no credential (RFC 6750 §3); a bad one adds `error="invalid_token"` (access/authenticate.ts). */
export const BEARER_CHALLENGE = 'Bearer realm="relational-care-graph"';

export function unauthenticated(message = 'A valid API key is required: send Authorization: Bearer <key>', challenge = BEARER_CHALLENGE): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401, headers: new Map([['www-authenticate', challenge]]) } } });
}

/** A credential that is valid but grants nothing here (a person's token with no role we know): HTTP 403 with its challenge. */
export function credentialRefused(message: string, challenge: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403, headers: new Map([['www-authenticate', challenge]]) } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argument } : {}) } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}

/** A business-rule failure found inside a service: becomes a `UserError` in the payload. */
export interface UserErrorData {
  field: string[];
  message: string;
  code: string;
}

/**
 * Thrown inside a mutation's transaction to roll it back and report user errors: a payload
 * with user errors changed nothing.
 */
export class UserErrorsException extends Error {
  constructor(readonly userErrors: UserErrorData[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}
