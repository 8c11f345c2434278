/**
 * The shapes of the demonstration dataset (dataset.ts builds it, load-dataset.ts writes it).
 */
import type {
  Audience,
  CoreItem22Criterion,
  FeedbackActionStatus,
  FeedbackSource,
  ImprovementDirection,
  InvolvementKind,
  MilestoneStatus,
  OrgUnitType,
  PrincipleKey,
  ScoringType,
  WorkstreamLeadRole,
  WorkstreamStatus,
} from '../generated/prisma/enums';

export interface DatasetOptions {
  seed: number;
  directorates: number;
  teamsPerDirectorate: number;
  /** how many measure definitions; beyond the catalogue (22) variants like CARE-MEAN-V2 are generated */
  measures: number;
  months: number;
  /** the last period, 'YYYY-MM-01' */
  endPeriod: string;
  /**
   * Benchmarks only: record every measure at every frontline unit (ward measures at teams too),
   * so the dataset is the full units × measures × months grid the benchmarks are specified on.
   */
  everyMeasureEverywhere?: boolean;
}

/** The sorts of frontline team or ward; each has its row in data/org-units.json (unitKinds). */
export const UNIT_KINDS = [
  'ACUTE_WARD',
  'PICU',
  'REHAB_WARD',
  'CMHT',
  'EIP',
  'OPEN_DIALOGUE',
  'COMMUNITY_REHAB',
  'COMPLEX_EMOTIONAL',
  'HOME_TREATMENT',
  'CRISIS_HUB',
  'CRISIS_HOUSE',
  'COMMUNITY_HUB',
  'LIAISON',
  'STREET_TRIAGE',
] as const;

export type UnitKind = (typeof UNIT_KINDS)[number];

export interface DatasetOrgUnit {
  code: string;
  name: string;
  type: OrgUnitType;
  odsCode?: string;
  parentCode: string | null;
  /** frontline units only: what sort of team or ward (drives realistic numbers) */
  kind?: UnitKind;
  /** wards only */
  beds?: number;
  /** frontline units only: headcount at the start of the window */
  staff?: number;
  /** a unit commissioned during the window has no data before this period */
  opensOn?: string;
}

export interface DatasetPerson {
  key: string;
  name: string;
  email: string;
  jobTitle: string;
  hasLivedExperience: boolean;
  orgUnitCode: string | null;
}

export interface DatasetWorkstream {
  code: string;
  name: string;
  description: string;
  aims: string[];
  status: WorkstreamStatus;
  startDate: string;
  endDate: string | null;
  principles: PrincipleKey[];
  teamCodes: string[];
  /** when each team joined (defaults to startDate) */
  teamJoinedOn: Record<string, string>;
  leads: Array<{ personKey: string; role: WorkstreamLeadRole }>;
  milestones: Array<{ title: string; dueDate: string; status: MilestoneStatus; completedOn: string | null }>;
  involvement: Array<{ kind: InvolvementKind; description: string; peopleCount: number; startedOn: string }>;
}

/** Where a measure is recorded: at wards, at teams, or at every frontline unit. */
export const APPLIES_TO = ['WARDS', 'TEAMS', 'ALL'] as const;
export type AppliesTo = (typeof APPLIES_TO)[number];

export interface DatasetMeasure {
  code: string;
  name: string;
  description: string;
  scoringType: ScoringType;
  improvementDirection: ImprovementDirection;
  multiplier: number | null;
  unit: string;
  audience: Audience;
  numeratorLabel: string;
  denominatorLabel: string | null;
  ownerKey: string;
  principles: PrincipleKey[];
  workstreamCodes: string[];
  trustTarget: number | null;
  appliesTo: AppliesTo;
  /** the stratifiers it is reported by (strata.ts) */
  stratifiers?: string[];
}

export interface DatasetObservation {
  measureCode: string;
  orgUnitCode: string;
  periodStart: string;
  numerator: number;
  denominator: number | null;
  source: string;
  externalId: string;
  /** a stratum's row (the equality lens); absent for the whole population */
  stratum?: { stratifier: string; code: string };
}

export interface Dataset {
  options: DatasetOptions;
  /** the monthly periods covered, earliest first */
  periods: string[];
  /** parent before child */
  orgUnits: DatasetOrgUnit[];
  people: DatasetPerson[];
  workstreams: DatasetWorkstream[];
  measures: DatasetMeasure[];
  /** a year of fictional feedback, actions and CORE item 22 assessments (feedback.ts) */
  feedback: DatasetFeedbackLedger;
  /** a fresh, deterministic pass over every observation each time it is called */
  observations(): Generator<DatasetObservation>;
  /** counts the observations (one generating pass, nothing kept) */
  countObservations(): number;
}

/** "You said, we did" (feedback.ts builds it). */
export interface DatasetFeedbackTheme {
  code: string;
  name: string;
  principleKeys: PrincipleKey[];
}

export interface DatasetFeedbackAction {
  description: string;
  ownerKey: string;
  dueOn: string;
  status: FeedbackActionStatus;
  evidence: string | null;
  completedOn: string | null;
  droppedReason: string | null;
}

export interface DatasetFeedback {
  orgUnitCode: string;
  source: FeedbackSource;
  externalId: string;
  receivedOn: string;
  themeCodes: string[];
  summary: string;
  published: boolean;
  actions: DatasetFeedbackAction[];
}

export interface DatasetAssessment {
  orgUnitCode: string;
  criterion: CoreItem22Criterion;
  met: boolean;
  assessedOn: string;
  assessor: string;
  evidence: string;
}

export interface DatasetFeedbackLedger {
  themes: DatasetFeedbackTheme[];
  feedback: DatasetFeedback[];
  assessments: DatasetAssessment[];
  /** the units that close the loop (for tests and the README) */
  closers: string[];
  /** the units that sought no feedback in the year */
  silent: string[];
}

