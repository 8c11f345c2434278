import type { SeriesPointResult } from '../statistics/measure-series';
import { addMonths, periodBucket } from '../statistics/periods';
import type { PointType } from '../statistics/spc/spc';
import { MDC_COLOURS } from './mdc-icons';
import { describeSpcChart, renderSpcChart, type SpcChartInput } from './spc-chart';

const C: PointType = 'COMMON_CAUSE';
const I: PointType = 'SPECIAL_CAUSE_IMPROVEMENT';
const X: PointType = 'SPECIAL_CAUSE_CONCERN';
const N: PointType = 'SPECIAL_CAUSE_NEITHER';

/** A shown value, a suppressed one ('S': value null, suppressed true, as disclosure control leaves it) or no data (null). */
type Shown = [number, PointType | null] | 'S' | null;

interface Lines {
  mean: number | null;
  upper: number | null;
  lower: number | null;
}

/** Monthly points from `first`, hand-typed, all with the same lines unless `linesAt` says otherwise. */
function monthly(first: string, shown: Shown[], lines: Lines | ((index: number) => Lines)): SeriesPointResult[] {
  return shown.map((entry, index) => {
    const period = addMonths(first, index);
    const { mean, upper, lower } = typeof lines === 'function' ? lines(index) : lines;
    return {
      periodStart: period,
      periodEnd: period,
      label: periodBucket(period, 'MONTH').label,
      value: Array.isArray(entry) ? entry[0] : null,
      numerator: null,
      denominator: null,
      contributors: entry === null ? 0 : 2,
      missing: entry === null,
      monthsWithData: entry === null ? 0 : 1,
      monthsExpected: 1,
      partial: false,
      suppressed: entry === 'S',
      suppressionReason: entry === 'S' ? 'Suppressed: the count is under 5.' : null,
      mean,
      upperProcessLimit: upper,
      lowerProcessLimit: lower,
      pointType: Array.isArray(entry) ? entry[1] : null,
    };
  });
}

const LINES: Lines = { mean: 30, upper: 41.8, lower: 18.2 };

/*
 * The board's example: restrictive interventions on a ward, lower is better, target 35.
 * January–November 2025 common cause about a mean of 30 (March and August suppressed), then
 * seven rising months above the mean, December 2025 to June 2026: special cause concern.
 */
const WARD_7: SpcChartInput = {
  title: 'Restrictive interventions per 1,000 bed days — Ward 7',
  unitLabel: 'per 1,000 bed days',
  points: monthly(
    '2025-01-01',
    [[28, C], [32, C], 'S', [29, C], [31, C], [27, C], [33, C], 'S', [30, C], [28.5, C], [31.5, C],
      [33.1, X], [34, X], [35.2, X], [36.8, X], [38, X], [39.5, X], [41.2, X]],
    LINES,
  ),
  variationIcon: 'CONCERN_HIGH',
  assuranceIcon: 'HIT_AND_MISS',
  target: 35,
  improvementDirection: 'DECREASE',
};

/** Every element with a class, as [tag, attributes] pairs; enough to find the parts of the chart. */
function elements(svg: string, className: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of svg.matchAll(/<([a-z]+)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)) {
    const attributes: Record<string, string> = { tag: match[1] };
    for (const attribute of match[2].matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[attribute[1]] = attribute[2];
    if ((attributes.class ?? '').split(' ').includes(className)) found.push(attributes);
  }
  return found;
}

