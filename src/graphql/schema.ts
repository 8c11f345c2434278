import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import './enums';
import { AuthResolver } from '../auth/auth.resolver';
import { BoardResolver, MeasureSeriesResolver } from '../board/board.resolver';
import { IntegrationClientResolver } from '../integrations/integration-client.resolver';
import { MeasureResolver, MeasureTargetResolver, PrincipleMeasuresResolver, WorkstreamMeasuresResolver } from '../measures/measure.resolver';
import { ObservationResolver } from '../observations/observation.resolver';
import { OrgUnitResolver } from '../organisation/org-unit.resolver';
import { PersonResolver } from '../people/person.resolver';
import { PrincipleResolver } from '../principles/principle.resolver';
import { OrgUnitWorkstreamsResolver, PrincipleWorkstreamsResolver, WorkstreamResolver } from '../workstreams/workstream.resolver';
import { NodeResolver } from './node.resolver';
import {
  AuditEventResolver,
  InvolvementHistoryResolver,
  MeasureHistoryResolver,
  MilestoneHistoryResolver,
  OrgUnitHistoryResolver,
  PersonHistoryResolver,
  WorkstreamHistoryResolver,
} from '../audit/audit-event.resolver';
import { CoverageResolver } from '../map/coverage.resolver';
import { WorkstreamMutationResolver } from '../workstreams/workstream.mutations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  NodeResolver,
  AuthResolver,
  PrincipleResolver,
  OrgUnitResolver,
  PersonResolver,
  WorkstreamResolver,
  PrincipleWorkstreamsResolver,
  OrgUnitWorkstreamsResolver,
  MeasureResolver,
  MeasureTargetResolver,
  PrincipleMeasuresResolver,
  WorkstreamMeasuresResolver,
  ObservationResolver,
  IntegrationClientResolver,
  MeasureSeriesResolver,
  BoardResolver,
  // the faculty map: editing, history and coverage
  WorkstreamMutationResolver,
  AuditEventResolver,
  OrgUnitHistoryResolver,
  PersonHistoryResolver,
  WorkstreamHistoryResolver,
  MilestoneHistoryResolver,
  InvolvementHistoryResolver,
  MeasureHistoryResolver,
  CoverageResolver,
];

let built: Promise<GraphQLSchema> | null = null;

/** The schema is built once per process from the decorated classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false, // services validate with zod and answer with user errors
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show only real changes. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
