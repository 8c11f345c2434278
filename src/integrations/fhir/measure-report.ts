import type { Periodicity, ScoringType } from '../../generated/prisma/enums';
import { isPeriodStart } from '../../statistics/periods';
import type { IncomingRow } from '../../observations/row-validation';
import {
  DATA_ABSENT_REASON_URL,
  DEFAULT_CANONICAL_BASE,
  fhirUrls,
  MEASURE_POPULATION_SYSTEM,
  ODS_ORGANIZATION_SYSTEM,
  periodEnd,
  POPULATION_DISPLAY,
  UCUM_SYSTEM,
  type CodeableConcept,
  type Extension,
  type Identifier,
  type Period,
  type PopulationCode,
  type Quantity,
} from './fhir-common';
import { improvementNotationFor, measureCodeFromCanonical, parseMeasureCanonical, populationCodes, stratifierConcept, type MeasureDefinition } from './measure';
import { isStratifierKey, STRATIFIERS } from '../../statistics/stratifiers';
import { valueOf } from '../../statistics/scoring';

/**
 * FHIR R4 `MeasureReport` (type summary) ⇄ observations, pure. Export writes one report for a
 * measure × org unit × period; import turns a report, or a Bundle of them, into the rows
 * `importObservations` takes, with an issue (a FHIRPath and a reason) for every entry it
 * cannot read. The measure canonical names the measure; the reporter (an Organization
 * identified by ODS code, or by our org-unit code) names the org unit.
 */

export interface FhirPopulation {
  code: CodeableConcept;
  count?: number;
  /** extensions on the count itself: an exact decimal figure, or why it is absent */
  _count?: { extension: Extension[] };
}

export interface FhirStratum {
  value: CodeableConcept;
  population: FhirPopulation[];
  measureScore?: Quantity & { extension?: Extension[] };
}

export interface FhirStratifier {
  code: CodeableConcept[];
  stratum: FhirStratum[];
}

export interface FhirMeasureReport {
  resourceType: 'MeasureReport';
  /** see fhir-search.ts formatReportId */
  id?: string;
  extension: Extension[];
  identifier?: Identifier[];
  status: 'complete';
  type: 'summary';
  measure: string;
  date: string;
  reporter: { identifier: Identifier; display: string };
  period: Required<Period>;
  improvementNotation?: CodeableConcept;
  group: Array<{ population: FhirPopulation[]; measureScore: Quantity & { extension?: Extension[] }; stratifier?: FhirStratifier[] }>;
}

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

export interface ReportFigures {
  /** null when withheld by disclosure control */
  numerator: number | null;
  /** null for a COUNT, or when withheld */
  denominator: number | null;
  /** the score in the measure's unit (a proportion as a fraction 0..1), or null */
  value: number | null;
}

export interface MeasureReportInput {
  measure: MeasureDefinition;
  orgUnit: { code: string; name: string; odsCode: string | null };
  periodStart: string;
  figures: ReportFigures;
  /** `unit`: the unit's own observation; `subtree`: pooled over the unit and everything below it */
  pooling: 'unit' | 'subtree';
  contributors: number;
  /** true when NHS small-number rules were applied (figures rounded or withheld) */
  disclosureControlled: boolean;
  generatedAt: Date;
  externalId?: string | null;
  /** the report's id (fhir-search.ts formatReportId) */
  id?: string;
  /** the strata, true figures only (never for a disclosure-controlled reader) */
  strata?: readonly ReportStratum[];
}

export interface ReportStratum {
  stratifier: string;
  code: string;
  /** null when withheld by disclosure control */
  numerator: number | null;
  /** null for a COUNT, or when withheld */
  denominator: number | null;
  /** under disclosure control: the value shown (computed from the rounded components), null when withheld */
  shownValue?: number | null;
}

const MASKED: Extension = { url: DATA_ABSENT_REASON_URL, valueCode: 'masked' };

function population(code: PopulationCode, figure: number | null, exactCountUrl: string): FhirPopulation {
  const coded = { code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code, display: POPULATION_DISPLAY[code] }] } };
  if (figure === null) return { ...coded, _count: { extension: [MASKED] } };
  // population.count is an integer in R4; sums of scores and bed days need not be.
  if (Number.isInteger(figure)) return { ...coded, count: figure };
  return { ...coded, _count: { extension: [{ url: exactCountUrl, valueDecimal: figure }] } };
}

