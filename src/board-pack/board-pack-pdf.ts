/**
 * The board pack as a PDF, made on the server without a browser: pdfkit lays out the pages
 * (A4 landscape, its built-in Helvetica), svg-to-pdfkit draws the same SVG charts and
 * sparklines as the HTML page. The same sections in the same order: a cover, the summary
 * matrix, the principles, a page per measure, the exceptions, the workstreams and a legend.
 * Links in the matrix and the tables go to the measure pages (PDF named destinations).
 *
 * Pure apart from building the bytes in memory: the document is a function of the BoardPack
 * (its dates come from pack.generatedAt). Figures come only from the pack's disclosure-
 * controlled series; a suppressed figure is written "*" with its reason, never as a number.
 */
import type SVGtoPDFFunction from 'svg-to-pdfkit';
import type { DrillDownRow, ScorecardEntry } from '../board/board.type';
import type { Measure } from '../measures/measure.type';
import type { BoardPack, PackMeasure } from './board-pack.model';
import { chartInputFor, sparklineInputFor } from './chart-input';
import { displayUnit, formatFigure, pointFigure, staleness, targetWords, type PointFigure } from './figures';
import { MDC_COLOURS, type IconSpec } from './mdc-icons';
import {
  ASSURANCE_COLUMNS,
  assuranceIcon,
  dataSourceWords,
  dateWords,
  exceptionReasonWords,
  ICON_MEANINGS,
  leadRoleWords,
  periodMonthWords,
  statusWords,
  SUPPRESSION_MEANING,
  timeWords,
  unitTypeWords,
  VARIATION_ROWS,
  variationIcon,
  disparityWords,
} from './pack-words';
import { renderSparkline } from './sparkline';
import { describeSpcChart, renderSpcChart } from './spc-chart';
import { periodWords } from './spc-chart-model';

const PAGE_WIDTH = 841.89;
const PAGE_HEIGHT = 595.28;
const MARGIN = 36;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const FOOTER_SPACE = 20;
const BOTTOM = PAGE_HEIGHT - MARGIN - FOOTER_SPACE;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const TEXT = MDC_COLOURS.text;
const SECONDARY = MDC_COLOURS.secondaryText;
const RULE = '#D8DDE0';
const PALE = '#F0F4F5';
const LINK = '#005EB8';
const LATE = '#8A1538';

/**
 * The built-in fonts write Windows-1252 only: anything else would print as the wrong glyph.
 * Common symbols get a stand-in; the rest becomes "?".
 */
const STAND_INS: Record<string, string> = { '≤': '<=', '≥': '>=', '⚠': '!', '→': '->', '←': '<-', '−': '-', '×': 'x', '\u00A0': ' ', '\u2009': ' ', '\u202F': ' ' };
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += STAND_INS[ch] ?? '?';
  }
  return out;
}

const FONT_FOR_SVG = (_family: string, bold: boolean, italic: boolean) => (bold ? BOLD : italic ? ITALIC : REGULAR);

// Set by renderBoardPackPdf before any page is drawn.
let SVGtoPDF: typeof SVGtoPDFFunction;

function drawSvg(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, width: number, height: number): void {
  // The SVG's markup is ASCII; only its text needs the font's encoding.
  SVGtoPDF(doc, pdfText(svg), x, y, { width, height, fontCallback: FONT_FOR_SVG, preserveAspectRatio: 'xMinYMin meet' });
}

function destination(code: string): string {
  return `measure-${code}`;
}

