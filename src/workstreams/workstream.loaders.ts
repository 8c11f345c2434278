import { sharedOrInTrustsSql, unitInTrustsSql } from '../access/tenancy';
import type {
  LivedExperienceInvolvement as InvolvementRow,
  Milestone as MilestoneRow,
  OrgUnit as OrgUnitRow,
  Person as PersonRow,
  PrismaClient,
  Workstream as WorkstreamRow,
  WorkstreamLead as WorkstreamLeadRow,
} from '../generated/prisma/client';
import { idOfCursorKey, pageFromKeysetRows, type Page, type PageRequest } from '../graphql/connection';
import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { childPageLoader, childPages, runSqlThroughPrisma, type ChildPageRow } from '../graphql/sql-pages';
import { groupBy } from '../lib/group-by';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import { personFromRow } from '../people/person.type';
import {
  involvementFromRow,
  milestoneFromRow,
  workstreamFromRow,
  WorkstreamLead,
  type LivedExperienceInvolvement,
  type Milestone,
  type Workstream,
} from './workstream.type';

/** Links listed by their workstream's name, then creation order. */
const BY_WORKSTREAM_NAME = [{ workstream: { name: 'asc' as const } }, { workstreamId: 'asc' as const }];


interface TeamPageRow {
  workstream_id: number;
  total: number;
  after_found: boolean;
  before_found: boolean;
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

/**
 * One page of each workstream's teams (by name, then id: the order and cursors `pageFromArray`
 * gives), every workstream asking the same page read in one statement. Keyset, not a window: a
 * link carries its unit's name (`unit_name`, kept by triggers), so each workstream's page is the
 * first `size + 1` entries of one index range beyond the cursor's (name, id), whatever the number
 * of links; its total is a count of the links.
 * Raw SQL reads workstream_team, a trust-bound table: it keeps the reader's trusts' units
 * (unitInTrustsSql on the linked unit), as the tenancy extension does for the Prisma client.
 */
async function teamPages(ctx: RequestContext, workstreamIds: readonly number[], request: PageRequest): Promise<Map<string, Page<OrgUnit>>> {
  const params: unknown[] = [[...workstreamIds], idOfCursorKey(request.afterKey), idOfCursorKey(request.beforeKey), request.size + 1];
  const trusts = () => unitInTrustsSql(ctx.actor, 'u.path', params);
  // The cursor's own link, if it is one of this workstream's (visible) teams; else the cursor bounds nothing.
  const cursorOf = (param: string) =>
    `SELECT wt.unit_name AS name, wt.org_unit_id AS id FROM workstream_team wt JOIN org_unit u ON u.id = wt.org_unit_id WHERE wt.workstream_id = w.id AND wt.org_unit_id = ${param}::int${trusts()}`;
  // The links of the reader's trusts, for reads of the link table alone.
  const visible = () => (ctx.actor.trustIds === null ? '' : ` AND EXISTS (SELECT 1 FROM org_unit u WHERE u.id = wt.org_unit_id${trusts()})`);
  // Paging backwards reads from `before` down (the page is reversed afterwards). The near bound is
  // written so the index can seek to it (an unknown cursor's missing key becomes the lowest one);
  // the far bound, rarer, only filters.
  const order = request.backward ? 'DESC' : 'ASC';
  const bounds: string[] = [];
  const near = request.backward ? request.beforeKey : request.afterKey;
  const far = request.backward ? request.afterKey : request.beforeKey;
  if (near !== null) {
    bounds.push(
      request.backward
        ? `(b.id IS NULL OR (wt.unit_name, wt.org_unit_id) < (b.name, b.id))`
        : `(wt.unit_name, wt.org_unit_id) > (coalesce(a.name, ''), coalesce(a.id, 0))`,
    );
  }
  if (far !== null) bounds.push(request.backward ? `(a.id IS NULL OR (wt.unit_name, wt.org_unit_id) > (a.name, a.id))` : `(b.id IS NULL OR (wt.unit_name, wt.org_unit_id) < (b.name, b.id))`);
  const bounded = bounds.map((bound) => ` AND ${bound}`).join('');
  // The page's links come from the link table's (workstream, unit name, unit id) index alone; only they meet org_unit.
  const rows = await ctx.db.raw.query<TeamPageRow>(
    `SELECT w.id AS workstream_id, t.total, a.id IS NOT NULL AS after_found, b.id IS NOT NULL AS before_found,
            u.id, u.code, u.name, u.type::text AS type, u.ods_code, u.parent_id, u.path, u.depth, u.version, u.archived_at
     FROM unnest($1::int[]) AS w(id)
     LEFT JOIN LATERAL (${cursorOf('$2')}) a ON true
     LEFT JOIN LATERAL (${cursorOf('$3')}) b ON true
     CROSS JOIN LATERAL (SELECT count(*)::int AS total FROM workstream_team wt WHERE wt.workstream_id = w.id${visible()}) t
     LEFT JOIN LATERAL (
       SELECT wt.unit_name, wt.org_unit_id FROM workstream_team wt
       WHERE wt.workstream_id = w.id${visible()}${bounded}
       ORDER BY wt.unit_name ${order}, wt.org_unit_id ${order}
       LIMIT $4::int
     ) l ON true
     LEFT JOIN org_unit u ON u.id = l.org_unit_id
     ORDER BY w.id, l.unit_name ${order}, l.org_unit_id ${order}`,
    params,
  );
  const pages = new Map<string, Page<OrgUnit>>();
  const byWorkstream = groupBy(rows, (row) => Number(row.workstream_id), (row) => row);
  for (const [workstreamId, list] of byWorkstream) {
    const total = Number(list[0].total);
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
        }),
      );
    pages.set(String(workstreamId), pageFromKeysetRows(request, nodes, { after: list[0].after_found, before: list[0].before_found }, (node) => node.dbId, async () => total));
  }
  return pages;
}

