/**
 * A Making Data Count SPC chart as a standalone SVG document: the points coloured by their
 * special-cause type, the mean and process limits per phase, the target, phase breaks,
 * milestones and commentary, suppressed points as marked gaps, and the variation and
 * assurance icons beside it. The <title> and <desc> say in words what the chart shows.
 *
 * Pure and deterministic: no I/O, no clock, no randomness; the same input gives the same
 * bytes, and every piece of user text is escaped. Inline attributes only (no <style>, fonts
 * or scripts), so the document also renders in PDF converters and image tools.
 */
import { buildChartModel, type ChartModel, type ChartPoint, type PlacedMarker, type PlacedPhase, type SpcChartInput } from './spc-chart-model';
import { describeModel } from './spc-chart-description';
import { assuranceAbsence, assuranceIconSpec, FONT_FAMILY, ICON_BLOCK_HEIGHT, MDC_COLOURS, pointStyle, POINT_STYLES, renderIcon, UNTYPED_POINT_STYLE, variationIconSpec } from './mdc-icons';
import { coordinate as c, decimalsOf, escapeXml, formatNumber, monthWords, shortHash, truncate, wrapWords, xmlId } from './svg-text';

export type { SpcChartInput, SpcChartMarker, SpcChartPhase, MarkerKind, PhaseKind } from './spc-chart-model';
export { describeSpcChart } from './spc-chart-description';

export const DEFAULT_WIDTH = 760;
export const DEFAULT_HEIGHT = 400;
/** Below this the icons and the legend no longer fit beside and under the plot. */
export const MINIMUM_WIDTH = 480;
export const MINIMUM_HEIGHT = 300;

const ICON_PANEL_WIDTH = 120;
const MARGIN_LEFT = 68;
const LEGEND_ROW_HEIGHT = 16;
const X_LABEL_SPACE = 30;
/** Average glyph widths of Arial at 10 and 11 px, for estimating text lengths without font metrics. */
const CHAR_WIDTH_10 = 5.4;
const CHAR_WIDTH_11 = 6;

export const LIMIT_DASH = '6 4';
export const TARGET_DASH = '10 4 2 4';
const PHASE_DASH = '3 3';