export async function renderBoardPackPdf(pack: BoardPack): Promise<Buffer> {
  // Loaded on the first PDF, not at start: pdfkit with its fonts and svg-to-pdfkit are about 23 MB of an idle server's memory.
  const [{ default: PDFDocument }, { default: svgToPdf }] = await Promise.all([import('pdfkit'), import('svg-to-pdfkit')]);
  SVGtoPDF = svgToPdf;
  const title = `Board pack: ${pack.orgUnit.name}, ${periodMonthWords(pack.period)}`;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: pdfText(title), Author: 'relational-care-graph', Subject: 'Making Data Count board pack', CreationDate: pack.generatedAt, ModDate: pack.generatedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const pdf = new PackPdf(doc);
  cover(pdf, pack);
  summary(pdf, pack);
  principles(pdf, pack);
  for (const page of pack.measures) measurePage(pdf, pack, page);
  exceptions(pdf, pack);
  workstreams(pdf, pack);
  howToRead(pdf);
  pdf.footers(`${pack.orgUnit.name} (${pack.orgUnit.code}) · ${periodMonthWords(pack.period)} · prepared ${timeWords(pack.generatedAt)}`);
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------
// Layout helpers

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

interface Cell {
  text: string;
  bold?: boolean;
  /** a second, smaller line: a period, a reason */
  note?: string;
  colour?: string;
  icon?: IconSpec;
  /** an SVG drawn in the cell (a sparkline) */
  svg?: { markup: string; width: number; height: number };
  /** the named destination the text links to */
  goTo?: string;
}

const CELL_PAD = 4;
const TABLE_SIZE = 8.5;
const NOTE_SIZE = 7.5;
const BADGE_RADIUS = 6.5;

class PackPdf {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  newPage(): void {
    this.doc.addPage();
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > BOTTOM) this.newPage();
  }

  heading(text: string, level: 1 | 2 | 3, destinationName?: string): void {
    const size = level === 1 ? 26 : level === 2 ? 17 : 12.5;
    this.ensure(size * 3);
    if (destinationName) this.doc.addNamedDestination(destinationName);
    this.doc.font(BOLD).fontSize(size).fillColor(TEXT).text(pdfText(text), MARGIN, this.doc.y, { width: CONTENT_WIDTH });
    this.doc.moveDown(level === 1 ? 0.4 : 0.3);
  }

  paragraph(text: string, options: { size?: number; colour?: string; font?: string; width?: number; x?: number } = {}): void {
    const size = options.size ?? 10;
    const width = options.width ?? CONTENT_WIDTH;
    this.doc.font(options.font ?? REGULAR).fontSize(size);
    this.ensure(Math.min(this.doc.heightOfString(pdfText(text), { width }), 120));
    this.doc.fillColor(options.colour ?? TEXT).text(pdfText(text), options.x ?? MARGIN, this.doc.y, { width });
    this.doc.moveDown(0.4);
  }

  /** A label and its value on one line (the label bold), wrapping under the value. */
  fact(label: string, value: string, x: number, width: number, options: { size?: number; valueColour?: string } = {}): void {
    const size = options.size ?? 9.5;
    this.doc.font(BOLD).fontSize(size).fillColor(TEXT).text(pdfText(`${label}: `), x, this.doc.y, { width, continued: true });
    this.doc.font(REGULAR).fillColor(options.valueColour ?? TEXT).text(pdfText(value), { width });
    this.doc.moveDown(0.25);
  }

  /** An MDC icon: the coloured circle with its letter, or the common-cause dots; dashed and empty when there is none. */
  badge(spec: IconSpec, cx: number, cy: number, r = BADGE_RADIUS): void {
    const doc = this.doc;
    doc.save();
    doc.lineWidth(1);
    if (spec.letter === '') doc.dash(2, { space: 1.5 });
    doc.circle(cx, cy, r).fillAndStroke(spec.fill, spec.stroke);
    doc.undash();
    if (spec.letter === null) {
      for (const dx of [-0.5, 0, 0.5]) doc.circle(cx + dx * r, cy, r * 0.16).fill(TEXT);
    } else if (spec.letter !== '') {
      const size = r * 1.3;
      doc.font(BOLD).fontSize(size).fillColor(spec.letterColour);
      doc.text(spec.letter, cx - r, cy - size * 0.36, { width: 2 * r, align: 'center', lineBreak: false });
    }
    doc.restore();
  }

  private cellHeight(cell: Cell, width: number): number {
    const doc = this.doc;
    const textWidth = width - 2 * CELL_PAD - (cell.icon ? 2 * BADGE_RADIUS + 4 : 0);
    doc.font(cell.bold ? BOLD : REGULAR).fontSize(TABLE_SIZE);
    let height = cell.text ? doc.heightOfString(pdfText(cell.text), { width: textWidth }) : 0;
    if (cell.note) {
      doc.font(REGULAR).fontSize(NOTE_SIZE);
      height += doc.heightOfString(pdfText(cell.note), { width: textWidth }) + 1;
    }
    if (cell.icon) height = Math.max(height, 2 * BADGE_RADIUS);
    if (cell.svg) height = Math.max(height, cell.svg.height);
    return height + 2 * CELL_PAD;
  }

  private drawCell(cell: Cell, x: number, y: number, width: number, align: 'left' | 'right'): void {
    const doc = this.doc;
    if (cell.svg) {
      drawSvg(doc, cell.svg.markup, x + CELL_PAD, y + CELL_PAD, cell.svg.width, cell.svg.height);
      return;
    }
    let textX = x + CELL_PAD;
    let textWidth = width - 2 * CELL_PAD;
    if (cell.icon) {
      this.badge(cell.icon, textX + BADGE_RADIUS, y + CELL_PAD + BADGE_RADIUS);
      textX += 2 * BADGE_RADIUS + 4;
      textWidth -= 2 * BADGE_RADIUS + 4;
    }
    doc.font(cell.bold ? BOLD : REGULAR).fontSize(TABLE_SIZE).fillColor(cell.goTo ? LINK : (cell.colour ?? TEXT));
    doc.text(pdfText(cell.text), textX, y + CELL_PAD + (cell.icon ? 1.5 : 0), { width: textWidth, align, ...(cell.goTo ? { goTo: cell.goTo, underline: true } : {}) });
    if (cell.note) {
      doc.font(REGULAR).fontSize(NOTE_SIZE).fillColor(SECONDARY).text(pdfText(cell.note), textX, doc.y + 1, { width: textWidth, align });
    }
  }

  /** A table with its caption, the header row repeated on each page it runs onto. */
  table(caption: string, columns: Column[], rows: Cell[][]): void {
    const doc = this.doc;
    const scale = CONTENT_WIDTH / columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => c.width * Math.min(1, scale));
    const header = () => {
      const height = Math.max(...columns.map((c, i) => this.cellHeight({ text: c.header, bold: true }, widths[i])));
      const y = doc.y;
      let x = MARGIN;
      columns.forEach((c, i) => {
        this.drawCell({ text: c.header, bold: true }, x, y, widths[i], c.align ?? 'left');
        x += widths[i];
      });
      doc.moveTo(MARGIN, y + height).lineTo(MARGIN + widths.reduce((a, b) => a + b, 0), y + height).lineWidth(1.2).strokeColor(TEXT).stroke();
      doc.y = y + height;
    };
    doc.font(BOLD).fontSize(9.5);
    this.ensure(60);
    doc.fillColor(TEXT).text(pdfText(caption), MARGIN, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.2);
    header();
    for (const row of rows) {
      const height = Math.max(...row.map((cell, i) => this.cellHeight(cell, widths[i])));
      if (doc.y + height > BOTTOM) {
        this.newPage();
        doc.font(ITALIC).fontSize(8).fillColor(SECONDARY).text(pdfText(`${caption} (continued)`), MARGIN, doc.y, { width: CONTENT_WIDTH });
        doc.moveDown(0.2);
        header();
      }
      const y = doc.y;
      let x = MARGIN;
      row.forEach((cell, i) => {
        this.drawCell(cell, x, y, widths[i], columns[i].align ?? 'left');
        x += widths[i];
      });
      doc.moveTo(MARGIN, y + height).lineTo(MARGIN + widths.reduce((a, b) => a + b, 0), y + height).lineWidth(0.5).strokeColor(RULE).stroke();
      doc.y = y + height;
    }
    doc.x = MARGIN;
    doc.moveDown(0.8);
  }

  /** "Page n of N" and a line of provenance on every page, written last. */
  footers(line: string): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i += 1) {
      doc.switchToPage(i);
      const bottomMargin = doc.page.margins.bottom;
      // Writing below the bottom margin would otherwise start a new page.
      doc.page.margins.bottom = 0;
      doc.font(REGULAR).fontSize(7.5).fillColor(SECONDARY);
      doc.text(pdfText(line), MARGIN, PAGE_HEIGHT - MARGIN + 4, { width: CONTENT_WIDTH - 80, lineBreak: false });
      doc.text(`Page ${i + 1} of ${range.count}`, PAGE_WIDTH - MARGIN - 80, PAGE_HEIGHT - MARGIN + 4, { width: 80, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottomMargin;
    }
  }
}

