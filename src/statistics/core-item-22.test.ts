import { coreItem22, lastDayOf, type LedgerAssessment, type LedgerFeedback } from './core-item-22';

const done = (completedOn: string, evidence: string | null = 'Minutes of the community meeting') => ({ status: 'DONE' as const, evidence, completedOn });
const open = { status: 'IN_PROGRESS' as const, evidence: null, completedOn: null };

describe('CORE item 22, criterion (c), worked by hand', () => {
  // Period 2026-11: window 2025-12-01 (2026-11 − 11 months) to 2026-11-30.
  const period = '2026-11-01';

  test('the window is the 12 calendar months ending with the period', () => {
    const r = coreItem22(period, [], []);
    expect([r.windowStart, r.windowEnd]).toEqual(['2025-12-01', '2026-11-30']);
    expect(lastDayOf('2028-02-01')).toBe('2028-02-29'); // a leap year
    expect(lastDayOf('2026-02-01')).toBe('2026-02-28');
  });

  test('met: feedback in the window with an action done with evidence by the period end', () => {
    const feedback: LedgerFeedback[] = [{ receivedOn: '2026-03-04', actions: [open, done('2026-05-20')] }];
    const c = coreItem22(period, feedback, []).criteria[2];
    expect(c).toEqual({ criterion: 'C', met: true, reason: expect.stringContaining('1 with an action done with evidence by 2026-11-30') });
  });

  test.each<[string, LedgerFeedback[]]>([
    ['no feedback at all', []],
    ['feedback only before the window (2025-11-30 is a day too early)', [{ receivedOn: '2025-11-30', actions: [done('2026-01-10')] }]],
    ['feedback in the window, no action', [{ receivedOn: '2026-06-01', actions: [] }]],
    ['feedback in the window, the action still open', [{ receivedOn: '2026-06-01', actions: [open] }]],
    ['feedback in the window, the action done after the period (2026-12-01)', [{ receivedOn: '2026-06-01', actions: [done('2026-12-01')] }]],
    ['feedback in the window, DONE without evidence', [{ receivedOn: '2026-06-01', actions: [done('2026-07-01', null)] }]],
    ['feedback in the window, the action DROPPED', [{ receivedOn: '2026-06-01', actions: [{ status: 'DROPPED', evidence: null, completedOn: null }] }]],
    ['feedback after the period', [{ receivedOn: '2026-12-02', actions: [done('2026-12-03')] }]],
  ])('not met: %s', (_name, feedback) => {
    expect(coreItem22(period, feedback, []).criteria[2].met).toBe(false);
  });

  test('the window edges count: received 2025-12-01, completed 2026-11-30', () => {
    expect(coreItem22(period, [{ receivedOn: '2025-12-01', actions: [done('2026-11-30')] }], []).criteria[2].met).toBe(true);
    // A month later the same item has left the window: 2026-12's window starts 2026-01-01.
    expect(coreItem22('2026-12-01', [{ receivedOn: '2025-12-01', actions: [done('2026-11-30')] }], []).criteria[2].met).toBe(false);
  });
});

describe('CORE item 22, assessed criteria and the score', () => {
  const a = (criterion: LedgerAssessment['criterion'], met: boolean, assessedOn: string, order = 1): LedgerAssessment => ({ criterion, met, assessedOn, order });

  test('the latest assessment on or before the period end counts; one older than 12 months has lapsed', () => {
    const assessments = [
      a('A_RECRUITMENT', false, '2026-01-10', 1),
      a('A_RECRUITMENT', true, '2026-09-01', 2), // latest: met
      a('A_RECRUITMENT', false, '2026-12-05', 3), // after the period: ignored for 2026-11
      a('B_SKILLS_MONITORED', true, '2025-11-30', 4), // before 2025-12-01: lapsed
      a('D_ALL_SOURCES_CARING', true, '2026-04-01', 5),
      a('D_ALL_SOURCES_CARING', false, '2026-04-01', 6), // same day, recorded later: wins
    ];
    const feedback: LedgerFeedback[] = [{ receivedOn: '2026-02-01', actions: [done('2026-02-20')] }];
    const r = coreItem22('2026-11-01', feedback, assessments);
    expect(r.criteria.map((c) => [c.criterion, c.met])).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
      ['D', false],
    ]);
    expect(r.criteria[1].reason).toContain('older than 12 months');
    // score = A + C = 2
    expect(r.score).toBe(2);
  });

  test('nothing recorded: 0 of 4, each criterion says why', () => {
    const r = coreItem22('2026-11-01', [], []);
    expect(r.score).toBe(0);
    expect(r.criteria.map((c) => c.reason)).toEqual([
      'No assessment of interpersonal skills assessed at recruitment on or before 2026-11-30',
      'No assessment of staff skills monitored and developed on or before 2026-11-30',
      'No feedback received from 2025-12-01 to 2026-11-30',
      'No assessment of all sources agree staff are caring on or before 2026-11-30',
    ]);
  });
});