export function renderSpcChart(input: SpcChartInput): string {
  const width = dimension('width', input.width ?? DEFAULT_WIDTH, MINIMUM_WIDTH);
  const height = dimension('height', input.height ?? DEFAULT_HEIGHT, MINIMUM_HEIGHT);
  const model = buildChartModel(input);
  const id = xmlId(input.id ?? `spc-${shortHash(input.title)}`);
  const layout = layOut(input, model, width, height);
  const value = (v: number) => formatNumber(v, model.valueDecimals);

  const body = [
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>`,
    heading(layout),
    yAxis(input, layout),
    xAxis(model, layout),
    phaseBreaks(model.phases, layout),
    processLines(model, layout),
    targetLine(input, layout),
    dataLines(model, layout),
    points(model, layout, value),
    suppressedMarks(model, layout),
    markers(model.markers, layout),
    // Labels last, on a white ground, so no point or line hides them.
    phaseLabels(model.phases, layout),
    targetLabel(input, layout, value),
    icons(input, layout),
    legend(layout),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT_FAMILY}">`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(describeModel(input, model))}</desc>`,
    ...body.filter((part) => part !== ''),
    '</svg>',
    '',
  ].join('\n');
}

function dimension(name: string, value: number, minimum: number): number {
  if (!Number.isFinite(value) || value < minimum) throw new RangeError(`SPC chart ${name} must be a number of at least ${minimum} pixels, got ${value}.`);
  return Math.round(value);
}

// ---------------------------------------------------------------------------
// Layout: where everything goes, decided once

interface LegendItem {
  kind: 'LINE' | 'POINT' | 'SUPPRESSED' | 'MILESTONE' | 'COMMENTARY';
  label: string;
  colour: string;
  dash?: string;
  className: string;
}

interface Layout {
  width: number;
  height: number;
  titleLines: string[];
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  /** the width of one period's slot; point i sits in the middle of slot i */
  slot: number;
  yMin: number;
  yMax: number;
  yStep: number;
  legendRows: LegendItem[][];
}

function layOut(input: SpcChartInput, model: ChartModel, width: number, height: number): Layout {
  const titleLines = wrapWords(input.title, Math.floor((width - 24) / 8.2), 2);
  const titleBottom = 22 + Math.max(0, titleLines.length - 1) * 19 + 6;
  const plotTop = titleBottom + (model.markers.length > 0 ? 20 : 8);
  const plotLeft = MARGIN_LEFT;
  const plotRight = width - ICON_PANEL_WIDTH - 16;
  // The legend may run under the icons where they end above it; otherwise it keeps under the plot.
  const items = legendItems(input, model);
  const iconsBottom = plotTop + 2 * ICON_BLOCK_HEIGHT + 12;
  const plotBottomFor = (rows: LegendItem[][]) => height - 8 - rows.length * LEGEND_ROW_HEIGHT - X_LABEL_SPACE;
  let legendRows = flowLegend(items, width - plotLeft - 12);
  if (plotBottomFor(legendRows) + X_LABEL_SPACE - 4 < iconsBottom) legendRows = flowLegend(items, plotRight - plotLeft);
  const plotBottom = plotBottomFor(legendRows);
  const { yMin, yMax, yStep } = yScale(input, model);
  return {
    width,
    height,
    titleLines,
    plotLeft,
    plotRight,
    plotTop,
    plotBottom,
    slot: (plotRight - plotLeft) / Math.max(1, model.points.length),
    yMin,
    yMax,
    yStep,
    legendRows,
  };
}

function xAt(layout: Layout, index: number): number {
  return layout.plotLeft + (index + 0.5) * layout.slot;
}

/** The left edge of slot `index`: where a phase break goes, and where that phase's lines begin. */
function slotEdge(layout: Layout, index: number): number {
  return layout.plotLeft + index * layout.slot;
}

function yAt(layout: Layout, v: number): number {
  return layout.plotBottom - ((v - layout.yMin) / (layout.yMax - layout.yMin)) * (layout.plotBottom - layout.plotTop);
}

/** A rounded axis (steps of 1, 2, 2.5 or 5 × 10ⁿ) that holds every value, mean, limit and the target. */
function yScale(input: SpcChartInput, model: ChartModel): { yMin: number; yMax: number; yStep: number } {
  const figures = [
    input.target,
    ...model.points.flatMap((p) => [p.value, p.source.mean, p.source.upperProcessLimit, p.source.lowerProcessLimit]),
  ].filter((f): f is number => f !== null && Number.isFinite(f));
  if (figures.length === 0) return { yMin: 0, yMax: 1, yStep: 0.2 };
  let low = Math.min(...figures);
  let high = Math.max(...figures);
  // A little headroom so a point on the highest figure is not cut by the plot's edge.
  const pad = high - low > 0 ? (high - low) * 0.04 : Math.abs(low) * 0.1 || 1;
  const noneNegative = low >= 0;
  low -= pad;
  high += pad;
  if (noneNegative) low = Math.max(0, low);
  const yStep = niceStep((high - low) / 5);
  return { yMin: Math.floor(low / yStep) * yStep, yMax: Math.ceil(high / yStep) * yStep, yStep };
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

function legendItems(input: SpcChartInput, model: ChartModel): LegendItem[] {
  const items: LegendItem[] = [];
  const sources = model.points.map((p) => p.source);
  if (sources.some((p) => p.mean !== null)) items.push({ kind: 'LINE', label: 'Mean', colour: MDC_COLOURS.mean, className: 'mean' });
  if (sources.some((p) => p.upperProcessLimit !== null || p.lowerProcessLimit !== null)) {
    items.push({ kind: 'LINE', label: 'Process limits', colour: MDC_COLOURS.limit, dash: LIMIT_DASH, className: 'process-limits' });
  }
  if (input.target !== null) items.push({ kind: 'LINE', label: 'Target', colour: MDC_COLOURS.target, dash: TARGET_DASH, className: 'target' });
  const shown = model.points.filter((p) => p.status === 'VALUE');
  for (const style of [POINT_STYLES.SPECIAL_CAUSE_IMPROVEMENT, POINT_STYLES.SPECIAL_CAUSE_CONCERN, POINT_STYLES.SPECIAL_CAUSE_NEITHER, POINT_STYLES.COMMON_CAUSE, UNTYPED_POINT_STYLE]) {
    if (shown.some((p) => pointStyle(p.source.pointType) === style)) items.push({ kind: 'POINT', label: style.legend, colour: style.fill, className: style.className });
  }
  if (model.points.some((p) => p.status === 'SUPPRESSED')) items.push({ kind: 'SUPPRESSED', label: 'Suppressed (small numbers)', colour: MDC_COLOURS.secondaryText, className: 'suppressed' });
  if (model.markers.some((m) => m.kind === 'MILESTONE')) items.push({ kind: 'MILESTONE', label: 'Milestone', colour: MDC_COLOURS.milestone, className: 'milestone' });
  if (model.markers.some((m) => m.kind === 'COMMENTARY')) items.push({ kind: 'COMMENTARY', label: 'Commentary', colour: MDC_COLOURS.commentary, className: 'commentary' });
  return items;
}

function legendItemWidth(item: LegendItem): number {
  return 26 + item.label.length * CHAR_WIDTH_11 + 14;
}

function flowLegend(items: LegendItem[], available: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let used = 0;
  for (const item of items) {
    const itemWidth = legendItemWidth(item);
    if (rows.length === 0 || used + itemWidth > available) {
      rows.push([item]);
      used = itemWidth;
    } else {
      rows[rows.length - 1].push(item);
      used += itemWidth;
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Drawing

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${c(x)}" y="${c(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, attributes: string): string {
  return `<line x1="${c(x1)}" y1="${c(y1)}" x2="${c(x2)}" y2="${c(y2)}" ${attributes}/>`;
}

function heading(layout: Layout): string {
  return layout.titleLines
    .map((titleLine, i) => text(12, 22 + i * 19, titleLine, `class="chart-title" font-size="15" font-weight="bold" fill="${MDC_COLOURS.text}"`))
    .join('\n');
}

function yAxis(input: SpcChartInput, layout: Layout): string {
  const parts = ['<g class="y-axis">'];
  const decimals = decimalsOf(layout.yStep);
  const steps = Math.round((layout.yMax - layout.yMin) / layout.yStep);
  for (let k = 0; k <= steps; k += 1) {
    // A multiple of the step, rounded, so 0.1 + 0.2 never prints as 0.30000000000000004.
    const tick = Number(((Math.round(layout.yMin / layout.yStep) + k) * layout.yStep).toFixed(decimals + 2));
    const y = yAt(layout, tick);
    parts.push(line(layout.plotLeft, y, layout.plotRight, y, `stroke="${MDC_COLOURS.grid}" stroke-width="1"`));
    parts.push(text(layout.plotLeft - 6, y + 3.5, formatNumber(tick, decimals, true), `text-anchor="end" font-size="10" fill="${MDC_COLOURS.secondaryText}"`));
  }
  parts.push(line(layout.plotLeft, layout.plotTop, layout.plotLeft, layout.plotBottom, `stroke="${MDC_COLOURS.axis}" stroke-width="1"`));
  if (input.unitLabel) {
    const middle = (layout.plotTop + layout.plotBottom) / 2;
    const unit = truncate(input.unitLabel, Math.max(8, Math.floor((layout.plotBottom - layout.plotTop) / CHAR_WIDTH_11)));
    parts.push(text(16, middle, unit, `class="unit-label" text-anchor="middle" font-size="11" fill="${MDC_COLOURS.secondaryText}" transform="rotate(-90 16 ${c(middle)})"`));
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** Labels every few periods, always including the latest, so the reader can place the newest point. */
function xAxis(model: ChartModel, layout: Layout): string {
  const parts = ['<g class="x-axis">', line(layout.plotLeft, layout.plotBottom, layout.plotRight, layout.plotBottom, `stroke="${MDC_COLOURS.axis}" stroke-width="1"`)];
  const count = model.points.length;
  const widest = Math.max(0, ...model.points.map((p) => p.source.label.length)) * CHAR_WIDTH_10 + 10;
  const every = Math.max(1, Math.ceil(count / Math.max(1, Math.floor((layout.plotRight - layout.plotLeft) / widest))));
  for (const point of model.points) {
    if ((count - 1 - point.index) % every !== 0) continue;
    const x = xAt(layout, point.index);
    parts.push(line(x, layout.plotBottom, x, layout.plotBottom + 4, `stroke="${MDC_COLOURS.axis}" stroke-width="1"`));
    parts.push(text(x, layout.plotBottom + 16, point.source.label, `text-anchor="middle" font-size="10" fill="${MDC_COLOURS.secondaryText}"`));
  }
  parts.push('</g>');
  return parts.join('\n');
}

function phaseBreaks(phases: readonly PlacedPhase[], layout: Layout): string {
  return phases
    .filter((phase) => phase.index > 0)
    .map((phase) => {
      const x = slotEdge(layout, phase.index);
      return line(x, layout.plotTop, x, layout.plotBottom, `class="phase-break" stroke="${MDC_COLOURS.phase}" stroke-width="1.5" stroke-dasharray="${PHASE_DASH}"`);
    })
    .join('\n');
}

/** The text of each phase on top of everything else, on a white ground so the points under it do not hide it. */
function phaseLabels(phases: readonly PlacedPhase[], layout: Layout): string {
  return phases
    .map((phase, order) => {
      const x = slotEdge(layout, phase.index) + 3;
      const next = phases[order + 1];
      const room = (next ? slotEdge(layout, next.index) : layout.plotRight) - x - 4;
      const whole = `${phase.kind === 'BASELINE' ? 'Baseline' : 'Recalculated'}: ${phase.reason}`;
      const shown = truncate(whole.replace(/\s+/g, ' '), Math.max(12, Math.floor(room / CHAR_WIDTH_10)));
      // Alternate rows, so two breaks close together do not write over each other.
      const y = layout.plotTop + 12 + (order % 2) * 14;
      return [
        `<g class="phase-label">`,
        `<title>${escapeXml(`${phase.kind === 'BASELINE' ? 'Baseline from' : 'Limits recalculated from'} ${monthWords(phase.start)}: ${phase.reason}`)}</title>`,
        `<rect x="${c(x - 1)}" y="${c(y - 9)}" width="${c(shown.length * CHAR_WIDTH_10 + 4)}" height="12" fill="#FFFFFF" fill-opacity="0.85"/>`,
        text(x + 1, y, shown, `font-size="10" fill="${MDC_COLOURS.phase}"`),
        '</g>',
      ].join('\n');
    })
    .join('\n');
}

/**
 * The mean and limits as level segments, one per run of points that share them: they step
 * where a phase starts or the limits otherwise change, and a period without a mean has none.
 */
function processLines(model: ChartModel, layout: Layout): string {
  const phaseStarts = new Set(model.phases.map((phase) => phase.index));
  const segments: { first: number; last: number; mean: number | null; upper: number | null; lower: number | null }[] = [];
  for (const { index, source } of model.points) {
    const current = segments[segments.length - 1];
    const same = current && !phaseStarts.has(index) && current.mean === source.mean && current.upper === source.upperProcessLimit && current.lower === source.lowerProcessLimit;
    if (same) current.last = index;
    else segments.push({ first: index, last: index, mean: source.mean, upper: source.upperProcessLimit, lower: source.lowerProcessLimit });
  }
  const parts: string[] = [];
  for (const segment of segments) {
    const x1 = slotEdge(layout, segment.first);
    const x2 = slotEdge(layout, segment.last + 1);
    if (segment.upper !== null) parts.push(line(x1, yAt(layout, segment.upper), x2, yAt(layout, segment.upper), `class="upper-process-limit" stroke="${MDC_COLOURS.limit}" stroke-width="1.2" stroke-dasharray="${LIMIT_DASH}"`));
    if (segment.lower !== null) parts.push(line(x1, yAt(layout, segment.lower), x2, yAt(layout, segment.lower), `class="lower-process-limit" stroke="${MDC_COLOURS.limit}" stroke-width="1.2" stroke-dasharray="${LIMIT_DASH}"`));
    if (segment.mean !== null) parts.push(line(x1, yAt(layout, segment.mean), x2, yAt(layout, segment.mean), `class="mean" stroke="${MDC_COLOURS.mean}" stroke-width="1.5"`));
  }
  return parts.join('\n');
}

function targetLine(input: SpcChartInput, layout: Layout): string {
  if (input.target === null || !Number.isFinite(input.target)) return '';
  const y = yAt(layout, input.target);
  return line(layout.plotLeft, y, layout.plotRight, y, `class="target-line" stroke="${MDC_COLOURS.target}" stroke-width="1.5" stroke-dasharray="${TARGET_DASH}"`);
}

function targetLabel(input: SpcChartInput, layout: Layout, value: (v: number) => string): string {
  if (input.target === null || !Number.isFinite(input.target)) return '';
  const y = yAt(layout, input.target);
  const label = `Target ${value(input.target)}${input.unitLabel === '%' ? '%' : ''}`;
  // Above the line, unless that would run into the top of the plot.
  const labelY = y - 5 < layout.plotTop + 10 ? y + 13 : y - 5;
  const labelWidth = label.length * CHAR_WIDTH_11 + 6;
  return [
    '<g class="target">',
    `<rect x="${c(layout.plotRight - labelWidth - 2)}" y="${c(labelY - 10)}" width="${c(labelWidth)}" height="13" fill="#FFFFFF" fill-opacity="0.85"/>`,
    text(layout.plotRight - 4, labelY, label, `class="target-label" text-anchor="end" font-size="11" font-weight="bold" fill="${MDC_COLOURS.target}"`),
    '</g>',
  ].join('\n');
}

/** One polyline per run of consecutive points with values: a suppressed or missing period is a gap. */
function dataLines(model: ChartModel, layout: Layout): string {
  const runs: ChartPoint[][] = [];
  let run: ChartPoint[] = [];
  for (const point of model.points) {
    if (point.status === 'VALUE') run.push(point);
    else {
      runs.push(run);
      run = [];
    }
  }
  runs.push(run);
  return runs
    .filter((r) => r.length >= 2)
    .map((r) => {
      const coordinates = r.map((p) => `${c(xAt(layout, p.index))},${c(yAt(layout, p.value as number))}`).join(' ');
      return `<polyline class="data-line" points="${coordinates}" fill="none" stroke="${MDC_COLOURS.dataLine}" stroke-width="1.5" stroke-linejoin="round"/>`;
    })
    .join('\n');
}

function pointRadius(count: number): number {
  if (count <= 36) return 4;
  return count <= 72 ? 3 : 2;
}

function points(model: ChartModel, layout: Layout, value: (v: number) => string): string {
  const radius = pointRadius(model.points.length);
  return model.points
    .filter((p) => p.status === 'VALUE')
    .map((p) => {
      const style = pointStyle(p.source.pointType);
      const partial = p.source.monthsWithData < p.source.monthsExpected ? ` (${p.source.monthsWithData} of ${p.source.monthsExpected} months)` : '';
      const words = `${p.periodWords}: ${value(p.value as number)}, ${style.words}${partial}`;
      return `<circle class="point ${style.className}" cx="${c(xAt(layout, p.index))}" cy="${c(yAt(layout, p.value as number))}" r="${radius}" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1"><title>${escapeXml(words)}</title></circle>`;
    })
    .join('\n');
}

