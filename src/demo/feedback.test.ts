import { findIdentifiers } from '../lib/identifier-screening';
import { coreItem22 } from '../statistics/core-item-22';
import { buildDataset, DEMO_OPTIONS, DEMO_SMALL_WARD } from './dataset';

describe('the demo trust’s year of "you said, we did" (fictional)', () => {
  const dataset = buildDataset(DEMO_OPTIONS);
  const ledger = dataset.feedback;

  test('a year of feedback, at most units, with actions in every state', () => {
    const first = '2025-11-01';
    expect(ledger.feedback.length).toBeGreaterThan(100);
    expect(ledger.feedback.every((f) => f.receivedOn >= first && f.receivedOn <= '2026-10-31')).toBe(true);
    const statuses = new Set(ledger.feedback.flatMap((f) => f.actions.map((a) => a.status)));
    expect([...statuses].sort()).toEqual(['DONE', 'DROPPED', 'IN_PROGRESS', 'PLANNED']);
    expect(ledger.silent.length).toBeGreaterThan(0); // coverage gaps: units that sought no feedback
    expect(ledger.feedback.some((f) => ledger.silent.includes(f.orgUnitCode))).toBe(false);
    // Every action keeps the rules the API enforces.
    for (const f of ledger.feedback) {
      for (const a of f.actions) {
        expect(a.dueOn >= f.receivedOn).toBe(true);
        if (a.status === 'DONE') expect([a.evidence !== null, a.completedOn! >= f.receivedOn, a.completedOn! <= '2026-10-31']).toEqual([true, true, true]);
        if (a.status === 'DROPPED') expect(a.droppedReason).toBeTruthy();
      }
    }
    expect(new Set(ledger.feedback.map((f) => f.externalId)).size).toBe(ledger.feedback.length);
  });

  test('no text of the demo holds anything the identifier screening would refuse', () => {
    const texts = [...ledger.feedback.flatMap((f) => [f.summary, ...f.actions.flatMap((a) => [a.description, a.evidence ?? '', a.droppedReason ?? ''])]), ...ledger.assessments.map((a) => a.evidence)];
    expect(texts.filter((t) => findIdentifiers(t).length > 0)).toEqual([]);
  });

  test('criterion (c) varies across the assessed crisis and home-treatment teams, and the small ward closes the loop', () => {
    const assessed = [...new Set(ledger.assessments.map((a) => a.orgUnitCode))];
    expect(assessed.length).toBeGreaterThanOrEqual(4);
    const cMet = assessed.map((code) => {
      const feedback = ledger.feedback
        .filter((f) => f.orgUnitCode === code)
        .map((f) => ({ receivedOn: f.receivedOn, actions: f.actions.map((a) => ({ status: a.status, evidence: a.evidence, completedOn: a.completedOn })) }));
      return coreItem22('2026-10-01', feedback, []).criteria[2].met;
    });
    expect(cMet).toContain(true);
    expect(cMet).toContain(false);
    expect(ledger.closers).toContain(DEMO_SMALL_WARD.code);
    const ward = ledger.feedback.filter((f) => f.orgUnitCode === DEMO_SMALL_WARD.code && f.published && f.actions.some((a) => a.status === 'DONE'));
    expect(ward.length).toBeGreaterThanOrEqual(3);
  });

  test('the same seed gives the same ledger', () => {
    expect(JSON.stringify(buildDataset(DEMO_OPTIONS).feedback)).toBe(JSON.stringify(ledger));
  });
});