/** Each workstream's live milestones, by due date (undated last), then id. Milestones are shared by every trust, as workstreams are. */
function milestonePages(ctx: RequestContext, workstreamIds: readonly number[], request: PageRequest): Promise<Map<string, Page<Milestone>>> {
  return childPages<ChildPageRow & MilestoneRow, Milestone>(
    runSqlThroughPrisma(ctx.prisma),
    workstreamIds,
    request,
    () => ({
      parent: 'm.workstream_id',
      item: 'm.id',
      columns: 'm.id, m.workstream_id AS "workstreamId", m.title, m.due_date AS "dueDate", m.status::text AS status, m.completed_on AS "completedOn", m.version, m.archived_at AS "archivedAt"',
      from: 'FROM milestone m WHERE m.workstream_id = ANY($1::int[]) AND m.archived_at IS NULL',
      orderBy: 'm.due_date, m.id',
    }),
    milestoneFromRow,
  );
}

/** Each workstream's live lived-experience involvement, in the order recorded (shared by every trust). */
function involvementPages(ctx: RequestContext, workstreamIds: readonly number[], request: PageRequest): Promise<Map<string, Page<LivedExperienceInvolvement>>> {
  return childPages<ChildPageRow & InvolvementRow, LivedExperienceInvolvement>(
    runSqlThroughPrisma(ctx.prisma),
    workstreamIds,
    request,
    () => ({
      parent: 'i.workstream_id',
      item: 'i.id',
      columns: 'i.id, i.workstream_id AS "workstreamId", i.kind::text AS kind, i.description, i.people_count AS "peopleCount", i.started_on AS "startedOn", i.version, i.archived_at AS "archivedAt"',
      from: 'FROM lived_experience_involvement i WHERE i.workstream_id = ANY($1::int[]) AND i.archived_at IS NULL',
      orderBy: 'i.id',
    }),
    involvementFromRow,
  );
}

/**
 * Each workstream's leads by role, then person; the cursor names the person (a person leads a
 * workstream once). workstream_lead is trust-bound through the person: a person of another
 * trust is left out (a person with no unit is shared), as the tenancy extension does.
 */