// ---------------------------------------------------------------------------
// Cells shared by the tables

function figureCell(figure: PointFigure, point: { periodStart: string; periodEnd: string; label: string } | null): Cell {
  if (figure.kind === 'SUPPRESSED') return { text: '*', bold: true, note: figure.reason };
  if (figure.kind === 'MISSING') return { text: 'No data', colour: SECONDARY };
  return { text: figure.text, bold: true, note: point ? periodWords(point) : undefined };
}

function staleCell(latestEnd: string | null, period: string, periodicity: 'MONTH' | 'QUARTER'): Cell {
  const s = staleness(latestEnd, period, periodicity);
  return s.stale ? { text: `! ${s.words}`, colour: LATE, bold: true } : { text: s.words };
}

function variationCell(icon: Parameters<typeof variationIcon>[0]): Cell {
  const v = variationIcon(icon);
  return { text: v.words, icon: v.spec };
}

function assuranceCell(icon: Parameters<typeof assuranceIcon>[0], target: number | null, measure: Measure): Cell {
  const a = assuranceIcon(icon, target, measure.improvementDirection);
  return { text: a.words, icon: a.spec };
}

function figureWords(measure: Measure, value: number): string {
  const unit = displayUnit(measure);
  const figure = formatFigure(measure, value);
  return unit && unit !== '%' ? `${figure} ${unit}` : figure;
}

