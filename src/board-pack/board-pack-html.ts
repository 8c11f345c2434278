/**
 * The board pack as one self-contained HTML page: inline SVG and CSS, no scripts, fonts or
 * other external assets, so it opens offline, can be mailed as one file, and prints on A4
 * landscape (a cover, the summary, the principles, then a page per measure).
 *
 * Pure: the page is a function of the BoardPack (the clock enters only as pack.generatedAt).
 * Every piece of user text is escaped. Figures come only from the pack's disclosure-controlled
 * series; a suppressed figure is written as "*" with its reason in words, never as a number.
 *
 * Accessibility (WCAG 2.2 AA): lang="en-GB"; a skip link and a contents list; headings in
 * order (h1 cover, h2 sections, h3 principles and measures, h4 parts of a measure); every
 * table has a caption and th with scope; icons always carry their words beside them; charts
 * are role="img" with their text alternative, which is also printed under each chart.
 */
import type { DrillDownRow, ExceptionEntry, MeasureSeries, ScorecardEntry } from '../board/board.type';
import type { Measure } from '../measures/measure.type';
import type { BoardPack, PackMeasure, PackSection, PackWorkstream } from './board-pack.model';
import { chartInputFor, sparklineInputFor } from './chart-input';
import { displayUnit, formatFigure, pointFigure, staleness, targetWords, type PointFigure } from './figures';
import { renderIconBadge, type IconSpec } from './mdc-icons';
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
import { escapeXml as e, formatNumber, xmlId } from './svg-text';

export function measureAnchor(code: string): string {
  return xmlId(`measure-${code}`);
}

/** The opening of a self-contained page (no external assets): doctype, language, title, its own styles, up to <body>. */
export function documentOpening(title: string, style: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
  ];
}

