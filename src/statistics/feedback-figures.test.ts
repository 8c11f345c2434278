import { daysBetween, feedbackFigures, median, type FigureItem } from './feedback-figures';

const principles: Record<string, string[]> = { COMMUNICATION: ['RELATIONAL', 'RESPONSIVE'], INVOLVEMENT: ['RIGHTS_BASED', 'RELATIONAL'], FOOD: ['RIGHTS_BASED'] };
const of = (code: string) => principles[code] ?? [];
const ORDER = ['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE'];

describe('feedback figures, worked by hand', () => {
  test('median and days', () => {
    expect(median([])).toBeNull();
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 2, 4, 8])).toBe(6); // (4 + 8) / 2
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3); // 28 Feb, 1 Mar, 2 Mar
  });

  test('counts by theme and principle, actions by state, median days to done', () => {
    const items: FigureItem[] = [
      // done after 10 days; an open action due 2026-06-30 is overdue on 2026-07-01
      { receivedOn: '2026-05-01', themeCodes: ['COMMUNICATION', 'INVOLVEMENT'], actions: [{ status: 'DONE', dueOn: '2026-05-31', completedOn: '2026-05-11' }, { status: 'IN_PROGRESS', dueOn: '2026-06-30', completedOn: null }] },
      // done after 30 days
      { receivedOn: '2026-05-10', themeCodes: ['FOOD'], actions: [{ status: 'DONE', dueOn: '2026-06-30', completedOn: '2026-06-09' }] },
      // planned, due today: not overdue; one dropped
      { receivedOn: '2026-06-01', themeCodes: ['FOOD', 'INVOLVEMENT'], actions: [{ status: 'PLANNED', dueOn: '2026-07-01', completedOn: null }, { status: 'DROPPED', dueOn: '2026-06-15', completedOn: null }] },
      { receivedOn: '2026-06-20', themeCodes: ['COMMUNICATION'], actions: [] },
    ];
    const f = feedbackFigures(items, of, '2026-07-01', ORDER);
    expect(f).toEqual({
      feedbackCount: 4,
      answeredCount: 2,
      actionsOpen: 2, // IN_PROGRESS + PLANNED
      actionsOverdue: 1, // the IN_PROGRESS one due 2026-06-30
      actionsDone: 2,
      actionsDropped: 1,
      medianDaysToDone: 20, // (10 + 30) / 2
      // COMMUNICATION 2, INVOLVEMENT 2, FOOD 2: ties by code
      byTheme: [
        { code: 'COMMUNICATION', count: 2 },
        { code: 'FOOD', count: 2 },
        { code: 'INVOLVEMENT', count: 2 },
      ],
      // item 1: RELATIONAL (once, though both themes map to it), RESPONSIVE, RIGHTS_BASED; item 2: RIGHTS_BASED;
      // item 3: RIGHTS_BASED (once), RELATIONAL; item 4: RELATIONAL, RESPONSIVE
      byPrinciple: [
        { key: 'RIGHTS_BASED', count: 3 },
        { key: 'RELATIONAL', count: 3 },
        { key: 'RESPONSIVE', count: 2 },
      ],
    });
  });

  test('pooling: a parent’s figures are those of its children’s items together (the median recomputed, not averaged)', () => {
    const a: FigureItem[] = [{ receivedOn: '2026-01-01', themeCodes: ['FOOD'], actions: [{ status: 'DONE', dueOn: '2026-02-01', completedOn: '2026-01-03' }] }]; // 2 days
    const b: FigureItem[] = [
      { receivedOn: '2026-01-01', themeCodes: ['FOOD'], actions: [{ status: 'DONE', dueOn: '2026-02-01', completedOn: '2026-01-11' }] }, // 10 days
      { receivedOn: '2026-01-01', themeCodes: ['FOOD'], actions: [{ status: 'DONE', dueOn: '2026-02-01', completedOn: '2026-01-13' }] }, // 12 days
    ];
    const [fa, fb, both] = [a, b, [...a, ...b]].map((items) => feedbackFigures(items, of, '2026-03-01', ORDER));
    expect([fa.medianDaysToDone, fb.medianDaysToDone, both.medianDaysToDone]).toEqual([2, 11, 10]); // the mean of 2 and 11 would be 6.5
    expect(both.feedbackCount).toBe(fa.feedbackCount + fb.feedbackCount);
    expect(both.actionsDone).toBe(3);
  });
});