// ---------------------------------------------------------------------------
// Sections

function cover(pdf: PackPdf, pack: BoardPack): void {
  const doc = pdf.doc;
  doc.rect(0, 0, PAGE_WIDTH, 10).fill(LINK);
  doc.y = 70;
  doc.font(BOLD).fontSize(10).fillColor(SECONDARY).text('RELATIONAL CARE FACULTY · MAKING DATA COUNT BOARD PACK', MARGIN, doc.y, { characterSpacing: 0.5 });
  doc.moveDown(0.6);
  pdf.heading(pack.orgUnit.name, 1);
  doc.moveDown(0.4);
  const unit = pack.orgUnit;
  for (const [label, value] of [
    ['Org unit', `${unit.name} (${unit.code}), ${unitTypeWords(unit.type)}`],
    ['Period', periodMonthWords(pack.period)],
    ['Data updated to', periodMonthWords(pack.updatedTo)],
    ['Measures', String(pack.measures.length)],
    ['Prepared', `${timeWords(pack.generatedAt)}, for ${pack.reader.role}`],
  ] as const) {
    pdf.fact(label, value, MARGIN, CONTENT_WIDTH, { size: 13 });
  }
  doc.moveDown(1);
  const boxY = doc.y;
  doc.font(REGULAR).fontSize(10.5);
  const lead = pack.reader.trueFigures ? 'True figures. ' : 'Disclosure control. ';
  const words = `${lead}${pack.reader.disclosureWords}`;
  const height = doc.heightOfString(pdfText(words), { width: CONTENT_WIDTH * 0.7 - 24 }) + 16;
  doc.rect(MARGIN, boxY, CONTENT_WIDTH * 0.7, height).fill(PALE);
  doc.rect(MARGIN, boxY, 6, height).fill(pack.reader.trueFigures ? LATE : LINK);
  doc.font(BOLD).fillColor(TEXT).text(lead, MARGIN + 18, boxY + 8, { width: CONTENT_WIDTH * 0.7 - 24, continued: true });
  doc.font(REGULAR).text(pdfText(words.slice(lead.length)));
  doc.y = boxY + height + 24;
  doc.font(BOLD).fontSize(12).fillColor(TEXT).text('Contents', MARGIN, doc.y);
  doc.moveDown(0.3);
  for (const line of ['Summary: variation and assurance', 'Measures by principle', 'Measure pages', 'Exceptions', 'Workstreams and milestones', 'How to read this pack']) {
    doc.font(REGULAR).fontSize(10.5).fillColor(TEXT).text(`•  ${line}`, MARGIN + 8, doc.y);
  }
}