export function renderBoardPackHtml(pack: BoardPack): string {
  const title = `Board pack: ${pack.orgUnit.name}, ${periodMonthWords(pack.period)}`;
  return [
    ...documentOpening(title, STYLE),
    '<a class="skip-link" href="#summary">Skip to the summary</a>',
    cover(pack),
    '<main id="main">',
    summary(pack),
    principles(pack),
    measurePages(pack),
    exceptionsSection(pack),
    workstreamsSection(pack),
    howToRead(),
    '</main>',
    `<footer class="page-footer"><p>${e(`${pack.orgUnit.name} (${pack.orgUnit.code}) · ${periodMonthWords(pack.period)} · prepared ${timeWords(pack.generatedAt)} · relational-care-graph`)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Pieces shared by the sections

function iconCell(spec: IconSpec, words: string): string {
  return `<span class="icon">${renderIconBadge(spec)}<span class="icon-words">${e(words)}</span></span>`;
}

function variationCell(series: Pick<MeasureSeries, 'variationIcon'>): string {
  const icon = variationIcon(series.variationIcon);
  return iconCell(icon.spec, icon.words);
}

function assuranceCell(series: Pick<MeasureSeries, 'assuranceIcon' | 'target'>, measure: Measure): string {
  const icon = assuranceIcon(series.assuranceIcon, series.target, measure.improvementDirection);
  return iconCell(icon.spec, icon.words);
}

/** A figure cell: the value, "*" with the reason, or "No data"; `data-*` say which cell it is. */
function figureCell(figure: PointFigure, attributes: Record<string, string>, extra = ''): string {
  const data = Object.entries(attributes)
    .map(([name, value]) => ` data-${name}="${e(value)}"`)
    .join('');
  if (figure.kind === 'SUPPRESSED') {
    return `<td class="figure suppressed"${data}><span class="mark" aria-hidden="true">*</span><span class="visually-hidden">Suppressed.</span> <span class="reason">${e(figure.reason)}</span>${extra}</td>`;
  }
  if (figure.kind === 'MISSING') return `<td class="figure missing"${data}>${e(figure.text)}${extra}</td>`;
  return `<td class="figure"${data}><span class="value">${e(figure.text)}</span>${extra}</td>`;
}

function staleCell(latestEnd: string | null, period: string, periodicity: 'MONTH' | 'QUARTER'): string {
  const s = staleness(latestEnd, period, periodicity);
  return s.stale ? `<td class="stale late"><span aria-hidden="true">⚠ </span>${e(s.words)}</td>` : `<td class="stale current">${e(s.words)}</td>`;
}

function sparkline(entry: ScorecardEntry): string {
  return renderSparkline(sparklineInputFor(entry));
}

function measureLink(measure: Pick<Measure, 'code' | 'name'>): string {
  return `<a href="#${measureAnchor(measure.code)}">${e(measure.name)}</a>`;
}

function latestPeriodWords(point: { periodStart: string; periodEnd: string; label: string } | null): string {
  return point ? periodWords(point) : '';
}

// ---------------------------------------------------------------------------
// Cover

function cover(pack: BoardPack): string {
  const unit = pack.orgUnit;
  const contents: Array<[string, string]> = [
    ['summary', 'Summary: variation and assurance'],
    ['principles', 'Measures by principle'],
    ['measures', 'Measure pages'],
    ['exceptions', 'Exceptions'],
    ['workstreams', 'Workstreams and milestones'],
    ['how-to-read', 'How to read this pack'],
  ];
  return [
    '<header class="cover" id="cover">',
    '<p class="kicker">Relational Care Faculty · Making Data Count board pack</p>',
    `<h1>${e(unit.name)}</h1>`,
    '<dl class="cover-facts">',
    `<dt>Org unit</dt><dd>${e(`${unit.name} (${unit.code}), ${unitTypeWords(unit.type)}`)}</dd>`,
    `<dt>Period</dt><dd class="pack-period">${e(periodMonthWords(pack.period))}</dd>`,
    `<dt>Data updated to</dt><dd class="updated-to">${e(periodMonthWords(pack.updatedTo))}</dd>`,
    `<dt>Measures</dt><dd>${pack.measures.length}</dd>`,
    `<dt>Prepared</dt><dd>${e(`${timeWords(pack.generatedAt)}, for ${pack.reader.role}`)}</dd>`,
    '</dl>',
    `<p class="disclosure ${pack.reader.trueFigures ? 'true-figures' : 'controlled'}"><strong>${pack.reader.trueFigures ? 'True figures.' : 'Disclosure control.'}</strong> ${e(pack.reader.disclosureWords)}</p>`,
    '<nav class="contents" aria-labelledby="contents-heading">',
    '<h2 id="contents-heading">Contents</h2>',
    '<ol>',
    ...contents.map(([id, text]) => `<li><a href="#${id}">${e(text)}</a></li>`),
    '</ol>',
    '</nav>',
    '</header>',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// The Making Data Count summary matrix

function legendLine(): string {
  return [
    '<ul class="legend-line" aria-label="What the icons mean">',
    ...ICON_MEANINGS.map((m) => `<li>${renderIconBadge(m.spec, 20)}<span>${e(m.meaning)}</span></li>`),
    `<li><span class="mark" aria-hidden="true">*</span><span>${e(SUPPRESSION_MEANING.replace(/^\* : /, ''))}</span></li>`,
    '</ul>',
  ].join('\n');
}

function summary(pack: BoardPack): string {
  const cell = (row: (typeof VARIATION_ROWS)[number], column: (typeof ASSURANCE_COLUMNS)[number]) => {
    const measures = pack.measures.filter((m) => row.icons.includes(m.entry.variationIcon) && m.entry.assuranceIcon === column.icon);
    if (measures.length === 0) return `<td class="matrix-cell empty"><span class="visually-hidden">None</span></td>`;
    return `<td class="matrix-cell"><ul>${measures.map((m) => `<li>${measureLink(m.entry.measure)}</li>`).join('')}</ul></td>`;
  };
  return [
    '<section id="summary" class="pack-section" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary: variation and assurance</h2>',
    `<p>Each measure of ${e(pack.orgUnit.name)} as at ${e(periodMonthWords(pack.period))}, placed by what its latest point says (variation, the rows) and whether it will meet its target (assurance, the columns). Select a measure to go to its page.</p>`,
    legendLine(),
    '<table class="matrix">',
    '<caption>Summary matrix: variation (rows) by assurance (columns)</caption>',
    '<thead><tr><th scope="col" class="corner">Variation \\ Assurance</th>',
    ...ASSURANCE_COLUMNS.map((column) => `<th scope="col">${iconCell(assuranceIcon(column.icon, column.icon === null ? null : 1, 'INCREASE').spec, column.heading)}</th>`),
    '</tr></thead>',
    '<tbody>',
    ...VARIATION_ROWS.map((row) => `<tr><th scope="row">${iconCell(variationIcon(row.example).spec, row.heading)}</th>${ASSURANCE_COLUMNS.map((column) => cell(row, column)).join('')}</tr>`),
    '</tbody>',
    '</table>',
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Per principle: a table of its measures

function principles(pack: BoardPack): string {
  return [
    '<section id="principles" class="pack-section" aria-labelledby="principles-heading">',
    '<h2 id="principles-heading">Measures by principle</h2>',
    ...pack.sections.map((section) => principleTable(pack, section)),
    '</section>',
  ].join('\n');
}

function principleTable(pack: BoardPack, section: PackSection): string {
  const id = xmlId(`principle-${section.principle?.key ?? 'other'}`);
  const rows = section.entries.map((entry) => {
    const m = entry.measure;
    const figure = pointFigure(m, entry.latest);
    const when = entry.latest ? `<span class="when">${e(latestPeriodWords(entry.latest))}</span>` : '';
    return [
      '<tr>',
      `<th scope="row">${measureLink(m)}</th>`,
      figureCell(figure, { measure: m.code, unit: pack.orgUnit.code, column: 'latest' }, when),
      `<td class="target">${e(targetWords(m, entry.target))}</td>`,
      `<td>${variationCell(entry)}</td>`,
      `<td>${assuranceCell(entry.series, m)}</td>`,
      `<td class="spark">${sparkline(entry)}</td>`,
      staleCell(entry.latest?.periodEnd ?? null, pack.period, m.periodicity),
      '</tr>',
    ].join('');
  });
  return [
    `<h3 id="${id}">${e(section.title)}</h3>`,
    section.principle ? `<p class="principle-summary">${e(section.principle.summary)}</p>` : '',
    section.entries.length === 0
      ? '<p>No live measure evidences this principle yet.</p>'
      : [
          '<table class="scorecard">',
          `<caption>${e(`${section.title}: each measure’s latest figure, target, icons, recent points and how current its data is`)}</caption>`,
          '<thead><tr><th scope="col">Measure</th><th scope="col">Latest</th><th scope="col">Target</th><th scope="col">Variation</th><th scope="col">Assurance</th><th scope="col">Last 12 points</th><th scope="col">Data</th></tr></thead>',
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>',
        ].join('\n'),
  ].join('\n');
}

// ---------------------------------------------------------------------------
// A page per measure

function measurePages(pack: BoardPack): string {
  return [
    '<section id="measures" class="pack-section" aria-labelledby="measures-heading">',
    '<h2 id="measures-heading">Measure pages</h2>',
    ...pack.measures.map((m) => measurePage(pack, m)),
    '</section>',
  ].join('\n');
}

function measurePage(pack: BoardPack, page: PackMeasure): string {
  const { entry } = page;
  const m = entry.measure;
  const anchor = measureAnchor(m.code);
  // The page's heading names the unit; the chart's own title is the measure, so it fits on one line.
  const input = { ...chartInputFor(m, entry.series, pack.orgUnit.name, { phases: page.phases, markers: page.markers, id: `spc-${m.code}` }), title: m.name };
  const latest = pointFigure(m, entry.latest);
  const ytd = entry.series.yearToDate;
  const ytdFigure = pointFigure(m, ytd);
  const variation = variationIcon(entry.variationIcon);
  const assurance = assuranceIcon(entry.assuranceIcon, entry.target, m.improvementDirection);
  const stale = staleness(entry.latest?.periodEnd ?? null, pack.period, m.periodicity);
  const equality = disparityWords(m.stratifiers, entry.disparities);

  const latestText =
    latest.kind === 'VALUE'
      ? `<span class="value">${e(formatFigureWords(m, latest.value))}</span>`
      : latest.kind === 'SUPPRESSED'
        ? `<span class="mark" aria-hidden="true">*</span><span class="visually-hidden">Suppressed.</span> <span class="reason">${e(entry.note ?? latest.reason)}</span>`
        : 'No data';
  const counts = latest.kind === 'VALUE' ? componentsWords(m, entry) : '';
  const ytdText =
    ytd.missing || ytdFigure.kind === 'MISSING'
      ? 'No data'
      : ytdFigure.kind === 'SUPPRESSED'
        ? `<span class="mark" aria-hidden="true">*</span><span class="visually-hidden">Suppressed.</span> <span class="reason">${e(ytdFigure.reason)}</span>`
        : e(formatFigureWords(m, ytdFigure.value));

  return [
    `<section class="measure" id="${anchor}" aria-labelledby="${anchor}-heading" data-measure="${e(m.code)}">`,
    `<h3 id="${anchor}-heading">${e(m.name)}</h3>`,
    '<div class="measure-top">',
    `<figure class="chart">${renderSpcChart(input)}</figure>`,
    '<div class="facts">',
    '<dl>',
    fact(`Latest${entry.latest ? ` (${latestPeriodWords(entry.latest)})` : ''}`, `${latestText}${counts}`, { class: 'latest', 'data-measure': m.code, 'data-unit': pack.orgUnit.code }),
    fact('Target', e(targetWords(m, entry.target))),
    fact('Variation', iconCell(variation.spec, variation.words)),
    fact('Assurance', iconCell(assurance.spec, assurance.words)),
    fact(`Financial year to date (${ytd.label})`, ytdText, { class: 'ytd' }),
    fact('Data', `${stale.stale ? '<span aria-hidden="true">⚠ </span>' : ''}${e(stale.words)}`, { class: stale.stale ? 'late' : 'current' }),
    ...(equality === null ? [] : [fact('Equality', e(equality), { class: entry.disparities.length > 0 ? 'disparity' : 'no-disparity' })]),
    '</dl>',
    '</div>',
    '</div>',
    '<div class="measure-notes">',
    `<p class="chart-words"><strong>What the chart shows:</strong> ${e(describeSpcChart(input))}</p>`,
    '<div class="notes-commentary">',
    `<h4 id="${anchor}-commentary">Commentary</h4>`,
    entry.commentary
      ? `<blockquote class="commentary"><p>${e(entry.commentary.text)}</p></blockquote><p class="commentary-author">${e(`${entry.commentary.author}, ${dateWords(entry.commentary.createdAt)} (for ${periodMonthWords(entry.commentary.periodStart.toISOString().slice(0, 10))})`)}</p>`
      : `<p class="no-commentary">No commentary for ${e(entry.latest ? latestPeriodWords(entry.latest) : 'this period')}.</p>`,
    '</div>',
    '<div class="notes-about">',
    `<h4 id="${anchor}-about">About this measure</h4>`,
    '<dl class="about">',
    `<dt>Owner</dt><dd>${e(page.owner ?? 'No owner recorded')}</dd>`,
    `<dt>Principles</dt><dd>${e(page.principleNames.join(', ') || 'None')}</dd>`,
    `<dt>Workstreams</dt><dd>${e(page.workstreamNames.join(', ') || 'None')}</dd>`,
    `<dt>Data source</dt><dd>${e(dataSourceWords(m))}</dd>`,
    `<dt>Disclosure rule</dt><dd>${e(m.disclosure.summary)}</dd>`,
    '</dl>',
    '</div>',
    '</div>',
    `<h4 id="${anchor}-drill-down">Units below ${e(pack.orgUnit.name)}</h4>`,
    drillDownTable(pack, page),
    '<p class="back"><a href="#summary">Back to the summary</a></p>',
    '</section>',
  ].join('\n');
}

/** One fact of a measure page: its label and its (already escaped) value, kept together. */
function fact(label: string, valueHtml: string, attributes: Record<string, string> = {}): string {
  const written = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${e(value)}"`)
    .join('');
  return `<div class="fact"><dt>${e(label)}</dt><dd${written}>${valueHtml}</dd></div>`;
}