/** The text of every element with that class, entities left as written. */
function textsOf(svg: string, className: string): string[] {
  return [...svg.matchAll(new RegExp(`<text[^>]*class="${className}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** What a screen reader is given: the <title> and <desc> the root's aria-labelledby names. */
function textAlternative(svg: string): { title: string; desc: string } {
  const [, titleId, descId] = /aria-labelledby="([^" ]+) ([^" ]+)"/.exec(svg) ?? [];
  const title = new RegExp(`<title id="${titleId}">([^<]*)</title>`).exec(svg);
  const desc = new RegExp(`<desc id="${descId}">([^<]*)</desc>`).exec(svg);
  if (!title || !desc) throw new Error('aria-labelledby does not name a <title> and a <desc>');
  return { title: unescapeXml(title[1]), desc: unescapeXml(desc[1]) };
}

/**
 * No XML parser is in node_modules and one is not worth a dependency for this: a strict
 * tokenizer for the subset an SVG string uses (elements, double-quoted attributes, text, the
 * five entities) checks that tags balance, there is one root, and no raw '&' or '<' is left.
 */
function expectWellFormed(xml: string): void {
  const tag = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[A-Za-z_:][\w.:-]*="[^"<]*")*)\s*(\/?)>/y;
  const rawAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/;
  const open: string[] = [];
  let roots = 0;
  let at = 0;
  while (at < xml.length) {
    const next = xml.indexOf('<', at);
    const between = xml.slice(at, next < 0 ? xml.length : next);
    if (rawAmpersand.test(between)) throw new Error(`raw & in text: ${between}`);
    if (open.length === 0 && between.trim() !== '') throw new Error(`text outside the root: ${between}`);
    if (next < 0) break;
    tag.lastIndex = next;
    const match = tag.exec(xml);
    if (!match) throw new Error(`not a tag at ${next}: ${xml.slice(next, next + 60)}`);
    const [, closing, name, attributes, selfClosing] = match;
    if (rawAmpersand.test(attributes)) throw new Error(`raw & in attributes of <${name}>`);
    const names = [...attributes.matchAll(/([\w.:-]+)=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) throw new Error(`repeated attribute on <${name}>`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`);
    } else {
      if (open.length === 0) roots += 1;
      if (!selfClosing) open.push(name);
    }
    at = tag.lastIndex;
  }
  expect(open).toEqual([]);
  expect(roots).toBe(1);
}

