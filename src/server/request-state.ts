import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../access/actor';
import type { Authentication } from '../access/authenticate';
import type { SqlCounter } from '../db/sql-counter';
import type { RateLimitDecision } from './rate-limit';

/**
 * What the server learns about one HTTP request as it goes, for the single log line and the
 * metrics written when the response finishes. Every layer (Express guards, the context
 * function, Apollo plugins, formatError) fills in its part; formatError gets no context, so
 * the state also lives in AsyncLocalStorage for the request's whole async tree.
 */
export interface RequestState {
  requestId: string;
  startedAt: bigint;
  sqlCounter: SqlCounter;
  actor: string | null;
  operationName: string | null;
  operationType: string | null;
  /** the operation's cost under the limits' cost model, once computed */
  cost: number | null;
  /** `extensions.code` of every error sent, as the client saw them */
  errorCodes: string[];
  rateLimit: RateLimitDecision | null;
  /** whose budgets the request draws on (`key:12`, `oidc:<sub>`, `operator`, `ip:<address>`), once authenticated */
  rateLimitSubject: string | null;
  /** the points budget after this operation's charge (RATE_LIMIT_POINTS_PER_MINUTE), when it is on */
  pointsRateLimit: (RateLimitDecision & { cost: number }) | null;
  /** observation rows written by the request's imports (committed, not dry runs) */
  observationRows: ObservationRowCounts | null;
}

export interface ObservationRowCounts {
  /** who sent them: an integration client's source system, else the sender's role */
  sender: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export function newRequestState(requestId: string, sqlCounter: SqlCounter): RequestState {
  return {
    requestId,
    startedAt: process.hrtime.bigint(),
    sqlCounter,
    actor: null,
    operationName: null,
    operationType: null,
    cost: null,
    errorCodes: [],
    rateLimit: null,
    rateLimitSubject: null,
    pointsRateLimit: null,
    observationRows: null,
  };
}

export const requestStateStorage = new AsyncLocalStorage<RequestState>();

export function currentRequestState(): RequestState | undefined {
  return requestStateStorage.getStore();
}

/** An import's outcome as its summary gives it (observations' import-summary.ts): the counts, and whether it was a dry run. */
export type ImportedRows = Omit<ObservationRowCounts, 'sender'> & { dryRun: boolean };

/**
 * Adds an import's outcome to the request's log line and the rows metric, so a trust can watch
 * its nightly feeds (did they arrive, how much was refused) without reading the database.
 * Called by whoever ran the import (the GraphQL resolver, the FHIR router); a dry run writes
 * nothing and is not counted.
 */
export function noteObservationRows(actor: Actor, imported: ImportedRows): void {
  if (imported.dryRun) return;
  const state = currentRequestState();
  if (!state) return;
  const sender = actor.role === 'INTEGRATION' ? (actor.sourceSystem ?? 'integration') : actor.role;
  const sum = state.observationRows ?? { sender, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  state.observationRows = {
    sender,
    created: sum.created + imported.created,
    updated: sum.updated + imported.updated,
    unchanged: sum.unchanged + imported.unchanged,
    rejected: sum.rejected + imported.rejected,
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    requestState: RequestState;
    /** set on /graphql before Apollo runs (see access.ts) */
    authentication: Authentication;
  }
}
