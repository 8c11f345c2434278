import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Actor } from './actor';

/**
 * Trusts kept apart by construction. A request's database client is wrapped so that every
 * read of a table that belongs to a trust (org units and everything hung on one: people,
 * observations and their revisions, targets, annotations, team links, feedback with its
 * themes and actions, CORE item 22 assessments, audit
 * entries, integration scopes and keys) returns only rows of the actor's trusts. Services
 * and loaders cannot forget the filter: they never see the unwrapped client. Raw SQL is not
 * wrapped (nor is the rollup table, read by raw SQL or by a key of a unit already resolved
 * through this client); raw SQL reads by ids so resolved, or is internal (rollups, disclosure
 * tables), and says so where it is written.
 */

type Where = Record<string, unknown>;

/** The org units of these trusts: their subtrees, by materialised path (`/<trust id>/...`). */
export function unitsOfTrusts(trustIds: readonly number[]): Prisma.OrgUnitWhereInput {
  if (trustIds.length === 0) return { id: { in: [] } };
  const subtrees = trustIds.map((id) => ({ path: { startsWith: `/${id}/` } }));
  return subtrees.length === 1 ? subtrees[0] : { OR: subtrees };
}

/** The people of these trusts, and those of no unit (shared by every trust). */
export function peopleOfTrusts(trustIds: readonly number[]): Prisma.PersonWhereInput {
  return { OR: [{ orgUnitId: null }, { orgUnit: unitsOfTrusts(trustIds) }] };
}

/**
 * For a filter through a relation (which the wrapped client does not narrow: it narrows each
 * query's own model): the people this actor may see, or undefined for a reader of every trust.
 */
export function peopleOfActorTrusts(actor: Actor): Prisma.PersonWhereInput | undefined {
  return actor.trustIds === null ? undefined : peopleOfTrusts(actor.trustIds);
}

/** Each trust-bound model's filter. A null org unit is shared by every trust (a person with no team, a trust-wide target). */
function filtersFor(trustIds: readonly number[]): Record<string, Where> {
  const units = unitsOfTrusts(trustIds);
  const person = peopleOfTrusts(trustIds);
  const client: Prisma.IntegrationClientWhereInput = { orgUnits: { some: {}, every: { orgUnit: units } } };
  const filters: { [M in keyof Prisma.TypeMap['model']]?: Where } = {
    OrgUnit: units,
    Person: person,
    Observation: { orgUnit: units } satisfies Prisma.ObservationWhereInput,
    ObservationRevision: { observation: { orgUnit: units } } satisfies Prisma.ObservationRevisionWhereInput,
    Commentary: { orgUnit: units } satisfies Prisma.CommentaryWhereInput,
    SpcPhase: { orgUnit: units } satisfies Prisma.SpcPhaseWhereInput,
    MeasureTarget: { OR: [{ orgUnitId: null }, { orgUnit: units }] } satisfies Prisma.MeasureTargetWhereInput,
    Feedback: { orgUnit: units } satisfies Prisma.FeedbackWhereInput,
    FeedbackThemeLink: { feedback: { orgUnit: units } } satisfies Prisma.FeedbackThemeLinkWhereInput,
    FeedbackAction: { feedback: { orgUnit: units } } satisfies Prisma.FeedbackActionWhereInput,
    CoreItem22Assessment: { orgUnit: units } satisfies Prisma.CoreItem22AssessmentWhereInput,
    WorkstreamTeam: { orgUnit: units } satisfies Prisma.WorkstreamTeamWhereInput,
    WorkstreamLead: { person } satisfies Prisma.WorkstreamLeadWhereInput,
    AuditEvent: { OR: [{ orgUnitId: null }, { orgUnit: units }] } satisfies Prisma.AuditEventWhereInput,
    IntegrationClientOrgUnit: { orgUnit: units } satisfies Prisma.IntegrationClientOrgUnitWhereInput,
    IntegrationClient: client,
    // A key is another trust's unless every trust it names is one of ours (a key of every trust is no one trust's).
    ApiKey: {
      OR: [
        { integrationClientId: null, trusts: { some: {}, every: { trustId: { in: [...trustIds] } } } },
        { integrationClient: client },
      ],
    } satisfies Prisma.ApiKeyWhereInput,
    ApiKeyTrust: { trustId: { in: [...trustIds] } } satisfies Prisma.ApiKeyTrustWhereInput,
  };
  return filters as Record<string, Where>;
}

// Reads, and the writes that select rows by a filter. A single-row update or delete is made
// by a service after it has read the row through this client (so it is one of ours).
const FILTERED_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'updateMany',
  'deleteMany',
]);

/** `where` narrowed by `filter`; a unique `where` keeps its unique fields at the top, as Prisma asks. */
function narrowed(where: Where | undefined, filter: Where): Where {
  if (!where) return filter;
  const and = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...and, filter] };
}

function trustScoped(prisma: PrismaClient, trustIds: readonly number[]): PrismaClient {
  const filters = filtersFor(trustIds);
  return prisma.$extends({
    name: 'trusts-kept-apart',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const filter = filters[model];
          if (!filter || !FILTERED_OPERATIONS.has(operation)) return query(args);
          const withWhere = args as { where?: Where };
          return query({ ...withWhere, where: narrowed(withWhere.where, filter) } as typeof args);
        },
      },
    },
  }) as unknown as PrismaClient;
}

// One wrapped client per set of trusts (there are few), made on first use.
const scopedClients = new WeakMap<PrismaClient, Map<string, PrismaClient>>();

/** The database as this actor may see it: the client itself for a reader of every trust, no trust's rows without an actor. */
export function clientForActor(prisma: PrismaClient, actor: Actor | null): PrismaClient {
  if (actor && actor.trustIds === null) return prisma;
  const trustIds = actor?.trustIds ?? [];
  let byTrusts = scopedClients.get(prisma);
  if (!byTrusts) scopedClients.set(prisma, (byTrusts = new Map()));
  const key = [...trustIds].sort((a, b) => a - b).join(',');
  let client = byTrusts.get(key);
  if (!client) byTrusts.set(key, (client = trustScoped(prisma, trustIds)));
  return client;
}

/** For raw SQL: `pathColumn` (an org unit's materialised path, `/<trust id>/...`) is of the actor's trusts. */
function pathInTrustsSql(pathColumn: string, trustIds: readonly number[], params: unknown[]): string {
  return `split_part(${pathColumn}, '/', 2)::int = ANY($${params.push([...trustIds])}::int[])`;
}

/**
 * For raw SQL that reads org units (their path in `pathColumn`): a condition keeping the units of the
 * actor's trusts; '' for a reader of every trust.
 */
export function unitInTrustsSql(actor: Actor, pathColumn: string, params: unknown[]): string {
  if (actor.trustIds === null) return '';
  return ` AND ${pathInTrustsSql(pathColumn, actor.trustIds, params)}`;
}

/**
 * For raw SQL that reads a trust-bound table: a condition keeping rows whose org unit (the
 * column `unitIdColumn`, null meaning shared) is of the actor's trusts; '' for a reader of every trust.
 */
export function sharedOrInTrustsSql(actor: Actor, unitIdColumn: string, params: unknown[]): string {
  if (actor.trustIds === null) return '';
  return ` AND (${unitIdColumn} IS NULL OR EXISTS (SELECT 1 FROM org_unit tu WHERE tu.id = ${unitIdColumn} AND ${pathInTrustsSql('tu.path', actor.trustIds, params)}))`;
}
