import type { DisclosureRule } from '../statistics/suppression';
import { disclosureVerdicts, type DisclosureVerdicts, type UnitFigures } from '../statistics/disclosure-table';
import type { ScoringType } from '../statistics/scoring';

/** What the main thread posts: one measure's figures and rule (plain data, structured-cloned). */
export interface TableTask {
  scoringType: ScoringType;
  units: UnitFigures[];
  rule: DisclosureRule;
}

/** A worker thread's task (piscina): the table's verdicts, built off the main thread. */
export default function buildVerdicts(task: TableTask): DisclosureVerdicts {
  return disclosureVerdicts(task.scoringType, task.units, task.rule);
}
