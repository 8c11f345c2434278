import type { PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { actionFromRow, assessmentFromRow, feedbackFromRow, themeFromRow } from './feedback.type';

function buildFeedbackLoaders(prisma: PrismaClient) {
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
    /** a unit's assessments, newest first */
    assessmentsByUnit: loaderOfLists(
      (ids: number[]) => prisma.coreItem22Assessment.findMany({ where: { orgUnitId: { in: ids } }, orderBy: [{ assessedOn: 'desc' }, { id: 'desc' }] }),
      (row) => row.orgUnitId,
      assessmentFromRow,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const feedbackLoaders = perRequest((ctx) => buildFeedbackLoaders(ctx.prisma));