function measureScore(measure: MeasureDefinition, value: number | null): FhirMeasureReport['group'][number]['measureScore'] {
  if (value === null) return { extension: [MASKED] };
  if (measure.scoringType === 'PROPORTION') return { value, unit: '1', system: UCUM_SYSTEM, code: '1' };
  const unit = measure.unit ?? (measure.scoringType === 'RATE' && measure.multiplier != null ? `per ${measure.multiplier}` : null);
  return unit ? { value, unit } : { value };
}

export function reporterFor(orgUnit: MeasureReportInput['orgUnit'], base?: string): FhirMeasureReport['reporter'] {
  const identifier = orgUnit.odsCode
    ? { system: ODS_ORGANIZATION_SYSTEM, value: orgUnit.odsCode }
    : { system: fhirUrls(base).orgUnitCodeSystem, value: orgUnit.code };
  return { identifier, display: orgUnit.name };
}

/**
 * `group.stratifier`: one per stratifier (the measure's order), each stratum in the
 * stratifier's code order, coded `<base>/CodeSystem/stratum-<STRATIFIER>`, with the same
 * populations and score as the whole.
 */
export function stratifiersFor(measure: MeasureDefinition, strata: readonly ReportStratum[], base?: string): FhirStratifier[] {
  const urls = fhirUrls(base);
  const keys = [...new Set([...(measure.stratifiers ?? []), ...strata.map((s) => s.stratifier)])].filter((key) => strata.some((s) => s.stratifier === key));
  return keys.map((key) => {
    const definition = isStratifierKey(key) ? STRATIFIERS[key] : null;
    const order = (code: string) => definition?.strata.findIndex((d) => d.code === code) ?? 0;
    const own = strata.filter((s) => s.stratifier === key).sort((a, b) => order(a.code) - order(b.code) || a.code.localeCompare(b.code));
    return {
      code: [stratifierConcept(key, base)],
      stratum: own.map((s) => {
        const label = definition?.strata.find((d) => d.code === s.code)?.label;
        const withheld = s.shownValue === null;
        const score = s.shownValue !== undefined ? s.shownValue : s.numerator === null ? null : valueOf(measure.scoringType, { numerator: s.numerator, denominator: s.denominator }, measure.multiplier);
        return {
          value: { coding: [{ system: urls.stratumCodeSystem(key), code: s.code, ...(label ? { display: label } : {}) }], ...(label ? { text: label } : {}) },
          population: populationCodes(measure.scoringType).map((code) => population(code, code === 'denominator' ? s.denominator : s.numerator, urls.exactCount)),
          // no score where there is none (a zero denominator): not withheld, so not marked masked
          ...(score !== null || withheld ? { measureScore: measureScore(measure, score) } : {}),
        };
      }),
    };
  });
}

