import { seesTrueFigures } from '../access/actor';
import type { RequestContext } from '../graphql/context';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';

/**
 * An observation is a true figure (numerator, denominator, every revision): it is readable only
 * by those who may see that org unit's true figures. Everyone else reads pooled, disclosed
 * figures through the board views; by id they get null, as for a record that does not exist.
 */
export async function readableObservations<R extends { orgUnitId: number }>(ctx: RequestContext, rows: R[]): Promise<R[]> {
  const units = await orgUnitLoaders(ctx).orgUnitById.loadMany([...new Set(rows.map((row) => row.orgUnitId))]);
  const readable = new Set(units.flatMap((unit) => (unit && !(unit instanceof Error) && seesTrueFigures(ctx.actor, unit.path) ? [unit.dbId] : [])));
  return rows.filter((row) => readable.has(row.orgUnitId));
}

/** Whether the actor may see the true figures of every unit these rows were written at (an import's outcome then tells nothing new). */
export async function seesTrueFiguresOfAll(ctx: RequestContext, orgUnitCodes: readonly string[]): Promise<boolean> {
  const units = await orgUnitLoaders(ctx).orgUnitByCode.loadMany([...new Set(orgUnitCodes)]);
  return units.every((unit) => unit === null || unit instanceof Error || seesTrueFigures(ctx.actor, unit.path));
}