function legend(pdf: PackPdf): void {
  const doc = pdf.doc;
  const columnWidth = CONTENT_WIDTH / 2 - 8;
  const items = [...ICON_MEANINGS.map((m) => ({ spec: m.spec as IconSpec | null, text: m.meaning })), { spec: null, text: SUPPRESSION_MEANING }];
  const rows = Math.ceil(items.length / 2);
  pdf.ensure(rows * 16 + 8);
  const top = doc.y;
  items.forEach((item, i) => {
    const x = MARGIN + (i < rows ? 0 : columnWidth + 16);
    const y = top + (i % rows) * 16;
    if (item.spec) pdf.badge(item.spec, x + 6, y + 5, 5.5);
    doc.font(REGULAR).fontSize(8.5).fillColor(TEXT).text(pdfText(item.spec ? item.text : item.text.replace(/^\* : /, '* ')), x + 16, y + 1, { width: columnWidth - 18, lineBreak: false, ellipsis: true });
  });
  doc.y = top + rows * 16 + 6;
  doc.x = MARGIN;
}

function summary(pdf: PackPdf, pack: BoardPack): void {
  pdf.newPage();
  pdf.heading('Summary: variation and assurance', 2);
  pdf.paragraph(
    `Each measure of ${pack.orgUnit.name} as at ${periodMonthWords(pack.period)}, placed by what its latest point says (variation, the rows) and whether it will meet its target (assurance, the columns).`,
    { size: 9.5, colour: SECONDARY },
  );
  legend(pdf);
  const columns: Column[] = [{ header: 'Variation \\ Assurance', width: 170 }, ...ASSURANCE_COLUMNS.map((c) => ({ header: c.heading, width: 150 }))];
  const rows: Cell[][] = VARIATION_ROWS.map((row) => [
    { text: row.heading, bold: true, icon: variationIcon(row.example).spec },
    ...ASSURANCE_COLUMNS.map((column): Cell => {
      const measures = pack.measures.filter((m) => row.icons.includes(m.entry.variationIcon) && m.entry.assuranceIcon === column.icon);
      return measures.length === 0 ? { text: '–', colour: SECONDARY } : { text: measures.map((m) => `• ${m.entry.measure.name}`).join('\n') };
    }),
  ]);
  pdf.table('Summary matrix: variation (rows) by assurance (columns)', columns, rows);
}

function principles(pdf: PackPdf, pack: BoardPack): void {
  pdf.newPage();
  pdf.heading('Measures by principle', 2);
  const columns: Column[] = [
    { header: 'Measure', width: 190 },
    { header: 'Latest', width: 110 },
    { header: 'Target', width: 70 },
    { header: 'Variation', width: 110 },
    { header: 'Assurance', width: 110 },
    { header: 'Last 12 points', width: 100 },
    { header: 'Data', width: 80 },
  ];
  for (const section of pack.sections) {
    pdf.ensure(90);
    pdf.heading(section.title, 3);
    if (section.entries.length === 0) {
      pdf.paragraph('No live measure evidences this principle yet.', { size: 9 });
      continue;
    }
    const rows = section.entries.map((entry: ScorecardEntry): Cell[] => {
      const m = entry.measure;
      return [
        { text: m.name, goTo: destination(m.code) },
        figureCell(pointFigure(m, entry.latest), entry.latest),
        { text: targetWords(m, entry.target) },
        variationCell(entry.variationIcon),
        assuranceCell(entry.assuranceIcon, entry.target, m),
        { text: '', svg: { markup: renderSparkline({ ...sparklineInputFor(entry), width: 120, height: 32 }), width: 90, height: 24 } },
        staleCell(entry.latest?.periodEnd ?? null, pack.period, m.periodicity),
      ];
    });
    pdf.table(`${section.title}: each measure's latest figure, target, icons, recent points and how current its data is`, columns, rows);
  }
}

const CHART_WIDTH = 470;
const CHART_HEIGHT = (CHART_WIDTH * 400) / 760;

