import type { ImprovementDirection, Periodicity, ScoringType } from '../../generated/prisma/enums';
import {
  DEFAULT_CANONICAL_BASE,
  fhirIdForCode,
  fhirUrls,
  IMPROVEMENT_NOTATION_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  MEASURE_SCORING_SYSTEM,
  POPULATION_DISPLAY,
  type CodeableConcept,
  type Extension,
  type Identifier,
  type PopulationCode,
} from './fhir-common';
import { isStratifierKey, STRATIFIERS } from '../../statistics/stratifiers';

/**
 * Measure definition → FHIR R4 `Measure` (pure). Scoring maps PROPORTION → proportion,
 * RATE → ratio, MEAN → continuous-variable, COUNT → cohort; the populations are the
 * components we store (numerator and denominator, or the initial population for a count).
 */
export interface MeasureDefinition {
  code: string;
  name: string;
  description: string;
  scoringType: ScoringType;
  improvementDirection: ImprovementDirection;
  multiplier: number | null;
  unit: string | null;
  periodicity: Periodicity;
  numeratorLabel: string | null;
  denominatorLabel: string | null;
  archived: boolean;
  version: number;
  /** the stratifiers the measure is reported by (ETHNICITY, SEX, AGE_BAND, LEGAL_STATUS) */
  stratifiers?: readonly string[];
}

export interface FhirMeasure {
  resourceType: 'Measure';
  id: string;
  url: string;
  identifier: Identifier[];
  version: string;
  title: string;
  status: 'active' | 'retired';
  experimental: false;
  publisher: string;
  description?: string;
  scoring: CodeableConcept;
  improvementNotation?: CodeableConcept;
  rateAggregation: string;
  extension?: Extension[];
  group: Array<{
    description: string;
    population: Array<{ code: CodeableConcept; description: string; criteria: Criteria }>;
    stratifier?: Array<{ code: CodeableConcept; description: string; criteria: Criteria }>;
  }>;
}

/**
 * R4 Expression: `language` is bound to text/cql | text/fhirpath | application/x-fhir-query
 * (the R4 JSON schema enumerates them). Our populations are CQL identifiers, as R4's own
 * Measure examples write them (`text/cql` with the definition's name; R4B and R5 call this
 * `text/cql-identifier`): the logic lives in the sending systems, so no Library is published,
 * and `description` says in words what the population is.
 */
export interface Criteria {
  description: string;
  language: 'text/cql';
  expression: string;
}

export const SCORING: Record<ScoringType, { code: string; display: string }> = {
  PROPORTION: { code: 'proportion', display: 'Proportion' },
  RATE: { code: 'ratio', display: 'Ratio' },
  MEAN: { code: 'continuous-variable', display: 'Continuous Variable' },
  COUNT: { code: 'cohort', display: 'Cohort' },
};

export const IMPROVEMENT_NOTATION: Record<Exclude<ImprovementDirection, 'NEITHER'>, { code: string; display: string }> = {
  INCREASE: { code: 'increase', display: 'Increased score indicates improvement' },
  DECREASE: { code: 'decrease', display: 'Decreased score indicates improvement' },
};

/** The populations a report of this scoring type carries, in order. */
export function populationCodes(scoringType: ScoringType): PopulationCode[] {
  return scoringType === 'COUNT' ? ['initial-population'] : ['numerator', 'denominator'];
}

/**
 * `<base>/Measure/<code>`, optionally with `|version`, where `<base>` is our canonical base:
 * the code; `not-a-measure` when the URL names no Measure; `foreign-base` when it names one
 * under another base (another publisher's measure, even if its code matches one of ours).
 */
export function parseMeasureCanonical(canonical: string, base: string = DEFAULT_CANONICAL_BASE): { code: string } | { problem: 'not-a-measure' | 'foreign-base' } {
  const text = canonical.trim();
  const match = /\/Measure\/([A-Za-z0-9_.-]{1,64})(?:\|[^|]*)?$/.exec(text);
  if (!match) return { problem: 'not-a-measure' };
  if (text.slice(0, match.index) !== base) return { problem: 'foreign-base' };
  return { code: match[1].replace(/\./g, '_') };
}

/** The code a canonical URL of ours names, or null (see parseMeasureCanonical). */
export function measureCodeFromCanonical(canonical: string, base: string = DEFAULT_CANONICAL_BASE): string | null {
  const parsed = parseMeasureCanonical(canonical, base);
  return 'code' in parsed ? parsed.code : null;
}

