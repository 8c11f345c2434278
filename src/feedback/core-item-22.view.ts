import DataLoader from 'dataloader';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { perRequest, type RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import type { OrgUnit } from '../organisation/org-unit.type';
import { coreItem22, type Criterion } from '../statistics/core-item-22';
import { ledgersOf } from './core-item-22.service';

export enum CoreItem22CriterionLetter {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}
registerEnumType(CoreItem22CriterionLetter, {
  name: 'CoreItem22CriterionLetter',
  description: 'A: interpersonal skills at recruitment; B: skills monitored and developed; C: feedback sought in the last 12 months and acted on (from the ledger); D: all-source agreement that staff are caring.',
});

@ObjectType()
export class CoreItem22CriterionResult {
  @Field(() => CoreItem22CriterionLetter) criterion!: Criterion;
  @Field() met!: boolean;
  @Field({ description: 'Why, in words (dates and counts, never a summary).' }) reason!: string;
}

@ObjectType({ description: 'CORE fidelity item 22 for one team and month: criteria met, 0 to 4.' })
export class CoreItem22Score {
  @Field({ description: 'YYYY-MM-01' }) period!: string;
  @Field({ description: 'The 12 months ending with the period: its first day.' }) windowStart!: string;
  @Field({ description: 'The last day of the period.' }) windowEnd!: string;
  @Field(() => Int) score!: number;
  @Field(() => [CoreItem22CriterionResult]) criteria!: CoreItem22CriterionResult[];
}

const ledgerLoaders = perRequest((ctx) => ({
  byUnit: new DataLoader(async (ids: readonly number[]) => {
    const ledgers = await ledgersOf(ctx.prisma, ids);
    return ids.map((id) => ledgers.get(id)!);
  }),
}));

export async function coreItem22ForUnit(ctx: RequestContext, unit: OrgUnit, period: string): Promise<CoreItem22Score> {
  const match = /^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$/.exec(period.trim());
  if (!match) throw badInput(`period must name a month as YYYY-MM (got ${period.slice(0, 20)})`, 'period');
  const ledger = await ledgerLoaders(ctx).byUnit.load(unit.dbId);
  return coreItem22(`${match[1]}-${match[2]}-01`, ledger.feedback, ledger.assessments);
}
