/**
 * A board pack in each of its formats, for the HTTP route and the `board-pack` command alike:
 * gathered by the service with the reader's context, drawn by the pure renderers.
 */
import type { RequestContext } from '../graphql/context';
import type { OrgUnit } from '../organisation/org-unit.type';
import { renderBoardPackHtml } from './board-pack-html';
import { renderBoardPackPdf } from './board-pack-pdf';
import { loadBoardPack, packDrillDown, packScorecard } from './board-pack.service';
import { drillDownTable, scorecardTable, tablesToCsv, tablesToXlsx } from './board-pack-tables';

export const PACK_FORMATS = ['html', 'pdf', 'csv', 'xlsx'] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];

export interface PackDocument {
  format: PackFormat;
  /** what the file holds, for its name: the whole pack, or only its scorecard (a CSV holds one table) */
  kind: 'board-pack' | 'scorecard';
  /** the as-at month the pack settled on ('' when nothing has data) */
  period: string;
  body: string | Buffer;
}

export async function packDocument(ctx: RequestContext, unit: OrgUnit, period: string | null, format: PackFormat, generatedAt: Date): Promise<PackDocument> {
  if (format === 'csv' || format === 'xlsx') {
    const { asAt, entries } = await packScorecard(ctx, unit, period);
    const scorecard = scorecardTable(unit, asAt ?? '', entries);
    if (format === 'csv') return { format, kind: 'scorecard', period: asAt ?? '', body: tablesToCsv([scorecard]) };
    // The workbook holds the pack's tables: the scorecard and every measure's drill-down.
    const drillDowns = await Promise.all(entries.map((entry) => packDrillDown(ctx, entry.measure, unit, asAt)));
    return { format, kind: 'board-pack', period: asAt ?? '', body: await tablesToXlsx([scorecard, drillDownTable(unit, asAt ?? '', drillDowns)], generatedAt) };
  }
  const pack = await loadBoardPack(ctx, unit, period, generatedAt);
  return { format, kind: 'board-pack', period: pack.period, body: format === 'pdf' ? await renderBoardPackPdf(pack) : renderBoardPackHtml(pack) };
}
