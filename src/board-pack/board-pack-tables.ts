/**
 * The scorecard and the drill-downs as tables, and those tables as CSV (csv-stringify) and
 * XLSX (exceljs). One row per measure (scorecard) or per measure × unit below (drill-down).
 *
 * Figures are as the board services disclosed them for the reader: a suppressed figure's
 * value, numerator and denominator are "*" and its reason is in `suppression_reason`, never
 * a number. `value` is in the API's units (a proportion as 0..1, a rate already multiplied);
 * `value_shown` is the figure as the pack writes it ("71.2%").
 */
import { stringify } from 'csv-stringify/sync';
import type { DrillDown, MeasureSeries, ScorecardEntry, SeriesPoint } from '../board/board.type';
import type { Measure } from '../measures/measure.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import { displayUnit, pointFigure, staleness, SUPPRESSED_MARK } from './figures';

/** A cell: text, a number (with an Excel number format where it helps), or empty. */
export type Cell = string | number | null | { number: number; format: string };

export interface Table {
  /** the sheet's name in a workbook */
  name: string;
  columns: string[];
  rows: Cell[][];
}

function valueCells(measure: Measure, point: SeriesPoint | null): Cell[] {
  const figure = pointFigure(measure, point);
  if (figure.kind === 'SUPPRESSED') return [SUPPRESSED_MARK, SUPPRESSED_MARK, SUPPRESSED_MARK, SUPPRESSED_MARK, 'true', figure.reason];
  if (figure.kind === 'MISSING' || !point) return [null, null, null, null, 'false', null];
  const value: Cell = measure.scoringType === 'PROPORTION' ? { number: figure.value, format: '0.0%' } : figure.value;
  return [value, figure.text, point.numerator, point.denominator, 'false', null];
}

function iconCells(series: Pick<MeasureSeries, 'variationIcon' | 'assuranceIcon'>): Cell[] {
  return [series.variationIcon, series.assuranceIcon];
}

function targetCell(measure: Measure, target: number | null): Cell {
  if (target === null) return null;
  return measure.scoringType === 'PROPORTION' ? { number: target, format: '0.0%' } : target;
}

function month(period: string): string {
  return period ? period.slice(0, 7) : '';
}

export const SCORECARD_COLUMNS = [
  'org_unit_code',
  'org_unit_name',
  'period',
  'measure_code',
  'measure_name',
  'scoring_type',
  'unit',
  'improvement_direction',
  'latest_period',
  'value',
  'value_shown',
  'numerator',
  'denominator',
  'suppressed',
  'suppression_reason',
  'target',
  'variation_icon',
  'assurance_icon',
  'months_since_last_data',
  'stale',
];

export function scorecardTable(unit: OrgUnit, period: string, entries: readonly ScorecardEntry[]): Table {
  return {
    name: 'Scorecard',
    columns: SCORECARD_COLUMNS,
    rows: entries.map((entry) => {
      const m = entry.measure;
      const stale = staleness(entry.latest?.periodEnd ?? null, period, m.periodicity);
      return [
        unit.code,
        unit.name,
        month(period),
        m.code,
        m.name,
        m.scoringType,
        displayUnit(m),
        m.improvementDirection,
        entry.latest?.label ?? null,
        ...valueCells(m, entry.latest),
        targetCell(m, entry.target),
        ...iconCells(entry),
        stale.monthsSince,
        stale.stale ? 'true' : 'false',
      ];
    }),
  };
}

export const DRILL_DOWN_COLUMNS = [
  'parent_code',
  'parent_name',
  'period',
  'measure_code',
  'measure_name',
  'rank',
  'org_unit_code',
  'org_unit_name',
  'latest_period',
  'value',
  'value_shown',
  'numerator',
  'denominator',
  'suppressed',
  'suppression_reason',
  'target',
  'variation_icon',
  'assurance_icon',
  'months_since_last_data',
];

export function drillDownTable(unit: OrgUnit, period: string, drillDowns: readonly DrillDown[]): Table {
  return {
    name: 'Drill-down',
    columns: DRILL_DOWN_COLUMNS,
    rows: drillDowns.flatMap((d) =>
      d.rows.map((row) => [
        unit.code,
        unit.name,
        month(period),
        d.measure.code,
        d.measure.name,
        row.rank,
        row.orgUnit.code,
        row.orgUnit.name,
        row.latest?.label ?? null,
        ...valueCells(d.measure, row.latest),
        targetCell(d.measure, row.target),
        ...iconCells(row),
        staleness(row.latest?.periodEnd ?? null, period, d.measure.periodicity).monthsSince,
      ]),
    ),
  };
}

/** Text a spreadsheet would run as a formula (=, +, -, @, tab, return) is written with a leading apostrophe. */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function plain(cell: Cell): string | number {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.number;
  return typeof cell === 'string' ? safeText(cell) : cell;
}

/** One table as CSV (a CSV holds one table: several are written one after another, each with its header, a blank line between). */
export function tablesToCsv(tables: readonly Table[]): string {
  return tables.map((t) => stringify([t.columns, ...t.rows.map((row) => row.map(plain))], { record_delimiter: '\r\n' })).join('\r\n');
}

export async function tablesToXlsx(tables: readonly Table[], created = new Date(0)): Promise<Buffer> {
  // Loaded on the first export, not at start: exceljs and its zip libraries are about 27 MB of an idle server's memory.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'relational-care-graph';
  workbook.created = created;
  workbook.modified = created;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((header) => ({ header, key: header, width: Math.max(10, Math.min(40, header.length + 4)) }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((cell) => (cell === null ? null : typeof cell === 'object' ? cell.number : typeof cell === 'string' ? safeText(cell) : cell)));
      row.forEach((cell, i) => {
        if (cell !== null && typeof cell === 'object') added.getCell(i + 1).numFmt = cell.format;
      });
    }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
