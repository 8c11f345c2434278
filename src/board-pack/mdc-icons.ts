/**
 * Making Data Count colours, point styles and the variation and assurance icons, drawn as
 * SVG shapes. Colour is never the only signal: every icon carries a letter (or, for common
 * cause, the flat row of dots the MDC icon shows) and a text label, and every point a
 * tooltip in words.
 */
import type { AssuranceIcon, PointType, VariationIcon } from '../statistics/spc/spc';
import { coordinate, escapeXml } from './svg-text';

export const FONT_FAMILY = 'Arial, Helvetica, sans-serif';

/** The MDC palette; the darker strokes give the light fills 3:1 contrast against white. */
export const MDC_COLOURS = {
  commonCause: '#A6A6A6',
  commonCauseStroke: '#7F7F7F',
  improvement: '#00B0F0',
  improvementStroke: '#005EB8',
  concern: '#E46C0A',
  concernStroke: '#A84F07',
  neither: '#7030A0',
  neitherStroke: '#4B1F6B',
  text: '#212B32',
  secondaryText: '#425563',
  mean: '#404040',
  limit: '#7F7F7F',
  target: '#D5281B',
  dataLine: '#8C8C8C',
  grid: '#E8EDEE',
  axis: '#768692',
  phase: '#425563',
  milestone: '#005EB8',
  commentary: '#425563',
} as const;

export interface PointStyle {
  /** the class on the point's circle: tests and stylesheets find points by it */
  className: string;
  fill: string;
  stroke: string;
  /** in a sentence: "Jun 2026: 41.2, special cause concern" */
  words: string;
  /** in the legend */
  legend: string;
}

export const POINT_STYLES: Record<PointType, PointStyle> = {
  COMMON_CAUSE: { className: 'common-cause', fill: MDC_COLOURS.commonCause, stroke: MDC_COLOURS.commonCauseStroke, words: 'common cause', legend: 'Common cause' },
  SPECIAL_CAUSE_IMPROVEMENT: { className: 'special-cause-improvement', fill: MDC_COLOURS.improvement, stroke: MDC_COLOURS.improvementStroke, words: 'special cause improvement', legend: 'Improvement' },
  SPECIAL_CAUSE_CONCERN: { className: 'special-cause-concern', fill: MDC_COLOURS.concern, stroke: MDC_COLOURS.concernStroke, words: 'special cause concern', legend: 'Concern' },
  SPECIAL_CAUSE_NEITHER: { className: 'special-cause-neither', fill: MDC_COLOURS.neither, stroke: MDC_COLOURS.neitherStroke, words: 'special cause, neither improvement nor concern', legend: 'Special cause (neither)' },
};

/** A point SPC has not typed (too few points for limits): drawn as common cause is, but its words say why. */
export const UNTYPED_POINT_STYLE: PointStyle = { ...POINT_STYLES.COMMON_CAUSE, className: 'no-spc', words: 'too few points for SPC', legend: 'No SPC yet' };

export function pointStyle(pointType: PointType | null): PointStyle {
  return pointType ? POINT_STYLES[pointType] : UNTYPED_POINT_STYLE;
}

/** What an icon shows: its fill, its mark (a letter, or the common-cause dots) and two lines of label. */
export interface IconSpec {
  className: string;
  fill: string;
  stroke: string;
  /** null: the common-cause row of dots; '' : an empty (dashed) circle, no icon to give */
  letter: string | null;
  letterColour: string;
  label: [string, string];
}

const DARK_LETTER = MDC_COLOURS.text;

export function variationIconSpec(icon: VariationIcon | null): IconSpec {
  switch (icon) {
    case 'COMMON_CAUSE':
      return { className: 'variation-common-cause', fill: MDC_COLOURS.commonCause, stroke: MDC_COLOURS.commonCauseStroke, letter: null, letterColour: DARK_LETTER, label: ['Common cause', 'variation'] };
    case 'IMPROVEMENT_HIGH':
      return { className: 'variation-improvement-high', fill: MDC_COLOURS.improvement, stroke: MDC_COLOURS.improvementStroke, letter: 'H', letterColour: DARK_LETTER, label: ['Improvement', '(higher)'] };
    case 'IMPROVEMENT_LOW':
      return { className: 'variation-improvement-low', fill: MDC_COLOURS.improvement, stroke: MDC_COLOURS.improvementStroke, letter: 'L', letterColour: DARK_LETTER, label: ['Improvement', '(lower)'] };
    case 'CONCERN_HIGH':
      return { className: 'variation-concern-high', fill: MDC_COLOURS.concern, stroke: MDC_COLOURS.concernStroke, letter: 'H', letterColour: DARK_LETTER, label: ['Concern', '(higher)'] };
    case 'CONCERN_LOW':
      return { className: 'variation-concern-low', fill: MDC_COLOURS.concern, stroke: MDC_COLOURS.concernStroke, letter: 'L', letterColour: DARK_LETTER, label: ['Concern', '(lower)'] };
    case 'NEITHER_HIGH':
      // White on purple: dark letters would not read on it.
      return { className: 'variation-neither-high', fill: MDC_COLOURS.neither, stroke: MDC_COLOURS.neitherStroke, letter: 'H', letterColour: '#FFFFFF', label: ['Special cause', '(higher)'] };
    case 'NEITHER_LOW':
      return { className: 'variation-neither-low', fill: MDC_COLOURS.neither, stroke: MDC_COLOURS.neitherStroke, letter: 'L', letterColour: '#FFFFFF', label: ['Special cause', '(lower)'] };
    default:
      return { className: 'variation-none', fill: '#FFFFFF', stroke: MDC_COLOURS.axis, letter: '', letterColour: DARK_LETTER, label: ['No variation', 'icon yet'] };
  }
}