function formatFigureWords(measure: Measure, value: number): string {
  const unit = displayUnit(measure);
  const figure = formatFigure(measure, value);
  return unit && unit !== '%' ? `${figure} ${unit}` : figure;
}

/** "(40 of 55 people)": the shown (possibly rounded) components, where the measure has them. */
function componentsWords(measure: Measure, entry: ScorecardEntry): string {
  const latest = entry.latest;
  if (!latest || latest.suppressed) return '';
  const num = latest.numerator;
  const den = latest.denominator;
  const labelled = (value: number, label: string | null) => `${formatNumber(value, Number.isInteger(value) ? 0 : 1)}${label ? ` ${label.toLowerCase()}` : ''}`;
  const parts = [num !== null && measure.scoringType !== 'COUNT' ? labelled(num, measure.numeratorLabel) : null, den !== null ? labelled(den, measure.denominatorLabel) : null].filter(
    (p): p is string => p !== null,
  );
  return parts.length > 0 ? `<span class="components">${e(parts.join('; '))}</span>` : '';
}

function drillDownTable(pack: BoardPack, page: PackMeasure): string {
  const m = page.entry.measure;
  const rows = page.drillDown.rows;
  if (rows.length === 0) return `<p>${e(pack.orgUnit.name)} has no units below it.</p>`;
  const row = (r: DrillDownRow) =>
    [
      '<tr>',
      `<td class="rank">${r.rank ?? '–'}</td>`,
      `<th scope="row">${e(`${r.orgUnit.name} (${r.orgUnit.code})`)}</th>`,
      figureCell(pointFigure(m, r.latest), { measure: m.code, unit: r.orgUnit.code, column: 'drill-down' }, r.latest ? `<span class="when">${e(latestPeriodWords(r.latest))}</span>` : ''),
      `<td class="target">${e(targetWords(m, r.target))}</td>`,
      `<td>${variationCell(r)}</td>`,
      `<td>${assuranceCell({ assuranceIcon: r.assuranceIcon, target: r.target }, m)}</td>`,
      staleCell(r.latest?.periodEnd ?? null, pack.period, m.periodicity),
      '</tr>',
    ].join('');
  return [
    '<table class="drill-down">',
    `<caption>${e(`${m.name}: the units below ${pack.orgUnit.name}, best first (rank 1 is best; no rank without a figure or a direction)`)}</caption>`,
    '<thead><tr><th scope="col">Rank</th><th scope="col">Unit</th><th scope="col">Latest</th><th scope="col">Target</th><th scope="col">Variation</th><th scope="col">Assurance</th><th scope="col">Data</th></tr></thead>',
    `<tbody>${rows.map(row).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Exceptions, workstreams, how to read

function exceptionsSection(pack: BoardPack): string {
  const row = (x: ExceptionEntry) =>
    [
      '<tr>',
      `<th scope="row">${measureLink(x.measure)}</th>`,
      `<td>${e(`${x.orgUnit.name} (${x.orgUnit.code})`)}</td>`,
      figureCell(pointFigure(x.measure, x.latest), { measure: x.measure.code, unit: x.orgUnit.code, column: 'exception' }, x.latest ? `<span class="when">${e(latestPeriodWords(x.latest))}</span>` : ''),
      `<td>${variationCell(x)}</td>`,
      `<td>${iconCell(assuranceIcon(x.assuranceIcon, 1, x.measure.improvementDirection).spec, assuranceIcon(x.assuranceIcon, 1, x.measure.improvementDirection).words)}</td>`,
      `<td>${e(exceptionReasonWords(x.reasons))}</td>`,
      '</tr>',
    ].join('');
  return [
    '<section id="exceptions" class="pack-section" aria-labelledby="exceptions-heading">',
    '<h2 id="exceptions-heading">Exceptions</h2>',
    `<p>Measures at ${e(pack.orgUnit.name)} and the units directly below it whose latest point is special cause concern, or whose target will consistently be missed.</p>`,
    pack.exceptions.length === 0
      ? '<p class="no-exceptions">No exceptions this period.</p>'
      : [
          '<table class="exceptions">',
          `<caption>${e(`Exceptions as at ${periodMonthWords(pack.period)}`)}</caption>`,
          '<thead><tr><th scope="col">Measure</th><th scope="col">Unit</th><th scope="col">Latest</th><th scope="col">Variation</th><th scope="col">Assurance</th><th scope="col">Why it is here</th></tr></thead>',
          `<tbody>${pack.exceptions.map(row).join('\n')}</tbody>`,
          '</table>',
        ].join('\n'),
    '</section>',
  ].join('\n');
}

function workstreamsSection(pack: BoardPack): string {
  return [
    '<section id="workstreams" class="pack-section" aria-labelledby="workstreams-heading">',
    '<h2 id="workstreams-heading">Workstreams and milestones</h2>',
    pack.workstreams.length === 0 ? `<p>No live workstream involves ${e(pack.orgUnit.name)}.</p>` : '',
    ...pack.workstreams.map(workstreamBlock),
    '</section>',
  ].join('\n');
}

function workstreamBlock(w: PackWorkstream): string {
  const ws = w.workstream;
  const id = xmlId(`workstream-${ws.code}`);
  const dates = [ws.startDate ? `from ${dateWords(ws.startDate)}` : '', ws.endDate ? `to ${dateWords(ws.endDate)}` : ''].filter(Boolean).join(' ');
  return [
    `<div class="workstream" id="${id}">`,
    `<h3 id="${id}-heading">${e(ws.name)}</h3>`,
    `<p class="workstream-status"><strong>${e(statusWords(ws.status))}</strong>${dates ? ` ${e(dates)}` : ''}. ${e(ws.description)}</p>`,
    '<dl>',
    `<dt>Leads</dt><dd>${e(w.leads.map((l) => `${l.name} (${leadRoleWords(l.role)})`).join('; ') || 'None recorded')}</dd>`,
    `<dt>Measures</dt><dd>${e(w.measureNames.join('; ') || 'None')}</dd>`,
    '</dl>',
    w.milestones.length === 0
      ? '<p>No milestones recorded.</p>'
      : [
          '<table class="milestones">',
          `<caption>${e(`${ws.name}: milestones`)}</caption>`,
          '<thead><tr><th scope="col">Milestone</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Completed</th></tr></thead>',
          '<tbody>',
          ...w.milestones.map(
            (m) =>
              `<tr><th scope="row">${e(m.title)}</th><td>${e(dateWords(m.dueDate) || 'Not set')}</td><td class="status status-${e(m.status.toLowerCase())}">${e(statusWords(m.status))}</td><td>${e(dateWords(m.completedOn) || '–')}</td></tr>`,
          ),
          '</tbody>',
          '</table>',
        ].join('\n'),
    '</div>',
  ].join('\n');
}

function howToRead(): string {
  return [
    '<section id="how-to-read" class="pack-section" aria-labelledby="how-to-read-heading">',
    '<h2 id="how-to-read-heading">How to read this pack</h2>',
    '<p>Each chart is a Making Data Count statistical process control (SPC) chart: the points are the monthly figures, the solid line their mean, the dashed grey lines the process limits within which the figures usually vary, and the red dash-dot line the target. A point coloured blue or orange is a real change (special cause), not ordinary variation; grey points are common cause. A break in the line with a “*” under it is a suppressed small number; a break without one is a month with no data.</p>',
    legendLine(),
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------

const STYLE = `
:root { --text: #212B32; --secondary: #425563; --link: #005EB8; --border: #D8DDE0; --pale: #F0F4F5; --late: #8A1538; --focus: #FFEB3B; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.45; color: var(--text); background: #FFFFFF; }
.cover, main, .page-footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
h1 { font-size: 2.4rem; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.7rem; margin: 1.6em 0 0.5em; }
h3 { font-size: 1.3rem; margin: 1.4em 0 0.4em; }
h4 { font-size: 1.05rem; margin: 1.2em 0 0.3em; }
a { color: var(--link); }
a:visited { color: #330072; }
a:hover { color: #7C2855; }
a:focus { outline: 3px solid transparent; background: var(--focus); color: var(--text); box-shadow: 0 -2px var(--focus), 0 4px var(--text); text-decoration: none; }
.skip-link { position: absolute; left: -10000px; top: 0; padding: 8px 16px; background: var(--focus); color: var(--text); font-weight: bold; z-index: 10; }
.skip-link:focus { left: 16px; top: 16px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.cover { padding-top: 32px; padding-bottom: 16px; border-bottom: 6px solid var(--link); }
.kicker { margin: 0; color: var(--secondary); font-weight: bold; text-transform: uppercase; letter-spacing: 0.04em; font-size: 0.9rem; }
.cover-facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 24px; font-size: 1.1rem; }
.cover-facts dt { font-weight: bold; }
.cover-facts dd { margin: 0; }
.disclosure { padding: 12px 16px; border-left: 8px solid var(--link); background: var(--pale); max-width: 60em; }
.disclosure.true-figures { border-left-color: var(--late); }
.contents ol { columns: 2; max-width: 40em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 24px; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; padding: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--border); padding: 6px 8px; text-align: left; vertical-align: middle; }
thead th { border-bottom: 2px solid var(--text); vertical-align: bottom; }
tbody th { font-weight: normal; }
tbody th a { font-weight: bold; }
.icon { display: inline-flex; align-items: center; gap: 6px; }
.icon svg, .legend-line svg { flex: none; }
.figure .value { font-weight: bold; font-size: 1.05rem; }
.figure .when, .components, .reason { display: block; font-size: 0.85rem; color: var(--secondary); }
.mark { font-weight: bold; font-size: 1.3rem; line-height: 1; }
.late { color: var(--late); font-weight: bold; }
.legend-line { list-style: none; padding: 0; margin: 8px 0 16px; display: flex; flex-wrap: wrap; gap: 6px 20px; font-size: 0.9rem; }
.legend-line li { display: flex; align-items: center; gap: 6px; max-width: 36em; }
.matrix th, .matrix td { border: 1px solid var(--border); vertical-align: top; width: 20%; }
.matrix thead th { background: var(--pale); }
.matrix tbody th { background: var(--pale); }
.matrix ul { margin: 0; padding: 0; list-style: none; }
.matrix li + li { margin-top: 6px; }
.matrix a { display: block; padding: 3px 0; }
.contents a, .back a { display: inline-block; padding: 3px 0; }
.matrix .corner { font-weight: bold; }
.spark svg { display: block; }
.measure { border-top: 4px solid var(--link); margin-top: 40px; }
.measure-top { display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-start; }
figure.chart { margin: 0; flex: 1 1 620px; max-width: 780px; }
figure.chart svg { width: 100%; height: auto; display: block; }
.facts { flex: 1 1 280px; }
.facts dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(14em, 1fr)); gap: 12px 20px; margin: 0; }
.fact dt { font-weight: bold; font-size: 0.9rem; color: var(--secondary); }
.fact dd { margin: 2px 0 0; }
.fact dd .value { font-weight: bold; font-size: 1.4rem; }
.about { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
.about dt { font-weight: bold; }
.about dd { margin: 0; }
.chart-words { max-width: 62em; color: var(--secondary); }
.commentary { margin: 0; padding: 8px 16px; border-left: 6px solid var(--secondary); background: var(--pale); max-width: 62em; }
.commentary p { margin: 0; }
.commentary-author { margin-top: 4px; font-style: italic; }
.workstream { border-top: 1px solid var(--border); }
.page-footer { border-top: 1px solid var(--border); margin-top: 40px; color: var(--secondary); font-size: 0.9rem; }
@media print {
  @page { size: A4 landscape; margin: 10mm 12mm; }
  body { font-size: 10pt; }
  .cover, main, .page-footer { max-width: none; padding: 0; }
  .skip-link, .back { display: none; }
  a { color: inherit; text-decoration: none; }
  .cover { break-after: page; border-bottom: none; }
  .pack-section { break-before: page; }
  .pack-section h2 { margin-top: 0; }
  .measure { break-before: page; border-top: none; margin-top: 0; }
  #measures > h2 { display: none; }
  .facts { flex: 1 1 80mm; }
  table { font-size: 8.5pt; margin-bottom: 8px; }
  th, td { padding: 3px 6px; }
  thead { display: table-header-group; }
  tr, .legend-line li, figure.chart { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .chart-words { font-size: 8pt; margin: 4px 0; }
  .measure h3 { margin: 0 0 2mm; }
  .measure h4 { margin: 2mm 0 1mm; font-size: 10pt; }
  figure.chart { flex: 0 0 128mm; max-width: 128mm; }
  .measure-top { gap: 4mm 8mm; }
  .facts dl { grid-template-columns: 1fr 1fr; gap: 2mm 5mm; }
  .fact dt { font-size: 8pt; }
  .fact dd { font-size: 9pt; }
  .fact dd .value { font-size: 12pt; }
  .measure-notes { display: grid; grid-template-columns: 1.1fr 0.8fr 1.3fr; gap: 0 6mm; font-size: 8pt; line-height: 1.3; }
  .measure-notes .chart-words { margin-top: 2mm; }
  .drill-down th:nth-child(2) { width: 24%; }
  .measure-notes p { margin: 1mm 0; }
  .about { gap: 1mm 4mm; }
  .drill-down { font-size: 8pt; margin-bottom: 0; }
  .drill-down caption { padding: 0 0 1mm; }
  .drill-down td, .drill-down th { padding: 1mm 2mm; }
  .chart-words { line-height: 1.3; }
  .drill-down .mdc-badge { width: 16px; height: 16px; }
  .drill-down .figure .value { font-size: 9pt; }
  .drill-down .figure .when, .drill-down .figure .reason { display: inline; margin-left: 2mm; font-size: 7.5pt; }
  .matrix li + li { margin-top: 1mm; }
  .legend-line { font-size: 8pt; gap: 1mm 6mm; }
}
`.trim();