export function improvementNotationFor(direction: ImprovementDirection): CodeableConcept | undefined {
  if (direction === 'NEITHER') return undefined;
  const { code, display } = IMPROVEMENT_NOTATION[direction];
  return { coding: [{ system: IMPROVEMENT_NOTATION_SYSTEM, code, display }] };
}

function populationMeaning(measure: MeasureDefinition, code: PopulationCode): string {
  if (code === 'initial-population') return measure.numeratorLabel ?? 'The count';
  if (code === 'numerator') {
    return measure.numeratorLabel ?? { PROPORTION: 'Those who met the criterion', RATE: 'Events', MEAN: 'Sum of the scores', COUNT: 'The count' }[measure.scoringType];
  }
  return measure.denominatorLabel ?? { PROPORTION: 'Those eligible', RATE: 'Exposure', MEAN: 'Number of responses', COUNT: '' }[measure.scoringType];
}

function aggregation(measure: MeasureDefinition): string {
  const pooled = 'Pooled over an org unit’s subtree by summing';
  switch (measure.scoringType) {
    case 'PROPORTION':
      return `${pooled} numerators and denominators; score = numerator ÷ denominator (a fraction 0..1).`;
    case 'RATE':
      return `${pooled} numerators and denominators; score = numerator ÷ denominator × ${measure.multiplier ?? 1}.`;
    case 'MEAN':
      return `${pooled} the sums of scores and the numbers of responses; score = sum ÷ responses.`;
    case 'COUNT':
      return `${pooled} the counts; score = the count.`;
  }
}

function scoreText(measure: MeasureDefinition): string {
  if (measure.scoringType === 'PROPORTION') return 'Score as a fraction from 0 to 1';
  return measure.unit ? `Score in ${measure.unit}` : 'Score';
}

/** The CodeableConcept naming one of our stratifiers (MeasureReport.group.stratifier.code uses the same). */
export function stratifierConcept(key: string, base?: string): CodeableConcept {
  const definition = isStratifierKey(key) ? STRATIFIERS[key] : null;
  return { coding: [{ system: fhirUrls(base).stratifierCodeSystem, code: key, ...(definition ? { display: definition.name } : {}) }] };
}

function measureStratifier(key: string, base?: string): { code: CodeableConcept; description: string; criteria: Criteria } {
  const name = isStratifierKey(key) ? STRATIFIERS[key].name : key;
  return { code: stratifierConcept(key, base), description: `Reported by ${name}`, criteria: { description: `The patient's ${name.toLowerCase()}, as the sending system records it`, language: 'text/cql', expression: key } };
}

export function toFhirMeasure(measure: MeasureDefinition, base?: string): FhirMeasure {
  const urls = fhirUrls(base);
  const improvementNotation = improvementNotationFor(measure.improvementDirection);
  return {
    resourceType: 'Measure',
    id: fhirIdForCode(measure.code),
    url: urls.measure(measure.code),
    identifier: [{ system: urls.measureCodeSystem, value: measure.code }],
    version: String(measure.version),
    title: measure.name,
    status: measure.archived ? 'retired' : 'active',
    experimental: false,
    publisher: 'Relational Care Faculty',
    ...(measure.description ? { description: measure.description } : {}),
    scoring: { coding: [{ system: MEASURE_SCORING_SYSTEM, ...SCORING[measure.scoringType] }] },
    ...(improvementNotation ? { improvementNotation } : {}),
    rateAggregation: aggregation(measure),
    ...(measure.scoringType === 'RATE' && measure.multiplier != null ? { extension: [{ url: urls.multiplier, valueDecimal: measure.multiplier }] } : {}),
    group: [
      {
        description: `${scoreText(measure)}; one report per ${measure.periodicity === 'QUARTER' ? 'quarter' : 'calendar month'}.`,
        population: populationCodes(measure.scoringType).map((code) => {
          const meaning = populationMeaning(measure, code);
          return {
            code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code, display: POPULATION_DISPLAY[code] }] },
            description: meaning,
            criteria: { description: meaning, language: 'text/cql', expression: POPULATION_DISPLAY[code] },
          };
        }),
        ...(measure.stratifiers && measure.stratifiers.length > 0 ? { stratifier: measure.stratifiers.map((key) => measureStratifier(key, base)) } : {}),
      },
    ],
  };
}
