import { addMonths } from './periods';

/**
 * CORE crisis-team fidelity item 22 ("prioritising therapeutic relationships") for one team and
 * one month, from evidence. A pure calculation: the ledger and the assessments come in, the four
 * criteria (met or not, and why) and the score (criteria met, 0 to 4) go out.
 *
 * The window of a month P is the 12 calendar months ending with P: from the first day of
 * P − 11 months to the last day of P. For P = 2026-11 it is 2025-12-01 to 2026-11-30.
 *
 * - (c) feedback sought and acted on, computed from the feedback ledger: met when at least one
 *   feedback item was received at the team inside the window AND at least one action on such an
 *   item is DONE, with evidence, completed on or before the last day of P. (An action completed
 *   after P does not count for P; feedback received before the window does not count, however
 *   well it was answered.)
 * - (a) interpersonal skills assessed at recruitment, (b) skills monitored and developed,
 *   (d) all-source agreement that staff are caring: each from the latest assessment of that
 *   criterion dated on or before the last day of P (the later-recorded one on a tie). Met when
 *   that assessment says met and is dated inside the window; an older one has lapsed (fidelity
 *   is reviewed yearly), and none at all is not met.
 */

export type AssessedCriterion = 'A_RECRUITMENT' | 'B_SKILLS_MONITORED' | 'D_ALL_SOURCES_CARING';
export type Criterion = 'A' | 'B' | 'C' | 'D';

export interface LedgerAction {
  status: 'PLANNED' | 'IN_PROGRESS' | 'DONE' | 'DROPPED';
  evidence: string | null;
  /** YYYY-MM-DD */
  completedOn: string | null;
}

export interface LedgerFeedback {
  /** YYYY-MM-DD */
  receivedOn: string;
  actions: readonly LedgerAction[];
}

export interface LedgerAssessment {
  criterion: AssessedCriterion;
  met: boolean;
  /** YYYY-MM-DD */
  assessedOn: string;
  /** breaks ties between assessments of one day: the larger was recorded later */
  order: number;
}

export interface CriterionResult {
  criterion: Criterion;
  met: boolean;
  reason: string;
}

export interface CoreItem22Result {
  /** the month, YYYY-MM-01 */
  period: string;
  windowStart: string;
  windowEnd: string;
  score: number;
  criteria: CriterionResult[];
}

const ASSESSED: Array<[Criterion, AssessedCriterion, string]> = [
  ['A', 'A_RECRUITMENT', 'interpersonal skills assessed at recruitment'],
  ['B', 'B_SKILLS_MONITORED', 'staff skills monitored and developed'],
  ['D', 'D_ALL_SOURCES_CARING', 'all sources agree staff are caring'],
];

/** The last day of a month (YYYY-MM-01 → YYYY-MM-DD). */
export function lastDayOf(period: string): string {
  const next = new Date(`${addMonths(period, 1)}T00:00:00.000Z`);
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export function coreItem22(period: string, feedback: readonly LedgerFeedback[], assessments: readonly LedgerAssessment[]): CoreItem22Result {
  const windowStart = addMonths(period, -11);
  const windowEnd = lastDayOf(period);
  const criteria: CriterionResult[] = [];

  for (const [letter, criterion, words] of ASSESSED) {
    const latest = assessments
      .filter((a) => a.criterion === criterion && a.assessedOn <= windowEnd)
      .sort((x, y) => (x.assessedOn === y.assessedOn ? y.order - x.order : x.assessedOn < y.assessedOn ? 1 : -1))[0];
    if (!latest) criteria.push({ criterion: letter, met: false, reason: `No assessment of ${words} on or before ${windowEnd}` });
    else if (latest.assessedOn < windowStart) criteria.push({ criterion: letter, met: false, reason: `The latest assessment of ${words} (${latest.assessedOn}) is older than 12 months` });
    else criteria.push({ criterion: letter, met: latest.met, reason: `Assessed ${latest.met ? 'met' : 'not met'} on ${latest.assessedOn}` });
  }

  const sought = feedback.filter((f) => f.receivedOn >= windowStart && f.receivedOn <= windowEnd);
  const acted = sought.filter((f) => f.actions.some((a) => a.status === 'DONE' && !!a.evidence && a.completedOn !== null && a.completedOn <= windowEnd));
  const c: CriterionResult =
    sought.length === 0
      ? { criterion: 'C', met: false, reason: `No feedback received from ${windowStart} to ${windowEnd}` }
      : acted.length === 0
        ? { criterion: 'C', met: false, reason: `${sought.length} feedback item(s) received from ${windowStart} to ${windowEnd}, but no action on them done with evidence by ${windowEnd}` }
        : { criterion: 'C', met: true, reason: `${sought.length} feedback item(s) received from ${windowStart} to ${windowEnd}; ${acted.length} with an action done with evidence by ${windowEnd}` };
  criteria.splice(2, 0, c);

  return { period, windowStart, windowEnd, score: criteria.filter((x) => x.met).length, criteria };
}
