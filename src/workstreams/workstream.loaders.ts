import DataLoader from 'dataloader';
import { sharedOrInTrustsSql } from '../access/tenancy';
import type { OrgUnit as OrgUnitRow, PrismaClient } from '../generated/prisma/client';
import { encodeCursor, type ConnectionArgs, type Page, pageRequest, type PageRequest } from '../graphql/connection';
import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import { personFromRow } from '../people/person.type';
import { involvementFromRow, milestoneFromRow, workstreamFromRow } from './workstream.type';

/** Links listed by their workstream's name, then creation order. */
const BY_WORKSTREAM_NAME = [{ workstream: { name: 'asc' as const } }, { workstreamId: 'asc' as const }];

interface TeamPageRow {
  workstream_id: number;
  total: number | bigint;
  start_pos: number | bigint;
  end_pos: number | bigint;
  id: number | null;
  code: string;
  name: string;
  type: OrgUnitRow['type'];
  ods_code: string | null;
  parent_id: number | null;
  path: string;
  depth: number;
  version: number;
  archived_at: Date | null;
}

/** A cursor's key as the id it names, or null (an unknown cursor starts the list, as pageFromArray does). */
function idOfKey(key: string | null): number | null {
  return key !== null && /^\d{1,9}$/.test(key) ? Number(key) : null;
}

/**
 * One page of each workstream's teams (by name, then id: the order and cursors `pageFromArray`
 * gives), every workstream asking the same page read in one statement that returns only the
 * pages' rows, each workstream's total and where its page starts and ends. A map of many
 * workstreams with thousands of links carries a page per workstream, never every link.
 * Raw SQL reads workstream_team, a trust-bound table: it keeps the reader's trusts' units
 * (sharedOrInTrustsSql), as the tenancy extension does for the Prisma client.
 */
async function teamPages(ctx: RequestContext, workstreamIds: readonly number[], request: PageRequest): Promise<Map<number, Page<OrgUnit>>> {
  const params: unknown[] = [[...workstreamIds], idOfKey(request.afterKey), idOfKey(request.beforeKey), request.size, request.backward];
  const trusts = sharedOrInTrustsSql(ctx.actor, 'wt.org_unit_id', params);
  const rows = await ctx.prisma.$queryRawUnsafe<TeamPageRow[]>(
    `WITH links AS (
       SELECT wt.workstream_id, u.id, u.code, u.name, u.type::text AS type, u.ods_code, u.parent_id, u.path, u.depth, u.version, u.archived_at,
              row_number() OVER (PARTITION BY wt.workstream_id ORDER BY u.name, u.id) AS pos
       FROM workstream_team wt JOIN org_unit u ON u.id = wt.org_unit_id
       WHERE wt.workstream_id = ANY($1::int[])${trusts}
     ), bounds AS (
       SELECT workstream_id, count(*) AS total,
              coalesce(max(pos) FILTER (WHERE id = $2::int), 0) AS start_pos,
              coalesce(max(pos) FILTER (WHERE id = $3::int) - 1, count(*)) AS end_pos
       FROM links GROUP BY workstream_id
     )
     SELECT b.workstream_id, b.total, b.start_pos, b.end_pos, l.id, l.code, l.name, l.type, l.ods_code, l.parent_id, l.path, l.depth, l.version, l.archived_at
     FROM bounds b
     LEFT JOIN links l ON l.workstream_id = b.workstream_id AND l.pos > b.start_pos AND l.pos <= b.end_pos
       AND CASE WHEN $5::boolean THEN l.pos > b.end_pos - $4::int ELSE l.pos <= b.start_pos + $4::int END
     ORDER BY b.workstream_id, l.pos`,
    ...params,
  );
  const pages = new Map<number, Page<OrgUnit>>();
  const byWorkstream = new Map<number, TeamPageRow[]>();
  for (const row of rows) {
    const id = Number(row.workstream_id);
    const list = byWorkstream.get(id) ?? [];
    list.push(row);
    byWorkstream.set(id, list);
  }
  for (const [workstreamId, list] of byWorkstream) {
    const total = Number(list[0].total);
    const start = Number(list[0].start_pos);
    const end = Number(list[0].end_pos);
    const nodes = list
      .filter((row) => row.id !== null)
      .map((row) =>
        orgUnitFromRow({
          id: Number(row.id),
          code: row.code,
          name: row.name,
          type: row.type,
          odsCode: row.ods_code,
          parentId: row.parent_id === null ? null : Number(row.parent_id),
          path: row.path,
          depth: Number(row.depth),
          version: Number(row.version),
          archivedAt: row.archived_at,
        } as OrgUnitRow),
      );
    const windowLength = Math.max(0, end - start);
    const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.dbId) }));
    pages.set(workstreamId, {
      edges,
      pageInfo: {
        hasNextPage: request.backward ? end < total : windowLength > nodes.length,
        hasPreviousPage: request.backward ? windowLength > nodes.length : start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      countItems: async () => total,
    });
  }
  return pages;
}