function measurePage(pdf: PackPdf, pack: BoardPack, page: PackMeasure): void {
  const doc = pdf.doc;
  const { entry } = page;
  const m = entry.measure;
  pdf.newPage();
  pdf.heading(m.name, 2, destination(m.code));
  doc.font(REGULAR).fontSize(9).fillColor(SECONDARY).text(pdfText(`${pack.orgUnit.name} · ${page.principleNames.join(', ') || 'No principle'}`), MARGIN, doc.y - 2);
  doc.moveDown(0.4);

  const top = doc.y;
  const input = { ...chartInputFor(m, entry.series, pack.orgUnit.name, { phases: page.phases, markers: page.markers, id: `spc-${m.code}` }), title: m.name };
  drawSvg(doc, renderSpcChart(input), MARGIN, top, CHART_WIDTH, CHART_HEIGHT);

  const factsX = MARGIN + CHART_WIDTH + 20;
  const factsWidth = CONTENT_WIDTH - CHART_WIDTH - 20;
  doc.y = top + 4;
  const latest = pointFigure(m, entry.latest);
  const latestLabel = `Latest${entry.latest ? ` (${periodWords(entry.latest)})` : ''}`;
  if (latest.kind === 'SUPPRESSED') {
    pdf.fact(latestLabel, '*', factsX, factsWidth, { size: 11 });
    doc.font(REGULAR).fontSize(8.5).fillColor(SECONDARY).text(pdfText(entry.note ?? latest.reason), factsX, doc.y, { width: factsWidth });
    doc.moveDown(0.4);
  } else {
    pdf.fact(latestLabel, latest.kind === 'VALUE' ? figureWords(m, latest.value) : 'No data', factsX, factsWidth, { size: 11 });
  }
  pdf.fact('Target', targetWords(m, entry.target), factsX, factsWidth);
  for (const [label, icon] of [
    ['Variation', variationIcon(entry.variationIcon)],
    ['Assurance', assuranceIcon(entry.assuranceIcon, entry.target, m.improvementDirection)],
  ] as const) {
    const y = doc.y;
    pdf.badge(icon.spec, factsX + 8, y + 7, 7.5);
    doc.font(BOLD).fontSize(9.5).fillColor(TEXT).text(`${label}: `, factsX + 22, y + 2, { width: factsWidth - 22, continued: true });
    doc.font(REGULAR).text(pdfText(icon.words));
    doc.y = Math.max(doc.y, y + 16) + 3;
  }
  const ytd = entry.series.yearToDate;
  const ytdFigure = pointFigure(m, ytd);
  pdf.fact(
    `Financial year to date (${ytd.label})`,
    ytdFigure.kind === 'VALUE' ? figureWords(m, ytdFigure.value) : ytdFigure.kind === 'SUPPRESSED' ? `* ${ytdFigure.reason}` : 'No data',
    factsX,
    factsWidth,
  );
  const stale = staleness(entry.latest?.periodEnd ?? null, pack.period, m.periodicity);
  pdf.fact('Data', stale.stale ? `! ${stale.words}` : stale.words, factsX, factsWidth, { valueColour: stale.stale ? LATE : TEXT });
  const equality = disparityWords(m.stratifiers, entry.disparities);
  if (equality !== null) pdf.fact('Equality', equality, factsX, factsWidth);
  pdf.fact('Owner', page.owner ?? 'No owner recorded', factsX, factsWidth);
  pdf.fact('Workstreams', page.workstreamNames.join(', ') || 'None', factsX, factsWidth);
  pdf.fact('Data source', dataSourceWords(m), factsX, factsWidth, { size: 8 });
  pdf.fact('Disclosure rule', m.disclosure.summary, factsX, factsWidth, { size: 8 });

  doc.y = Math.max(doc.y, top + CHART_HEIGHT) + 6;
  doc.x = MARGIN;
  pdf.paragraph(`What the chart shows: ${describeSpcChart(input)}`, { size: 8, colour: SECONDARY });
  if (entry.commentary) {
    pdf.paragraph(`Commentary (${entry.commentary.author}, ${dateWords(entry.commentary.createdAt)}): ${entry.commentary.text}`, { size: 9 });
  } else {
    pdf.paragraph(`No commentary for ${entry.latest ? periodWords(entry.latest) : 'this period'}.`, { size: 9, colour: SECONDARY });
  }

  const rows = page.drillDown.rows;
  if (rows.length === 0) {
    pdf.paragraph(`${pack.orgUnit.name} has no units below it.`, { size: 9 });
    return;
  }
  const columns: Column[] = [
    { header: 'Rank', width: 36, align: 'right' },
    { header: 'Unit', width: 170 },
    { header: 'Latest', width: 200 },
    { header: 'Target', width: 70 },
    { header: 'Variation', width: 110 },
    { header: 'Assurance', width: 110 },
    { header: 'Data', width: 74 },
  ];
  pdf.table(
    `${m.name}: the units below ${pack.orgUnit.name}, best first`,
    columns,
    rows.map((r: DrillDownRow): Cell[] => [
      { text: r.rank === null ? '–' : String(r.rank) },
      { text: `${r.orgUnit.name} (${r.orgUnit.code})` },
      figureCell(pointFigure(m, r.latest), r.latest),
      { text: targetWords(m, r.target) },
      variationCell(r.variationIcon),
      assuranceCell(r.assuranceIcon, r.target, m),
      staleCell(r.latest?.periodEnd ?? null, pack.period, m.periodicity),
    ]),
  );
}

