import { sharedOrInTrustsSql } from '../access/tenancy';
import type { CoreItem22Assessment as AssessmentRow, PrismaClient } from '../generated/prisma/client';
import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { childPageLoader, childPages, runSqlThroughPrisma, type ChildPageRow } from '../graphql/sql-pages';
import { actionFromRow, assessmentFromRow, feedbackFromRow, themeFromRow, type CoreFidelityAssessment } from './feedback.type';

function buildFeedbackLoaders(ctx: RequestContext) {
  const prisma: PrismaClient = ctx.prisma;
  return {
    feedbackById: loaderByKey((ids: number[]) => prisma.feedback.findMany({ where: { id: { in: ids } } }), (row) => row.id, feedbackFromRow),
    themeById: loaderByKey((ids: number[]) => prisma.feedbackTheme.findMany({ where: { id: { in: ids } } }), (row) => row.id, themeFromRow),
    actionById: loaderByKey((ids: number[]) => prisma.feedbackAction.findMany({ where: { id: { in: ids } } }), (row) => row.id, (row) => actionFromRow(row)),
    assessmentById: loaderByKey((ids: number[]) => prisma.coreItem22Assessment.findMany({ where: { id: { in: ids } } }), (row) => row.id, assessmentFromRow),
    /** each item's themes, by code */
    themesByFeedback: loaderOfLists(
      (ids: number[]) => prisma.feedbackThemeLink.findMany({ where: { feedbackId: { in: ids } }, include: { theme: true }, orderBy: [{ theme: { code: 'asc' } }] }),
      (link) => link.feedbackId,
      (link) => themeFromRow(link.theme),
    ),
    /** each item's actions, oldest first */
    actionsByFeedback: loaderOfLists(
      (ids: number[]) => prisma.feedbackAction.findMany({ where: { feedbackId: { in: ids } }, orderBy: { id: 'asc' } }),
      (row) => row.feedbackId,
      (row) => actionFromRow(row),
    ),
    /**
     * A page of each unit's assessments, newest first (assessed on, then recorded), cut in SQL for
     * every unit of the response at once (childPages). Raw SQL reads a trust-bound table: it keeps
     * the reader's trusts' units, as the tenancy extension does.
     */
    assessmentPage: childPageLoader((unitIds: readonly number[], request) =>
      childPages<ChildPageRow & AssessmentRow, CoreFidelityAssessment>(
        runSqlThroughPrisma(prisma),
        unitIds,
        request,
        (params) => ({
          parent: 'a.org_unit_id',
          item: 'a.id',
          columns: `a.id, a.org_unit_id AS "orgUnitId", a.criterion::text AS criterion, a.met, a.assessed_on AS "assessedOn", a.assessor, a.evidence,
                    a.recorded_by AS "recordedBy", a.created_at AS "createdAt"`,
          from: `FROM core_item22_assessment a WHERE a.org_unit_id = ANY($1::int[])${sharedOrInTrustsSql(ctx.actor, 'a.org_unit_id', params)}`,
          orderBy: 'a.assessed_on DESC, a.id DESC',
        }),
        assessmentFromRow,
      ),
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const feedbackLoaders = perRequest(buildFeedbackLoaders);
