import DataLoader from 'dataloader';
import { perRequest } from '../graphql/context';
import { strataOfSubtrees, type StratumMonths } from '../observations/strata-rollups';

/** `measureId|orgUnitId|stratifier` */
export const strataKey = (measureId: number, orgUnitId: number, stratifier: string) => `${measureId}|${orgUnitId}|${stratifier}`;

/** The request's loader of one stratifier's strata pooled over a unit's subtree: one statement per batch. */
export const equalityLoaders = perRequest((ctx) => ({
  strataBySubtree: new DataLoader<string, StratumMonths[]>((keys) =>
    strataOfSubtrees(
      ctx.prisma,
      keys.map((key) => {
        const [measureId, orgUnitId, stratifier] = key.split('|');
        return { measureId: Number(measureId), orgUnitId: Number(orgUnitId), stratifier };
      }),
    ),
  ),
}));
