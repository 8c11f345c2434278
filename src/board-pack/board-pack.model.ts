/**
 * What a board pack shows, gathered once by board-pack.service.ts through the board services
 * (so every figure in it is already under disclosure control for the reader) and drawn by
 * the pure renderers: HTML (board-pack-html.ts), PDF (board-pack-pdf.ts) and the tables for
 * CSV and XLSX (board-pack-tables.ts).
 */
import type { DrillDown, ExceptionEntry, ScorecardEntry } from '../board/board.type';
import type { OrgUnit } from '../organisation/org-unit.type';
import type { Principle } from '../principles/principle.type';
import type { Milestone, Workstream } from '../workstreams/workstream.type';
import type { SpcChartMarker, SpcChartPhase } from './spc-chart';

export interface PackSection {
  /** null: the measures that evidence no principle */
  principle: Principle | null;
  title: string;
  entries: ScorecardEntry[];
}

export interface PackMeasure {
  entry: ScorecardEntry;
  drillDown: DrillDown;
  /** the measure owner's name, where the reader may see that person */
  owner: string | null;
  principleNames: string[];
  workstreamNames: string[];
  phases: SpcChartPhase[];
  markers: SpcChartMarker[];
}

export interface PackWorkstream {
  workstream: Workstream;
  leads: Array<{ name: string; role: string }>;
  milestones: Milestone[];
  measureNames: string[];
}

/** Whose figures the pack shows, in the reader's terms. */
export interface PackReader {
  role: string;
  /** true: every figure of the pack's unit is the recorded one (ADMIN, or the unit's own manager) */
  trueFigures: boolean;
  /** the cover's sentence about disclosure control */
  disclosureWords: string;
}

export interface BoardPack {
  orgUnit: OrgUnit;
  /** the as-at month, 'YYYY-MM-01'; '' when nothing has data */
  period: string;
  /** the end of the latest period with data among the measures ('YYYY-MM-01'), null when none */
  updatedTo: string | null;
  generatedAt: Date;
  reader: PackReader;
  sections: PackSection[];
  /** every live measure once, in the order of the sections */
  measures: PackMeasure[];
  exceptions: ExceptionEntry[];
  workstreams: PackWorkstream[];
}