export function toFhirMeasureReport(input: MeasureReportInput, base?: string): FhirMeasureReport {
  const urls = fhirUrls(base);
  const { measure, figures } = input;
  const months = measure.periodicity === 'QUARTER' ? 3 : 1;
  const improvementNotation = improvementNotationFor(measure.improvementDirection);
  const populations = populationCodes(measure.scoringType).map((code) =>
    population(code, code === 'denominator' ? figures.denominator : figures.numerator, urls.exactCount),
  );
  const stratifier = input.strata && input.strata.length > 0 ? stratifiersFor(measure, input.strata, base) : [];
  return {
    resourceType: 'MeasureReport',
    ...(input.id ? { id: input.id } : {}),
    extension: [
      { url: urls.pooling, valueCode: input.pooling },
      { url: urls.contributors, valueInteger: input.contributors },
      { url: urls.disclosureControl, valueCode: input.disclosureControlled ? 'suppressed-and-rounded' : 'none' },
    ],
    ...(input.externalId ? { identifier: [{ value: input.externalId }] } : {}),
    status: 'complete',
    type: 'summary',
    measure: urls.measure(measure.code),
    date: input.generatedAt.toISOString(),
    reporter: reporterFor(input.orgUnit, base),
    period: { start: input.periodStart, end: periodEnd(input.periodStart, months) },
    ...(improvementNotation ? { improvementNotation } : {}),
    group: [{ population: populations, measureScore: measureScore(measure, figures.value), ...(stratifier.length > 0 ? { stratifier } : {}) }],
  };
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/** A problem with one entry, as a FHIRPath into the posted resource and a stable code. */
export interface ReportIssue {
  expression: string;
  code: string;
  message: string;
  /** the Bundle entry index, or null for a lone MeasureReport (or the Bundle itself) */
  entry: number | null;
}

export interface PostedReport {
  entry: number | null;
  /** FHIRPath of the report: `MeasureReport` or `Bundle.entry[3].resource` */
  path: string;
  resource: Record<string, unknown>;
}

export interface ExtractedReports {
  /** the Bundle's type, or null for a lone MeasureReport */
  bundleType: string | null;
  reports: PostedReport[];
  issues: ReportIssue[];
}

const BUNDLE_TYPES = new Set(['transaction', 'batch', 'collection', 'searchset']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds the MeasureReports in a posted body: one report, or the entries of a Bundle. */
export function extractMeasureReports(json: unknown): ExtractedReports {
  if (!isObject(json)) {
    return { bundleType: null, reports: [], issues: [{ expression: '', entry: null, code: 'INVALID', message: 'The body must be a FHIR resource: a JSON object' }] };
  }
  if (json.resourceType === 'MeasureReport') return { bundleType: null, reports: [{ entry: null, path: 'MeasureReport', resource: json }], issues: [] };
  if (json.resourceType !== 'Bundle') {
    return {
      bundleType: null,
      reports: [],
      issues: [{ expression: 'resourceType', entry: null, code: 'INVALID', message: `Expected a MeasureReport or a Bundle of them, not ${JSON.stringify(json.resourceType ?? null)}` }],
    };
  }
  const bundleType = typeof json.type === 'string' ? json.type : null;
  const issues: ReportIssue[] = [];
  if (!bundleType || !BUNDLE_TYPES.has(bundleType)) {
    issues.push({ expression: 'Bundle.type', entry: null, code: 'INVALID', message: `Bundle.type must be one of ${[...BUNDLE_TYPES].join(', ')}` });
  }
  const entries = json.entry;
  if (!Array.isArray(entries) || entries.length === 0) {
    issues.push({ expression: 'Bundle.entry', entry: null, code: 'REQUIRED', message: 'The Bundle has no entries' });
    return { bundleType, reports: [], issues };
  }
  const reports: PostedReport[] = [];
  entries.forEach((entry: unknown, index) => {
    const path = `Bundle.entry[${index}].resource`;
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource)) issues.push({ expression: path, entry: index, code: 'REQUIRED', message: `Entry ${index} has no resource` });
    else if (resource.resourceType !== 'MeasureReport') {
      issues.push({ expression: `${path}.resourceType`, entry: index, code: 'INVALID', message: `Entry ${index} is a ${String(resource.resourceType)}; only MeasureReports are imported` });
    } else reports.push({ entry: index, path, resource });
  });
  return { bundleType, reports, issues };
}

export interface ReporterKey {
  system: string | null;
  value: string;
}

/** The measure codes and reporter identifiers the reports name, to look up in one query each. */
export function reportReferences(reports: readonly PostedReport[], base: string = DEFAULT_CANONICAL_BASE): { measureCodes: string[]; reporters: ReporterKey[] } {
  const measureCodes = new Set<string>();
  const reporters: ReporterKey[] = [];
  for (const { resource } of reports) {
    const code = typeof resource.measure === 'string' ? measureCodeFromCanonical(resource.measure, base) : null;
    if (code) measureCodes.add(code);
    const key = reporterKey(resource.reporter);
    if (key) reporters.push(key);
  }
  return { measureCodes: [...measureCodes], reporters };
}

function reporterKey(reporter: unknown): ReporterKey | null {
  const identifier = isObject(reporter) ? reporter.identifier : undefined;
  if (!isObject(identifier) || typeof identifier.value !== 'string' || identifier.value.trim() === '') return null;
  return { system: typeof identifier.system === 'string' ? identifier.system : null, value: identifier.value.trim() };
}

export interface KnownReportMeasure {
  code: string;
  scoringType: ScoringType;
  periodicity: Periodicity;
}

export interface ReportLookups {
  measureByCode(code: string): KnownReportMeasure | null;
  /** the code of the org unit a reporter identifier names, or null */
  orgUnitCode(reporter: ReporterKey): string | null;
}

export interface ReportRow {
  row: IncomingRow;
  entry: number | null;
  /** FHIRPath of the report */
  path: string;
  /** FHIRPath of the element each row field came from */
  expressions: Partial<Record<keyof IncomingRow, string>>;
}

