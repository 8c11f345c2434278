import type { DisparityFlag } from '../board/disparity.type';
/**
 * The words a board pack uses in every format (HTML, PDF, spreadsheets), so the page, the
 * paper and the download say the same thing. Pure: no I/O, no clock.
 */
import type { AssuranceIcon, ImprovementDirection, VariationIcon } from '../statistics/spc/spc';
import { assuranceAbsence, assuranceIconSpec, variationIconSpec, type IconSpec } from './mdc-icons';
import { monthWords } from './svg-text';

/** The icon's spec and its label in one line: "Concern (higher)", "Target consistently met". */
export function variationIcon(icon: VariationIcon | null): { spec: IconSpec; words: string } {
  const spec = variationIconSpec(icon);
  return { spec, words: spec.label.join(' ') };
}

export function assuranceIcon(icon: AssuranceIcon | null, target: number | null, direction: ImprovementDirection): { spec: IconSpec; words: string } {
  const spec = assuranceIconSpec(icon, assuranceAbsence(target, direction));
  return { spec, words: spec.label.join(' ') };
}

/** The rows of the Making Data Count summary matrix: variation, grouped as the MDC icons are. */
export const VARIATION_ROWS: Array<{ key: string; heading: string; icons: Array<VariationIcon | null>; example: VariationIcon | null }> = [
  { key: 'improvement', heading: 'Special cause improvement', icons: ['IMPROVEMENT_HIGH', 'IMPROVEMENT_LOW'], example: 'IMPROVEMENT_HIGH' },
  { key: 'common-cause', heading: 'Common cause variation', icons: ['COMMON_CAUSE'], example: 'COMMON_CAUSE' },
  { key: 'concern', heading: 'Special cause concern', icons: ['CONCERN_HIGH', 'CONCERN_LOW'], example: 'CONCERN_HIGH' },
  { key: 'neither', heading: 'Special cause, neither improvement nor concern', icons: ['NEITHER_HIGH', 'NEITHER_LOW'], example: 'NEITHER_HIGH' },
  { key: 'none', heading: 'No variation icon yet (too few points)', icons: [null], example: null },
];

/** The columns of the matrix: assurance. */
export const ASSURANCE_COLUMNS: Array<{ key: string; heading: string; icon: AssuranceIcon | null }> = [
  { key: 'pass', heading: 'Target consistently met', icon: 'PASS' },
  { key: 'hit-and-miss', heading: 'Target hit and miss', icon: 'HIT_AND_MISS' },
  { key: 'fail', heading: 'Target consistently missed', icon: 'FAIL' },
  { key: 'none', heading: 'No assurance (no target, or too few points)', icon: null },
];

/** One line each: what every icon means, for a reader who does not know SPC. */
export const ICON_MEANINGS: Array<{ spec: IconSpec; meaning: string }> = [
  { spec: variationIconSpec('COMMON_CAUSE'), meaning: 'Common cause (grey, level dots): the figures vary as they usually do; nothing has changed.' },
  { spec: variationIconSpec('IMPROVEMENT_HIGH'), meaning: 'Improvement (blue; H higher, L lower): a real change in the better direction.' },
  { spec: variationIconSpec('CONCERN_HIGH'), meaning: 'Concern (orange; H higher, L lower): a real change in the worse direction.' },
  { spec: variationIconSpec('NEITHER_HIGH'), meaning: 'Special cause, neither (purple; H or L): a real change where no direction is better.' },
  { spec: assuranceIconSpec('PASS', ['', '']), meaning: 'P (blue): the process will consistently meet the target.' },
  { spec: assuranceIconSpec('HIT_AND_MISS', ['', '']), meaning: '? (grey): the target will sometimes be met and sometimes missed.' },
  { spec: assuranceIconSpec('FAIL', ['', '']), meaning: 'F (orange): the process will consistently miss the target unless something changes.' },
];

export const SUPPRESSION_MEANING = '* : a small number, not shown to protect the people it describes (NHS disclosure control); the reason is given beside it.';

const REASON_WORDS: Record<string, string> = {
  SPECIAL_CAUSE_CONCERN: 'Latest point is special cause concern',
  ASSURANCE_FAIL: 'Target consistently missed',
  DISPARITY_WIDENING: 'A gap between groups of patients is widening',
};

/** A stratified measure's disparities in words, for the pack (null for a measure with no stratifiers). */
export function disparityWords(stratifiers: readonly string[], flags: readonly DisparityFlag[]): string | null {
  if (stratifiers.length === 0) return null;
  if (flags.length === 0) return `No group's ratio to its reference group excludes 1 this financial year (${stratifiers.join(', ').toLowerCase().replace(/_/g, ' ')}).`;
  const ratio = (x: number | null) => (x === null ? '?' : x.toFixed(1));
  return flags
    .map((f) => `${f.label}: ${ratio(f.ratio.value)} times ${f.reference.label} (95% interval ${ratio(f.ratio.lower)} to ${ratio(f.ratio.upper)})`)
    .join('; ')
    .concat(', financial year to date.');
}

export function exceptionReasonWords(reasons: readonly string[]): string {
  return reasons.map((r) => REASON_WORDS[r] ?? r).join('; ');
}

const UNIT_TYPE_WORDS: Record<string, string> = { TRUST: 'trust', DIRECTORATE: 'directorate', SERVICE: 'service', TEAM: 'team', WARD: 'ward' };

export function unitTypeWords(type: string): string {
  return UNIT_TYPE_WORDS[type] ?? type.toLowerCase();
}

const STATUS_WORDS: Record<string, string> = {
  PROPOSED: 'Proposed',
  ACTIVE: 'Active',
  PAUSED: 'Paused',
  COMPLETED: 'Completed',
  PLANNED: 'Planned',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
  MISSED: 'Missed',
};

export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

const LEAD_ROLE_WORDS: Record<string, string> = { LEAD: 'Lead', CO_LEAD: 'Co-lead', LIVED_EXPERIENCE_LEAD: 'Lived experience lead', EXECUTIVE_SPONSOR: 'Executive sponsor' };

export function leadRoleWords(role: string): string {
  return LEAD_ROLE_WORDS[role] ?? role;
}

const DAY_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '3 March 2026' for a calendar date (read in UTC, as dates are stored); '' for none. */
export function dateWords(date: Date | null): string {
  if (!date) return '';
  return `${date.getUTCDate()} ${DAY_MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** '3 March 2026, 14:05 UTC' */
export function timeWords(date: Date): string {
  return `${dateWords(date)}, ${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** 'October 2026', or 'no data' for the empty period of a pack with nothing to show. */
export function periodMonthWords(period: string | null): string {
  return period ? monthWords(period) : 'no data';
}

/** The words for the data behind a measure: what is counted, over what. */
export function dataSourceWords(measure: { scoringType: string; numeratorLabel: string | null; denominatorLabel: string | null; description: string; audience: string }): string {
  const counted = [measure.numeratorLabel, measure.denominatorLabel].filter((l): l is string => !!l && l.trim() !== '');
  const who = measure.audience === 'STAFF' ? 'Staff measure' : 'Patient measure';
  const what = counted.length === 2 ? `${counted[0]} ÷ ${counted[1]}` : counted.length === 1 ? counted[0] : null;
  return [`${who}, ${measure.scoringType.toLowerCase()}`, what ? `: ${what}.` : '.', measure.description ? ` ${measure.description.trim()}` : ''].join('');
}
