import { boundEchoes, MAX_ECHO } from './bounded-text';

describe('boundEchoes', () => {
  test('keeps short messages and short echoes as they are', () => {
    expect(boundEchoes('No org unit has code "NOPE"')).toBe('No org unit has code "NOPE"');
    const exactly = `No org unit has code "${'x'.repeat(MAX_ECHO)}"`;
    expect(boundEchoes(exactly)).toBe(exactly);
  });

  test('cuts each long quoted echo to 100 characters and an ellipsis', () => {
    const long = 'x'.repeat(4_000_000);
    expect(boundEchoes(`No org unit has code "${long}"`)).toBe(`No org unit has code "${'x'.repeat(100)}…"`);
    expect(boundEchoes(`"${'a'.repeat(150)}" and "${'b'.repeat(150)}" differ`)).toBe(`"${'a'.repeat(100)}…" and "${'b'.repeat(100)}…" differ`);
    // an escaped quote inside the echo does not end it
    const escaped = `Variable "$x" got invalid value "${'\\"'.repeat(150)}"`;
    expect(boundEchoes(escaped)).toBe(`Variable "$x" got invalid value "${'\\"'.repeat(50)}…"`);
  });

  test('cuts an unquoted echo (a run without spaces) the same way', () => {
    expect(boundEchoes(`No org unit is identified by https://x.example/${'X'.repeat(5000)} here`)).toBe(`No org unit is identified by ${`https://x.example/${'X'.repeat(5000)}`.slice(0, 100)}… here`);
  });

  test('cuts any message still longer than 1,000 characters (an echo with spaces)', () => {
    const bounded = boundEchoes(`Row 3 already gives ${'m '.repeat(5000)}`);
    expect(bounded.length).toBe(1001);
    expect(bounded.endsWith('…')).toBe(true);
  });

  test('takes linear time on hostile input (a run of escaped quotes that never closes)', () => {
    const started = Date.now();
    const bounded = boundEchoes(`got "${'\\"'.repeat(1_000_000)}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bounded.length).toBeLessThanOrEqual(1001);
  });
});