function extensionValue(extensions: unknown, urlSuffix: string): Extension | undefined {
  if (!Array.isArray(extensions)) return undefined;
  // Matched on the path after the base, so reports exported by another installation are recognised too.
  return extensions.find((e: unknown): e is Extension => isObject(e) && typeof e.url === 'string' && e.url.endsWith(urlSuffix));
}

function hasPopulationCode(population: unknown, code: PopulationCode): boolean {
  if (!isObject(population) || !isObject(population.code) || !Array.isArray(population.code.coding)) return false;
  return population.code.coding.some(
    (c: unknown) => isObject(c) && c.code === code && (c.system === undefined || c.system === MEASURE_POPULATION_SYSTEM),
  );
}

type CountReading = { value: number | null } | { problem: { code: string; message: string } };

function readCount(population: Record<string, unknown>): CountReading {
  const count = population.count;
  if (count !== undefined && count !== null) {
    if (typeof count !== 'number' || !Number.isInteger(count)) {
      return { problem: { code: 'INVALID', message: 'population.count must be a whole number; send a fractional figure in the exact-count extension' } };
    }
    return { value: count };
  }
  const extensions = isObject(population._count) ? population._count.extension : undefined;
  const exact = extensionValue(extensions, '/StructureDefinition/exact-count');
  if (exact) {
    if (typeof exact.valueDecimal !== 'number' || !Number.isFinite(exact.valueDecimal)) {
      return { problem: { code: 'INVALID', message: 'The exact-count extension needs a valueDecimal' } };
    }
    return { value: exact.valueDecimal };
  }
  if (extensionValue(extensions, DATA_ABSENT_REASON_URL)) {
    return { problem: { code: 'MASKED', message: 'This figure was withheld (small-number suppression) where the report was made; import the true figures' } };
  }
  return { value: null };
}

/** The calendar date at the start of a FHIR date or dateTime ('YYYY', 'YYYY-MM', 'YYYY-MM-DD', or with a time). */
function datePart(value: string): { year: string; month: string | null; day: string | null } | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|T)/.exec(value);
  return match ? { year: match[1], month: match[2] ?? null, day: match[3] ?? null } : null;
}

/** Turns MeasureReports into observation rows; an entry with any problem yields issues and no row. */
export function mapMeasureReports(
  reports: readonly PostedReport[],
  lookups: ReportLookups,
  options: { source: string; canonicalBase?: string },
): { rows: ReportRow[]; issues: ReportIssue[] } {
  const rows: ReportRow[] = [];
  const issues: ReportIssue[] = [];
  for (const report of reports) {
    const mapped = mapOne(report, lookups, options.source, options.canonicalBase ?? DEFAULT_CANONICAL_BASE);
    if ('rows' in mapped) rows.push(...mapped.rows);
    else issues.push(...mapped.issues);
  }
  return { rows, issues };
}