/** A "*" on the axis where a figure is suppressed: the gap is deliberate, unlike a period with no data. */
function suppressedMarks(model: ChartModel, layout: Layout): string {
  return model.points
    .filter((p) => p.status === 'SUPPRESSED')
    .map((p) =>
      [
        '<g class="suppressed-mark">',
        `<title>${escapeXml(`Suppressed: small number (${p.periodWords})`)}</title>`,
        text(xAt(layout, p.index), layout.plotBottom - 2, '*', `text-anchor="middle" font-size="16" font-weight="bold" fill="${MDC_COLOURS.secondaryText}"`),
        '</g>',
      ].join('\n'),
    )
    .join('\n');
}

/** Milestones (▼) and commentary (◆) in a row above the plot, side by side where several share a period. */
function markers(placed: readonly PlacedMarker[], layout: Layout): string {
  const perPoint = new Map<number, number>();
  for (const marker of placed) perPoint.set(marker.index, (perPoint.get(marker.index) ?? 0) + 1);
  return placed
    .map((marker) => {
      const atPoint = xAt(layout, marker.index);
      const x = atPoint + (marker.stackPosition - ((perPoint.get(marker.index) ?? 1) - 1) / 2) * 11;
      const top = layout.plotTop - 14;
      const shape =
        marker.kind === 'MILESTONE'
          ? `<polygon points="${c(x - 5)},${c(top)} ${c(x + 5)},${c(top)} ${c(x)},${c(top + 9)}" fill="${MDC_COLOURS.milestone}"/>`
          : `<polygon points="${c(x)},${c(top - 1)} ${c(x + 5)},${c(top + 4)} ${c(x)},${c(top + 9)} ${c(x - 5)},${c(top + 4)}" fill="${MDC_COLOURS.commentary}"/>`;
      return [
        `<g class="marker ${marker.kind === 'MILESTONE' ? 'milestone' : 'commentary'}">`,
        `<title>${escapeXml(`${marker.kind === 'MILESTONE' ? 'Milestone' : 'Commentary'}, ${monthWords(marker.period)}: ${marker.label}`)}</title>`,
        line(atPoint, layout.plotTop, atPoint, layout.plotBottom, `stroke="${MDC_COLOURS.axis}" stroke-width="1" stroke-dasharray="1 3"`),
        shape,
        '</g>',
      ].join('\n');
    })
    .join('\n');
}