describe('renderSpcChart', () => {
  test('is an accessible standalone SVG: role img, labelled by its own <title> and <desc>, no scripts or external fonts', () => {
    const svg = renderSpcChart(WARD_7);
    expectWellFormed(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="760" height="400" viewBox="0 0 760 400" role="img" aria-labelledby="[\w-]+-title [\w-]+-desc" font-family="Arial, Helvetica, sans-serif">/);
    expect(svg).not.toMatch(/<script|<style|@import|url\(|href=/);
    expect(textAlternative(svg).title).toBe(WARD_7.title);
  });

  test('the text alternative says in words what the chart shows', () => {
    const expected =
      'Special cause concern: 7 points above the mean since December 2025; target 35 not consistently met. ' +
      'Latest: 41.2 (June 2026). Mean 30; process limits 18.2 to 41.8. 2 points suppressed (small numbers). ' +
      'Shown: January 2025 to June 2026 (18 points, per 1,000 bed days).';
    expect(describeSpcChart(WARD_7)).toBe(expected);
    expect(textAlternative(renderSpcChart(WARD_7)).desc).toBe(expected);
  });

  test('every point is coloured for its point type, and says its type in its tooltip', () => {
    const input: SpcChartInput = {
      ...WARD_7,
      points: monthly('2025-01-01', [[30, C], [44, I], [16, X], [43, N], [31, null]], LINES),
      improvementDirection: 'INCREASE',
    };
    const svg = renderSpcChart(input);
    const colourOf = (className: string) => elements(svg, className).filter((e) => e.tag === 'circle' && e.class.startsWith('point ')).map((e) => e.fill);
    expect(colourOf('common-cause')).toEqual(['#A6A6A6']);
    expect(colourOf('special-cause-improvement')).toEqual(['#00B0F0']);
    expect(colourOf('special-cause-concern')).toEqual(['#E46C0A']);
    expect(colourOf('special-cause-neither')).toEqual(['#7030A0']);
    // Not yet typed by SPC (too few points): grey like common cause, but it says why.
    expect(colourOf('no-spc')).toEqual(['#A6A6A6']);
    expect(svg).toContain('<title>February 2025: 44, special cause improvement</title>');
    expect(svg).toContain('<title>March 2025: 16, special cause concern</title>');
    expect(svg).toContain('<title>May 2025: 31, too few points for SPC</title>');
    // The legend names only the types on the chart, so the colours are explained in words.
    expect(svg).toMatch(/legend-special-cause-neither[\s\S]*Special cause \(neither\)/);
  });

  test('a recalculation draws a break between two points, with its reason, and the limits step there', () => {
    // Lines of 30 ± 11.8 up to June 2025, 36 ± 6 from July (the recalculation).
    const shown: Shown[] = Array.from({ length: 12 }, (_, i): Shown => [i < 6 ? 30 : 36, C]);
    const input: SpcChartInput = {
      ...WARD_7,
      points: monthly('2025-01-01', shown, (i) => (i < 6 ? LINES : { mean: 36, upper: 42, lower: 30 })),
      phases: [
        { start: '2025-07-01', kind: 'RECALCULATION', reason: 'New ward model' },
        { start: '2024-01-01', kind: 'BASELINE', reason: 'Before the chart: nothing to draw' },
      ],
    };
    const svg = renderSpcChart(input);
    const breaks = elements(svg, 'phase-break');
    expect(breaks).toHaveLength(1);
    const pointXs = elements(svg, 'point').map((p) => Number(p.cx));
    // Halfway between June and July 2025, top to bottom of the plot.
    expect(Number(breaks[0].x1)).toBeCloseTo((pointXs[5] + pointXs[6]) / 2, 0);
    expect(breaks[0].x1).toBe(breaks[0].x2);
    expect(svg).toContain('Recalculated: New ward model');
    expect(svg).toContain('<title>Limits recalculated from July 2025: New ward model</title>');
    expect(svg).not.toContain('Before the chart');
    const means = elements(svg, 'mean').filter((e) => e.tag === 'line');
    expect(means).toHaveLength(2);
    expect(means[0].x2).toBe(breaks[0].x1);
    expect(means[1].x1).toBe(breaks[0].x1);
    expect(Number(means[1].y1)).toBeLessThan(Number(means[0].y1)); // 36 is drawn higher than 30
    expect(elements(svg, 'upper-process-limit')).toHaveLength(2);
    expect(describeSpcChart(input)).toContain('Limits recalculated from July 2025: New ward model.');
  });

  test('a baseline that starts with the chart is labelled but needs no break', () => {
    const svg = renderSpcChart({ ...WARD_7, phases: [{ start: '2025-01-01', kind: 'BASELINE', reason: 'Before Safewards' }] });
    expect(elements(svg, 'phase-break')).toHaveLength(0);
    expect(svg).toContain('Baseline: Before Safewards');
  });

  test('a suppressed point is a marked gap and its figure appears nowhere, even if a caller left it on the point', () => {
    const points = monthly('2025-01-01', [[30, C], [31, C], 'S', [29, C], [30, C], null, [32, C], [31, C]], LINES);
    // A caller's mistake: the true figure left on a point marked suppressed. It must still not show.
    points[2] = { ...points[2], value: 987.6, numerator: 987, denominator: 6 };
    const svg = renderSpcChart({ ...WARD_7, points });
    expectWellFormed(svg);
    // Three runs: Jan–Feb, Apr–May, Jul–Aug; the suppressed March and the empty June split the line.
    const runs = elements(svg, 'data-line').map((line) => line.points.split(' ').length);
    expect(runs).toEqual([2, 2, 2]);
    // Only the suppressed month is marked; the month with no data is a plain gap.
    expect(elements(svg, 'suppressed-mark')).toHaveLength(1);
    expect(svg).toContain('<title>Suppressed: small number (March 2025)</title>');
    expect(svg).not.toMatch(/987/);
    // Nor is the axis stretched to hold it, which would give it away.
    const ticks = [...svg.matchAll(/text-anchor="end" font-size="10"[^>]*>([\d.,-]+)</g)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(Math.max(...ticks)).toBeLessThan(60);
    expect(elements(svg, 'point')).toHaveLength(6);
    expect(describeSpcChart({ ...WARD_7, points })).toContain('1 point suppressed (small numbers). 1 period with no data.');
  });

  test('the target is its own line, labelled with its value', () => {
    const svg = renderSpcChart(WARD_7);
    const [target] = elements(svg, 'target-line');
    expect(target).toMatchObject({ stroke: MDC_COLOURS.target, 'stroke-dasharray': '10 4 2 4' });
    expect(target.y1).toBe(target.y2);
    expect(target['stroke-dasharray']).not.toBe(elements(svg, 'upper-process-limit')[0]['stroke-dasharray']);
    expect(textsOf(svg, 'target-label')).toEqual(['Target 35']);
    // On the value axis, 35 lies between the mean (30) and the latest point (41.2).
    const [mean] = elements(svg, 'mean').filter((e) => e.tag === 'line');
    const latest = elements(svg, 'point').pop() as Record<string, string>;
    expect(Number(target.y1)).toBeLessThan(Number(mean.y1));
    expect(Number(target.y1)).toBeGreaterThan(Number(latest.cy));
    expect(textsOf(renderSpcChart({ ...WARD_7, unitLabel: '%' }), 'target-label')).toEqual(['Target 35%']);
    expect(elements(renderSpcChart({ ...WARD_7, target: null, assuranceIcon: null }), 'target-line')).toHaveLength(0);
  });

  test('the icons carry a letter and a label, never colour alone', () => {
    const svg = renderSpcChart(WARD_7);
    expect(svg).toContain('<title>Variation: Concern (higher)</title>');
    expect(svg).toMatch(/variation-concern-high[\s\S]*?font-size="22"[^>]*>H<\/text>/);
    expect(svg).toContain('<title>Assurance: Target hit and miss</title>');
    expect(svg).toMatch(/assurance-hit-and-miss[\s\S]*?font-size="22"[^>]*>\?<\/text>/);
    const pass = renderSpcChart({ ...WARD_7, variationIcon: 'IMPROVEMENT_LOW', assuranceIcon: 'PASS' });
    expect(pass).toMatch(/variation-improvement-low[\s\S]*?>L<\/text>/);
    expect(pass).toMatch(/assurance-pass[\s\S]*?>P<\/text>[\s\S]*?Target[\s\S]*?consistently met/);
    const fail = renderSpcChart({ ...WARD_7, variationIcon: 'COMMON_CAUSE', assuranceIcon: 'FAIL' });
    expect(fail).toMatch(/assurance-fail[\s\S]*?>F<\/text>/);
    expect(fail).toContain('<title>Variation: Common cause variation</title>');
    const none = renderSpcChart({ ...WARD_7, variationIcon: null, assuranceIcon: null, target: null });
    expect(none).toContain('<title>Variation: No variation icon yet</title>');
    expect(none).toContain('<title>Assurance: No target set</title>');
  });

  test('milestones and commentary are markers above the plot with their words', () => {
    const svg = renderSpcChart({
      ...WARD_7,
      markers: [
        { period: '2025-04-14', kind: 'MILESTONE', label: 'Safewards launched' },
        { period: '2025-04-01', kind: 'COMMENTARY', label: 'Two long-stay admissions' },
        { period: '2027-01-01', kind: 'MILESTONE', label: 'After the chart: not drawn' },
      ],
    });
    expect(elements(svg, 'milestone').filter((e) => e.tag === 'g')).toHaveLength(1);
    expect(svg).toContain('<title>Milestone, April 2025: Safewards launched</title>');
    expect(svg).toContain('<title>Commentary, April 2025: Two long-stay admissions</title>');
    expect(svg).not.toContain('After the chart');
    expect(describeSpcChart({ ...WARD_7, markers: [{ period: '2025-04-14', kind: 'MILESTONE', label: 'Safewards launched.' }] })).toContain(
      'Milestone, April 2025: Safewards launched. Shown:',
    );
  });

  test('is deterministic: the same input gives the same bytes, with no clock or randomness', () => {
    const random = jest.spyOn(Math, 'random');
    const now = jest.spyOn(Date, 'now');
    const first = renderSpcChart(WARD_7);
    expect(renderSpcChart({ ...WARD_7, points: WARD_7.points.map((p) => ({ ...p })) })).toBe(first);
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    random.mockRestore();
    now.mockRestore();
    // Ids come from the title, or from the caller where two charts share a page.
    expect(renderSpcChart({ ...WARD_7, title: 'Another title' })).not.toContain(/aria-labelledby="([^" ]+)/.exec(first)?.[1] ?? '');
    expect(renderSpcChart({ ...WARD_7, id: 'ward 7/chart' })).toContain('aria-labelledby="ward-7-chart-title ward-7-chart-desc"');
    // Coordinates have one decimal place.
    expect([...first.matchAll(/ (?:x|y|x1|y1|x2|y2|cx|cy)="([^"]*)"/g)].every((m) => /^-?\d+\.\d$/.test(m[1]))).toBe(true);
  });

  test('user text is escaped everywhere: the title, the unit, phase reasons and marker labels', () => {
    const nasty = 'Ward <7> & "PICU" \'north\'\u0007';
    const svg = renderSpcChart({
      ...WARD_7,
      title: nasty,
      unitLabel: '<b>per</b> & bed days',
      phases: [{ start: '2025-07-01', kind: 'RECALCULATION', reason: '<script>alert(1)</script>' }],
      markers: [{ period: '2025-04-01', kind: 'COMMENTARY', label: 'A & B < C' }],
    });
    expectWellFormed(svg);
    expect(svg).toContain('Ward &lt;7&gt; &amp; &quot;PICU&quot; &apos;north&apos;</title>');
    expect(svg).not.toContain('<7>');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('\u0007'); // not allowed in XML 1.0 even escaped
    expect(svg).toContain('A &amp; B &lt; C');
    expect(textAlternative(svg).title).toBe('Ward <7> & "PICU" \'north\'');
  });

  test('an all-missing series, and an empty one, render without throwing', () => {
    const allMissing: SpcChartInput = { ...WARD_7, points: monthly('2025-01-01', [null, null, null, null], { mean: null, upper: null, lower: null }), variationIcon: null, assuranceIcon: null, target: null };
    const svg = renderSpcChart(allMissing);
    expectWellFormed(svg);
    expect(elements(svg, 'point')).toHaveLength(0);
    expect(elements(svg, 'data-line')).toHaveLength(0);
    expect(describeSpcChart(allMissing)).toBe('No values to show. 4 periods with no data. Shown: January 2025 to April 2025 (4 points, per 1,000 bed days).');
    const empty = renderSpcChart({ ...allMissing, points: [] });
    expectWellFormed(empty);
    expect(textAlternative(empty).desc).toBe('No values to show. No periods shown.');
    // All suppressed, and a target: still no figure, still a chart.
    expectWellFormed(renderSpcChart({ ...allMissing, points: monthly('2025-01-01', ['S', 'S'], LINES), target: 35 }));
  });

  test('refuses a size too small to hold the icons and legend', () => {
    expect(() => renderSpcChart({ ...WARD_7, width: 200 })).toThrow(RangeError);
    expect(() => renderSpcChart({ ...WARD_7, height: Number.NaN })).toThrow(RangeError);
    expect(renderSpcChart({ ...WARD_7, width: 480, height: 300 })).toContain('viewBox="0 0 480 300"');
  });
});

describe('describeSpcChart', () => {
  const fifteen = (tail: Shown[]): SeriesPointResult[] =>
    monthly('2025-01-01', [...Array.from({ length: 15 - tail.length }, (_, i): Shown => [i % 2 === 0 ? 28 : 32, C]), ...tail], LINES);

  test('a single point beyond a limit, and a latest period without a figure', () => {
    const points = fifteen([[44, X], 'S']);
    expect(describeSpcChart({ ...WARD_7, points })).toMatch(
      /^Special cause concern: the latest point \(February 2026\) is above the upper process limit; target 35 not consistently met\. Latest: 44 \(February 2026\)\. March 2026 is suppressed \(small numbers\)\./,
    );
  });

  test('a falling run of improvement that crosses the mean, with target and unit in %', () => {
    const points = fifteen([[36, I], [33, I], [31, I], [29, I], [26, I], [17, I]]);
    const words = describeSpcChart({ ...WARD_7, unitLabel: '%', variationIcon: 'IMPROVEMENT_LOW', assuranceIcon: 'PASS', points });
    expect(words).toMatch(/^Special cause improvement: 6 points falling since October 2025, 1 of them below the lower process limit; target 35% consistently met\. Latest: 17% \(March 2026\)\./);
    expect(words).toMatch(/Shown: January 2025 to March 2026 \(15 points\)\.$/);
  });

  test('too few points, no target, and quarters named by their labels', () => {
    const quarter: SeriesPointResult = { ...monthly('2025-04-01', [[12.5, null]], { mean: 12.5, upper: null, lower: null })[0], periodEnd: '2025-06-01', label: '2025/26 Q1', monthsExpected: 3, monthsWithData: 2 };
    const input: SpcChartInput = { ...WARD_7, points: [quarter], variationIcon: null, assuranceIcon: null, target: null, unitLabel: null };
    expect(describeSpcChart(input)).toBe('Too few points for process limits: 1 with values, 13 needed; no target. Latest: 12.5 (2025/26 Q1). Mean 12.5; no process limits. Shown: 2025/26 Q1 (1 point).');
    expect(renderSpcChart(input)).toContain('<title>2025/26 Q1: 12.5, too few points for SPC (2 of 3 months)</title>');
  });
});
