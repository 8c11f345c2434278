import type { Prisma } from '../generated/prisma/client';
import { writeObservations } from '../observations/observation-writer';
import type { ValidRow } from '../observations/row-validation';
import { coreItem22, type CoreItem22Result, type LedgerAssessment, type LedgerFeedback } from '../statistics/core-item-22';
import { addMonths, monthsBetween, monthStart } from '../statistics/periods';

/**
 * CORE-ITEM-22 from evidence. The measure (a MEAN: numerator Σ criteria met, denominator the
 * number of team-months assessed) is derived per team and month from the feedback ledger and
 * the assessments (statistics/core-item-22.ts), and written through the observation writer
 * with source `derived:core-item-22`, in the same transaction as the change that moved it. So
 * its rollups, SPC, disclosure and board views treat it as any other measure, and pooling a
 * directorate is Σ scores ÷ Σ teams.
 *
 * Written rather than computed on read because every board view reads rollups that only the
 * writer maintains; the cost is bounded: one team's months are rewritten (unchanged ones are
 * left alone by the writer) when its feedback, actions or assessments change.
 */
export const CORE_ITEM_22_MEASURE = 'CORE-ITEM-22';
export const CORE_ITEM_22_SOURCE = 'derived:core-item-22';
/** how far back a team's derived series reaches */
const MAX_MONTHS = 36;

interface Ledger {
  feedback: LedgerFeedback[];
  assessments: LedgerAssessment[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The ledgers of these units (their own feedback and assessments), three statements whatever the number of units. */
export async function ledgersOf(tx: Prisma.TransactionClient, unitIds: readonly number[]): Promise<Map<number, Ledger>> {
  const ledgers = new Map<number, Ledger>(unitIds.map((id) => [id, { feedback: [], assessments: [] }]));
  if (unitIds.length === 0) return ledgers;
  const feedback = await tx.feedback.findMany({
    where: { orgUnitId: { in: [...unitIds] } },
    select: { orgUnitId: true, receivedOn: true, actions: { select: { status: true, evidence: true, completedOn: true } } },
  });
  for (const f of feedback) {
    ledgers.get(f.orgUnitId)!.feedback.push({
      receivedOn: day(f.receivedOn),
      actions: f.actions.map((a) => ({ status: a.status, evidence: a.evidence, completedOn: a.completedOn ? day(a.completedOn) : null })),
    });
  }
  const assessments = await tx.coreItem22Assessment.findMany({ where: { orgUnitId: { in: [...unitIds] } } });
  for (const a of assessments) ledgers.get(a.orgUnitId)!.assessments.push({ criterion: a.criterion, met: a.met, assessedOn: day(a.assessedOn), order: a.id });
  return ledgers;
}

/** The months a team's derived series covers: from its first evidence (at most 36 months back) to the current month. */
function monthsOf(ledger: Ledger, currentMonth: string): string[] {
  const dates = [...ledger.feedback.map((f) => f.receivedOn), ...ledger.assessments.map((a) => a.assessedOn)].sort();
  if (dates.length === 0) return [];
  const first = monthStart(dates[0]);
  const earliest = addMonths(currentMonth, -(MAX_MONTHS - 1));
  return monthsBetween(first < earliest ? earliest : first, currentMonth);
}

/** One month's result for a unit's ledger. */
export function resultFor(ledger: Ledger, period: string): CoreItem22Result {
  return coreItem22(period, ledger.feedback, ledger.assessments);
}

/**
 * Rewrites the derived CORE-ITEM-22 observations of these units inside the caller's
 * transaction: teams and wards with at least one CORE item 22 assessment (others are skipped),
 * each month from its first evidence to the current month. Nothing happens when the installation has no
 * CORE-ITEM-22 measure.
 */
export async function refreshCoreItem22(tx: Prisma.TransactionClient, recordedBy: string, unitIds: readonly number[], today: Date = new Date()): Promise<void> {
  if (unitIds.length === 0) return;
  const measure = await tx.measure.findUnique({ where: { code: CORE_ITEM_22_MEASURE }, select: { id: true, archivedAt: true } });
  if (!measure || measure.archivedAt) return;
  const teams = await tx.orgUnit.findMany({ where: { id: { in: [...new Set(unitIds)] }, type: { in: ['TEAM', 'WARD'] } }, select: { id: true } });
  const ledgers = await ledgersOf(tx, teams.map((t) => t.id));
  const currentMonth = monthStart(today);
  // Months already derived stay derived (a moved date must not leave a stale month behind).
  const written = await tx.observation.findMany({
    where: { measureId: measure.id, orgUnitId: { in: teams.map((t) => t.id) }, source: CORE_ITEM_22_SOURCE, stratifier: '' },
    select: { orgUnitId: true, periodStart: true },
  });
  const rows: ValidRow[] = [];
  for (const [orgUnitId, ledger] of ledgers) {
    // A team is measured against CORE once it has been assessed (CORE is a crisis-team scale: a
    // ward's feedback alone does not put it on the measure).
    if (ledger.assessments.length === 0) continue;
    const months = new Set(monthsOf(ledger, currentMonth));
    for (const w of written) if (w.orgUnitId === orgUnitId) months.add(day(w.periodStart));
    for (const period of [...months].sort()) {
      const result = coreItem22(period, ledger.feedback, ledger.assessments);
      rows.push({
        index: rows.length,
        measureId: measure.id,
        orgUnitId,
        periodStart: result.period,
        numerator: result.score,
        denominator: 1,
        source: CORE_ITEM_22_SOURCE,
        externalId: null,
        stratifier: '',
        stratumCode: '',
      });
    }
  }
  if (rows.length > 0) await writeObservations(tx, rows, recordedBy, { dryRun: false });
}