function icons(input: SpcChartInput, layout: Layout): string {
  const cx = layout.width - ICON_PANEL_WIDTH / 2 - 6;
  const why = assuranceAbsence(input.target, input.improvementDirection);
  return [
    renderIcon(variationIconSpec(input.variationIcon), 'Variation', cx, layout.plotTop),
    renderIcon(assuranceIconSpec(input.assuranceIcon, why), 'Assurance', cx, layout.plotTop + ICON_BLOCK_HEIGHT + 12),
  ].join('\n');
}

function legend(layout: Layout): string {
  if (layout.legendRows.length === 0) return '';
  const parts = ['<g class="legend">'];
  layout.legendRows.forEach((row, r) => {
    const y = layout.plotBottom + X_LABEL_SPACE + 4 + r * LEGEND_ROW_HEIGHT;
    let x = layout.plotLeft;
    for (const item of row) {
      parts.push(`<g class="legend-item legend-${item.className}">`);
      parts.push(legendSwatch(item, x, y));
      parts.push(text(x + 26, y + 4, item.label, `font-size="11" fill="${MDC_COLOURS.text}"`));
      parts.push('</g>');
      x += legendItemWidth(item);
    }
  });
  parts.push('</g>');
  return parts.join('\n');
}

function legendSwatch(item: LegendItem, x: number, y: number): string {
  switch (item.kind) {
    case 'LINE':
      return line(x, y, x + 20, y, `stroke="${item.colour}" stroke-width="1.5"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}`);
    case 'POINT': {
      const style = Object.values(POINT_STYLES).find((s) => s.className === item.className) ?? UNTYPED_POINT_STYLE;
      return `<circle cx="${c(x + 10)}" cy="${c(y)}" r="4" fill="${style.fill}" stroke="${style.stroke}" stroke-width="1"/>`;
    }
    case 'SUPPRESSED':
      return text(x + 10, y + 7, '*', `text-anchor="middle" font-size="16" font-weight="bold" fill="${item.colour}"`);
    case 'MILESTONE':
      return `<polygon points="${c(x + 5)},${c(y - 4)} ${c(x + 15)},${c(y - 4)} ${c(x + 10)},${c(y + 5)}" fill="${item.colour}"/>`;
    default:
      return `<polygon points="${c(x + 10)},${c(y - 5)} ${c(x + 15)},${c(y)} ${c(x + 10)},${c(y + 5)} ${c(x + 5)},${c(y)}" fill="${item.colour}"/>`;
  }
}