const NO_TEAMS: Page<OrgUnit> = {
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  countItems: async () => 0,
};

function buildWorkstreamLoaders(ctx: RequestContext) {
  const prisma: PrismaClient = ctx.prisma;
  /** `teams(first:, after:, ...)` of each workstream: keys "<workstream id>|<page request>", one statement per distinct page request. */
  const teamPageByWorkstream = new DataLoader<string, Page<OrgUnit>>(async (keys) => {
    const groups = new Map<string, number[]>();
    for (const key of keys) {
      const bar = key.indexOf('|');
      const list = groups.get(key.slice(bar + 1)) ?? [];
      list.push(Number(key.slice(0, bar)));
      groups.set(key.slice(bar + 1), list);
    }
    const found = new Map<string, Page<OrgUnit>>();
    await Promise.all(
      [...groups].map(async ([requestKey, ids]) => {
        const pages = await teamPages(ctx, [...new Set(ids)], JSON.parse(requestKey) as PageRequest);
        for (const id of ids) found.set(`${id}|${requestKey}`, pages.get(id) ?? NO_TEAMS);
      }),
    );
    return keys.map((key) => found.get(key) as Page<OrgUnit>);
  });
  return {
    /** A page of a workstream's teams and wards, paged in SQL (see teamPages). */
    teamPage: (workstreamId: number, args: ConnectionArgs) => {
      const request = pageRequest(args);
      const requestKey = JSON.stringify({ size: request.size, backward: request.backward, afterKey: request.afterKey, beforeKey: request.beforeKey });
      return teamPageByWorkstream.load(`${workstreamId}|${requestKey}`);
    },
    workstreamById: loaderByKey((ids: number[]) => prisma.workstream.findMany({ where: { id: { in: ids } } }), (row) => row.id, workstreamFromRow),
    workstreamByCode: loaderByKey((codes: string[]) => prisma.workstream.findMany({ where: { code: { in: codes } } }), (row) => row.code, workstreamFromRow),
    /** Live (unarchived) workstreams serving each principle, by name. */
    workstreamsByPrinciple: loaderOfLists(
      (principleIds: number[]) =>
        prisma.workstreamPrinciple.findMany({ where: { principleId: { in: principleIds }, workstream: { archivedAt: null } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.principleId,
      (link) => workstreamFromRow(link.workstream),
    ),
    /** Every workstream a measure evidences (archived ones too, as before it was a connection), by name: one statement for all measures. */
    workstreamsByMeasure: loaderOfLists(
      (measureIds: number[]) => prisma.measureWorkstream.findMany({ where: { measureId: { in: measureIds } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.measureId,
      (link) => workstreamFromRow(link.workstream),
    ),
    /** Workstreams a team or ward takes part in. */
    workstreamsByTeam: loaderOfLists(
      (orgUnitIds: number[]) =>
        prisma.workstreamTeam.findMany({ where: { orgUnitId: { in: orgUnitIds }, workstream: { archivedAt: null } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.orgUnitId,
      (link) => workstreamFromRow(link.workstream),
    ),
    principleIdsByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.workstreamPrinciple.findMany({ where: { workstreamId: { in: ids } } }),
      (link) => link.workstreamId,
      (link) => link.principleId,
    ),
    leadsByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.workstreamLead.findMany({ where: { workstreamId: { in: ids } }, include: { person: true }, orderBy: [{ role: 'asc' }, { personId: 'asc' }] }),
      (link) => link.workstreamId,
      (link) => ({ person: personFromRow(link.person), role: link.role }),
    ),
    milestonesByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.milestone.findMany({ where: { workstreamId: { in: ids }, archivedAt: null }, orderBy: [{ dueDate: 'asc' }, { id: 'asc' }] }),
      (row) => row.workstreamId,
      milestoneFromRow,
    ),
    involvementByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.livedExperienceInvolvement.findMany({ where: { workstreamId: { in: ids }, archivedAt: null }, orderBy: { id: 'asc' } }),
      (row) => row.workstreamId,
      involvementFromRow,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const workstreamLoaders = perRequest((ctx) => buildWorkstreamLoaders(ctx));