/** Why a chart has no assurance icon, in the two lines its empty icon carries. */
export function assuranceAbsence(target: number | null, improvementDirection: 'INCREASE' | 'DECREASE' | 'NEITHER'): [string, string] {
  if (target === null) return ['No target', 'set'];
  return improvementDirection === 'NEITHER' ? ['No assurance:', 'no direction'] : ['No assurance:', 'too few points'];
}

/** `why` explains a missing icon: no target, no direction, or too few points. */
export function assuranceIconSpec(icon: AssuranceIcon | null, why: [string, string]): IconSpec {
  switch (icon) {
    case 'PASS':
      return { className: 'assurance-pass', fill: MDC_COLOURS.improvement, stroke: MDC_COLOURS.improvementStroke, letter: 'P', letterColour: DARK_LETTER, label: ['Target', 'consistently met'] };
    case 'FAIL':
      return { className: 'assurance-fail', fill: MDC_COLOURS.concern, stroke: MDC_COLOURS.concernStroke, letter: 'F', letterColour: DARK_LETTER, label: ['Target', 'consistently missed'] };
    case 'HIT_AND_MISS':
      return { className: 'assurance-hit-and-miss', fill: MDC_COLOURS.commonCause, stroke: MDC_COLOURS.commonCauseStroke, letter: '?', letterColour: DARK_LETTER, label: ['Target', 'hit and miss'] };
    default:
      return { className: 'assurance-none', fill: '#FFFFFF', stroke: MDC_COLOURS.axis, letter: '', letterColour: DARK_LETTER, label: why };
  }
}

export const ICON_RADIUS = 22;

/** One icon: a heading above, the circle with its mark, the label below; the group's <title> says it all in one line. */
export function renderIcon(spec: IconSpec, heading: string, cx: number, top: number): string {
  const cy = top + 16 + ICON_RADIUS;
  const x = coordinate(cx);
  const parts = [
    `<g class="mdc-icon ${spec.className}">`,
    `<title>${escapeXml(`${heading}: ${spec.label.join(' ')}`)}</title>`,
    `<text x="${x}" y="${coordinate(top + 10)}" text-anchor="middle" font-size="11" font-weight="bold" fill="${MDC_COLOURS.text}">${escapeXml(heading)}</text>`,
    `<circle cx="${x}" cy="${coordinate(cy)}" r="${ICON_RADIUS}" fill="${spec.fill}" stroke="${spec.stroke}" stroke-width="2"${spec.letter === '' ? ' stroke-dasharray="4 3"' : ''}/>`,
  ];
  if (spec.letter === null) {
    // MDC's common-cause icon: a level row of dots on grey, no letter.
    for (const dx of [-11, 0, 11]) parts.push(`<circle cx="${coordinate(cx + dx)}" cy="${coordinate(cy)}" r="3.5" fill="${MDC_COLOURS.text}"/>`);
  } else if (spec.letter !== '') {
    parts.push(`<text x="${x}" y="${coordinate(cy + 8)}" text-anchor="middle" font-size="22" font-weight="bold" fill="${spec.letterColour}">${escapeXml(spec.letter)}</text>`);
  }
  spec.label.forEach((line, i) => {
    parts.push(`<text x="${x}" y="${coordinate(cy + ICON_RADIUS + 15 + i * 13)}" text-anchor="middle" font-size="11" fill="${MDC_COLOURS.text}">${escapeXml(line)}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

/** Height renderIcon takes from `top`: heading, circle, two label lines. */
export const ICON_BLOCK_HEIGHT = 16 + 2 * ICON_RADIUS + 15 + 13 + 6;

/**
 * An icon as a small standalone SVG for a table cell or a legend: the circle with its mark,
 * no words. It is decoration (aria-hidden): the cell writes the icon's label beside it, so the
 * words, not the colour or the shape, carry the meaning.
 */
export function renderIconBadge(spec: IconSpec, size = 26): string {
  const r = size / 2 - 1.5;
  const mid = coordinate(size / 2);
  const scale = r / ICON_RADIUS;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="mdc-badge ${spec.className}" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true" focusable="false">`,
    `<circle cx="${mid}" cy="${mid}" r="${coordinate(r)}" fill="${spec.fill}" stroke="${spec.stroke}" stroke-width="1.5"${spec.letter === '' ? ' stroke-dasharray="3 2"' : ''}/>`,
  ];
  if (spec.letter === null) {
    for (const dx of [-11, 0, 11]) parts.push(`<circle cx="${coordinate(size / 2 + dx * scale)}" cy="${mid}" r="${coordinate(3.5 * scale)}" fill="${MDC_COLOURS.text}"/>`);
  } else if (spec.letter !== '') {
    parts.push(`<text x="${mid}" y="${coordinate(size / 2 + 8 * scale)}" text-anchor="middle" font-family="${FONT_FAMILY}" font-size="${coordinate(22 * scale)}" font-weight="bold" fill="${spec.letterColour}">${escapeXml(spec.letter)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