function exceptions(pdf: PackPdf, pack: BoardPack): void {
  pdf.newPage();
  pdf.heading('Exceptions', 2);
  pdf.paragraph(`Measures at ${pack.orgUnit.name} and the units directly below it whose latest point is special cause concern, or whose target will consistently be missed.`, {
    size: 9.5,
    colour: SECONDARY,
  });
  if (pack.exceptions.length === 0) {
    pdf.paragraph('No exceptions this period.');
    return;
  }
  pdf.table(
    `Exceptions as at ${periodMonthWords(pack.period)}`,
    [
      { header: 'Measure', width: 190 },
      { header: 'Unit', width: 160 },
      { header: 'Latest', width: 100 },
      { header: 'Variation', width: 110 },
      { header: 'Assurance', width: 110 },
      { header: 'Why it is here', width: 130 },
    ],
    pack.exceptions.map((x): Cell[] => [
      { text: x.measure.name, goTo: destination(x.measure.code) },
      { text: `${x.orgUnit.name} (${x.orgUnit.code})` },
      figureCell(pointFigure(x.measure, x.latest), x.latest),
      variationCell(x.variationIcon),
      assuranceCell(x.assuranceIcon, 1, x.measure),
      { text: exceptionReasonWords(x.reasons) },
    ]),
  );
}

function workstreams(pdf: PackPdf, pack: BoardPack): void {
  pdf.newPage();
  pdf.heading('Workstreams and milestones', 2);
  if (pack.workstreams.length === 0) pdf.paragraph(`No live workstream involves ${pack.orgUnit.name}.`);
  for (const w of pack.workstreams) {
    const ws = w.workstream;
    pdf.ensure(110);
    pdf.heading(ws.name, 3);
    const dates = [ws.startDate ? `from ${dateWords(ws.startDate)}` : '', ws.endDate ? `to ${dateWords(ws.endDate)}` : ''].filter(Boolean).join(' ');
    pdf.paragraph(`${statusWords(ws.status)}${dates ? ` ${dates}` : ''}. ${ws.description}`, { size: 9 });
    pdf.fact('Leads', w.leads.map((l) => `${l.name} (${leadRoleWords(l.role)})`).join('; ') || 'None recorded', MARGIN, CONTENT_WIDTH, { size: 9 });
    pdf.fact('Measures', w.measureNames.join('; ') || 'None', MARGIN, CONTENT_WIDTH, { size: 9 });
    pdf.doc.moveDown(0.3);
    if (w.milestones.length === 0) {
      pdf.paragraph('No milestones recorded.', { size: 9 });
      continue;
    }
    pdf.table(
      `${ws.name}: milestones`,
      [
        { header: 'Milestone', width: 400 },
        { header: 'Due', width: 110 },
        { header: 'Status', width: 110 },
        { header: 'Completed', width: 110 },
      ],
      w.milestones.map((m): Cell[] => [
        { text: m.title },
        { text: dateWords(m.dueDate) || 'Not set' },
        { text: statusWords(m.status), bold: m.status === 'MISSED', colour: m.status === 'MISSED' ? LATE : TEXT },
        { text: dateWords(m.completedOn) || '–' },
      ]),
    );
  }
}

function howToRead(pdf: PackPdf): void {
  pdf.newPage();
  pdf.heading('How to read this pack', 2);
  pdf.paragraph(
    'Each chart is a Making Data Count statistical process control (SPC) chart: the points are the monthly figures, the solid line their mean, the dashed grey lines the process limits within which the figures usually vary, and the red dash-dot line the target. A point coloured blue or orange is a real change (special cause), not ordinary variation; grey points are common cause. A break in the line with a "*" under it is a suppressed small number; a break without one is a month with no data.',
    { size: 10 },
  );
  legend(pdf);
}