function leadPages(ctx: RequestContext, workstreamIds: readonly number[], request: PageRequest): Promise<Map<string, Page<WorkstreamLead>>> {
  return childPages<ChildPageRow & PersonRow & { role: WorkstreamLeadRow['role'] }, WorkstreamLead>(
    runSqlThroughPrisma(ctx.prisma),
    workstreamIds,
    request,
    (params) => ({
      parent: 'l.workstream_id',
      item: 'p.id',
      columns: `l.role::text AS role, p.id, p.name, p.email, p.job_title AS "jobTitle", p.has_lived_experience AS "hasLivedExperience", p.org_unit_id AS "orgUnitId",
                p.version, p.archived_at AS "archivedAt", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`,
      from: `FROM workstream_lead l JOIN person p ON p.id = l.person_id WHERE l.workstream_id = ANY($1::int[])${sharedOrInTrustsSql(ctx.actor, 'p.org_unit_id', params)}`,
      orderBy: 'l.role, l.person_id',
    }),
    (row) => Object.assign(new WorkstreamLead(), { person: personFromRow(row), role: row.role }),
  );
}

/** Each measure's workstreams (archived ones too, as before it was a connection), by name, then id. Measures and workstreams are shared. */
function workstreamPagesOfMeasures(ctx: RequestContext, measureIds: readonly number[], request: PageRequest): Promise<Map<string, Page<Workstream>>> {
  return childPages<ChildPageRow & WorkstreamRow, Workstream>(
    runSqlThroughPrisma(ctx.prisma),
    measureIds,
    request,
    () => ({
      parent: 'mw.measure_id',
      item: 'w.id',
      columns: `w.id, w.code, w.name, w.description, w.aims, w.status::text AS status, w.start_date AS "startDate", w.end_date AS "endDate",
                w.version, w.archived_at AS "archivedAt", w.created_at AS "createdAt", w.updated_at AS "updatedAt"`,
      from: 'FROM measure_workstream mw JOIN workstream w ON w.id = mw.workstream_id WHERE mw.measure_id = ANY($1::int[])',
      orderBy: 'w.name, w.id',
    }),
    workstreamFromRow,
  );
}

function buildWorkstreamLoaders(ctx: RequestContext) {
  const prisma: PrismaClient = ctx.prisma;
  return {
    /** A page of a workstream's teams and wards, paged in SQL (see teamPages). */
    teamPage: childPageLoader((ids: readonly number[], request) => teamPages(ctx, ids, request)),
    milestonePage: childPageLoader((ids: readonly number[], request) => milestonePages(ctx, ids, request)),
    involvementPage: childPageLoader((ids: readonly number[], request) => involvementPages(ctx, ids, request)),
    leadPage: childPageLoader((ids: readonly number[], request) => leadPages(ctx, ids, request)),
    /** A page of a measure's workstreams, one statement for every measure of the response. */
    workstreamPageByMeasure: childPageLoader((ids: readonly number[], request) => workstreamPagesOfMeasures(ctx, ids, request)),
    workstreamById: loaderByKey((ids: number[]) => prisma.workstream.findMany({ where: { id: { in: ids } } }), (row) => row.id, workstreamFromRow),
    workstreamByCode: loaderByKey((codes: string[]) => prisma.workstream.findMany({ where: { code: { in: codes } } }), (row) => row.code, workstreamFromRow),
    /** Live (unarchived) workstreams serving each principle, by name. */
    workstreamsByPrinciple: loaderOfLists(
      (principleIds: number[]) =>
        prisma.workstreamPrinciple.findMany({ where: { principleId: { in: principleIds }, workstream: { archivedAt: null } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.principleId,
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
    /** Whole lists, for the board pack (which prints every lead and milestone of the workstreams it lists); the API pages them (leadPage, milestonePage). */
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
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const workstreamLoaders = perRequest((ctx) => buildWorkstreamLoaders(ctx));