function mapOne(report: PostedReport, lookups: ReportLookups, source: string, base: string): { rows: ReportRow[] } | { issues: ReportIssue[] } {
  const { resource: r, path, entry } = report;
  const issues: ReportIssue[] = [];
  const at = (element: string) => (element ? `${path}.${element}` : path);
  const issue = (element: string, code: string, message: string) => issues.push({ expression: at(element), code, message, entry });

  if (r.status !== 'complete') issue('status', 'INVALID', `Only complete reports are imported (status is ${JSON.stringify(r.status ?? null)})`);
  if (r.type !== 'summary') issue('type', 'INVALID', `Only summary reports are imported (type is ${JSON.stringify(r.type ?? null)})`);

  const disclosure = extensionValue(r.extension, '/StructureDefinition/disclosure-control');
  if (disclosure && disclosure.valueCode !== 'none') {
    issue('extension', 'DISCLOSURE_CONTROLLED', 'These figures were rounded or withheld for publication; import the true figures');
  }
  const pooling = extensionValue(r.extension, '/StructureDefinition/pooling');
  const contributors = extensionValue(r.extension, '/StructureDefinition/contributors')?.valueInteger ?? 1;
  if (pooling?.valueCode === 'subtree' && contributors > 1) {
    issue('extension', 'POOLED', `This report pools ${contributors} observations over a subtree; stored as one observation it would count them twice. Send the frontline reports, or export with pooled=false`);
  }

  let measure: KnownReportMeasure | null = null;
  if (typeof r.measure !== 'string' || r.measure.trim() === '') issue('measure', 'REQUIRED', 'measure (the Measure’s canonical URL) is required');
  else {
    const parsed = parseMeasureCanonical(r.measure, base);
    measure = 'code' in parsed ? lookups.measureByCode(parsed.code) : null;
    if ('problem' in parsed && parsed.problem === 'not-a-measure') issue('measure', 'INVALID', `${r.measure} is not a Measure canonical URL (…/Measure/<code>)`);
    // Only the last segment names the code, so another publisher's Measure/<code> would pass for ours.
    else if ('problem' in parsed) issue('measure', 'UNKNOWN_CANONICAL_BASE', `${r.measure} is not one of our Measures: their canonical URLs start with ${base}/Measure/`);
    else if (!measure) issue('measure', 'UNKNOWN_MEASURE', `No measure has code "${parsed.code}" (from ${r.measure})`);
  }

  let orgUnitCode: string | null = null;
  const reporter = reporterKey(r.reporter);
  if (!reporter) issue('reporter', 'REQUIRED', `reporter.identifier is required: an Organization's ODS code (${ODS_ORGANIZATION_SYSTEM}) or an org-unit code`);
  else {
    orgUnitCode = lookups.orgUnitCode(reporter);
    if (!orgUnitCode) issue('reporter.identifier', 'UNKNOWN_ORG_UNIT', `No org unit is identified by ${reporter.system ? `${reporter.system}|` : ''}${reporter.value}`);
  }

  let periodStart: string | null = null;
  const period = isObject(r.period) ? r.period : {};
  const start = typeof period.start === 'string' ? datePart(period.start) : null;
  if (!start) issue('period.start', 'REQUIRED', 'period.start (the first day of the month reported) is required');
  else {
    periodStart = `${start.year}-${start.month ?? '01'}-${start.day ?? '01'}`;
    if (!isPeriodStart(periodStart)) {
      issue('period.start', 'PERIOD_NOT_ALIGNED', `period.start ${String(period.start)} is not the first day of a month`);
      periodStart = null;
    }
  }
  if (periodStart && measure && typeof period.end === 'string') {
    const expected = periodEnd(periodStart, measure.periodicity === 'QUARTER' ? 3 : 1);
    const end = datePart(period.end);
    // A whole date (or a dateTime on it) must be the last day; a bare 'YYYY-MM' must be the last month.
    const aligned = end?.month != null && (end.day !== null ? `${end.year}-${end.month}-${end.day}` === expected : `${end.year}-${end.month}` === expected.slice(0, 7));
    if (!aligned) {
      issue('period.end', 'PERIOD_NOT_ALIGNED', `period.end must be ${expected}, the last day of the ${measure.periodicity === 'QUARTER' ? 'quarter' : 'month'} that starts on ${periodStart}`);
    }
  }

  const groups = Array.isArray(r.group) ? r.group : [];
  if (groups.length !== 1 || !isObject(groups[0])) {
    issue('group', groups.length === 0 ? 'REQUIRED' : 'INVALID', 'A summary report carries exactly one group with its populations');
  }
  const group = isObject(groups[0]) ? groups[0] : {};
  const figuresOf = (populations: unknown[], element: string) => {
    const figure = (code: PopulationCode): { value: number | null; expression: string } | null => {
      const indexes = populations.flatMap((p, i) => (hasPopulationCode(p, code) ? [i] : []));
      if (indexes.length === 0) return null;
      const at0 = `${element}.population[${indexes[0]}]`;
      if (indexes.length > 1) {
        issue(`${element}.population[${indexes[1]}]`, 'INVALID', `The ${code} population appears more than once`);
        return null;
      }
      const reading = readCount(populations[indexes[0]] as Record<string, unknown>);
      if ('problem' in reading) {
        issue(`${at0}.count`, reading.problem.code, reading.problem.message);
        return null;
      }
      return { value: reading.value, expression: at(`${at0}.count`) };
    };
    const numeratorCode: PopulationCode = measure?.scoringType === 'COUNT' && populations.some((p) => hasPopulationCode(p, 'initial-population')) ? 'initial-population' : 'numerator';
    return { numerator: figure(numeratorCode), denominator: figure('denominator'), expression: at(`${element}.population`) };
  };
  const populations: unknown[] = Array.isArray(group.population) ? group.population : [];
  const whole = figuresOf(populations, 'group[0]');

  // group.stratifier[].code names the stratifier; each stratum[].value its code, with its own populations.
  const strata: Array<{ stratifier: string; code: string; figures: ReturnType<typeof figuresOf>; expression: string }> = [];
  const stratifiers: unknown[] = Array.isArray(group.stratifier) ? group.stratifier : [];
  stratifiers.forEach((stratifier, i) => {
    const element = `group[0].stratifier[${i}]`;
    const key = isObject(stratifier) ? codedValue(stratifier.code, (system) => system.endsWith('/CodeSystem/stratifier')) : null;
    if (!key) {
      issue(`${element}.code`, 'REQUIRED', 'A stratifier needs code[0].coding[0].code naming it: ETHNICITY, SEX, AGE_BAND or LEGAL_STATUS');
      return;
    }
    const stratumList: unknown[] = isObject(stratifier) && Array.isArray(stratifier.stratum) ? stratifier.stratum : [];
    if (stratumList.length === 0) issue(`${element}.stratum`, 'REQUIRED', `The ${key} stratifier has no strata`);
    stratumList.forEach((stratum, j) => {
      const at1 = `${element}.stratum[${j}]`;
      if (isObject(stratum) && stratum.component !== undefined) {
        issue(`${at1}.component`, 'INVALID', 'Strata by several components at once are not imported: send one stratifier per characteristic');
        return;
      }
      const code = isObject(stratum) ? codedValue(stratum.value, (system) => system.endsWith(`/CodeSystem/stratum-${key}`)) : null;
      if (!code) {
        issue(`${at1}.value`, 'REQUIRED', `A stratum needs value.coding[0].code, its ${key} code`);
        return;
      }
      const stratumPopulations: unknown[] = isObject(stratum) && Array.isArray(stratum.population) ? stratum.population : [];
      strata.push({ stratifier: key, code, figures: figuresOf(stratumPopulations, at1), expression: at(`${at1}.value`) });
    });
  });

  const identifiers = Array.isArray(r.identifier) ? r.identifier : [];
  const externalIdIndex = identifiers.findIndex((i: unknown) => isObject(i) && typeof i.value === 'string');
  const externalId = externalIdIndex >= 0 ? ((identifiers[externalIdIndex] as Identifier).value as string) : null;

  if (issues.length > 0 || !measure || !orgUnitCode || !periodStart) return { issues };
  const common = { measureCode: measure.code, orgUnitCode, periodStart, source };
  const commonExpressions = { measureCode: at('measure'), orgUnitCode: at('reporter.identifier'), periodStart: at('period.start'), source: path };
  const rows: ReportRow[] = [];
  // With strata and no whole-population figures the whole is worked out from the strata.
  if (strata.length === 0 || whole.numerator !== null || whole.denominator !== null) {
    rows.push({
      entry,
      path,
      row: { ...common, numerator: whole.numerator?.value ?? null, denominator: whole.denominator?.value ?? null, externalId },
      expressions: {
        ...commonExpressions,
        numerator: whole.numerator?.expression ?? whole.expression,
        denominator: whole.denominator?.expression ?? whole.expression,
        externalId: at(`identifier[${Math.max(externalIdIndex, 0)}].value`),
      },
    });
  }
  for (const s of strata) {
    rows.push({
      entry,
      path,
      row: { ...common, numerator: s.figures.numerator?.value ?? null, denominator: s.figures.denominator?.value ?? null, externalId: null, stratum: { stratifier: s.stratifier, code: s.code } },
      expressions: {
        ...commonExpressions,
        numerator: s.figures.numerator?.expression ?? s.figures.expression,
        denominator: s.figures.denominator?.expression ?? s.figures.expression,
        externalId: at('identifier'),
        stratum: s.expression,
      },
    });
  }
  return { rows };
}

/**
 * The code of a CodeableConcept (or the first of an array of them, as R4's
 * MeasureReport.group.stratifier.code is) whose coding has no system or one `ours` accepts.
 */
function codedValue(concept: unknown, ours: (system: string) => boolean): string | null {
  const concepts = Array.isArray(concept) ? concept : [concept];
  for (const c of concepts) {
    if (!isObject(c) || !Array.isArray(c.coding)) continue;
    for (const coding of c.coding) {
      if (!isObject(coding) || typeof coding.code !== 'string' || coding.code.trim() === '') continue;
      if (coding.system === undefined || (typeof coding.system === 'string' && ours(coding.system))) return coding.code.trim();
    }
  }
  return null;
}
