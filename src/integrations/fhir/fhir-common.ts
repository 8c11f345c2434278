import { addMonths, isPeriodStart } from '../../statistics/periods';

/**
 * Code systems, identifier systems and extension URLs shared by the FHIR R4 mappers. The
 * canonical base names our Measures (`<base>/Measure/<code>`) and our own extensions.
 */
export const DEFAULT_CANONICAL_BASE = 'https://relational-care.example.nhs.uk/fhir';

export const ODS_ORGANIZATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';
export const MEASURE_SCORING_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-scoring';
export const IMPROVEMENT_NOTATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation';
export const DATA_ABSENT_REASON_URL = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** Identifier and extension URLs of this installation, all under the canonical base. */
export function fhirUrls(base: string = DEFAULT_CANONICAL_BASE) {
  return {
    measure: (code: string) => `${base}/Measure/${code}`,
    measureCodeSystem: `${base}/Id/measure-code`,
    orgUnitCodeSystem: `${base}/Id/org-unit-code`,
    importErrorSystem: `${base}/CodeSystem/import-error`,
    /** the stratifier keys: ETHNICITY, SEX, AGE_BAND, LEGAL_STATUS */
    stratifierCodeSystem: `${base}/CodeSystem/stratifier`,
    /** one code system per stratifier for its stratum codes, e.g. `<base>/CodeSystem/stratum-ETHNICITY` */
    stratumCodeSystem: (stratifier: string) => `${base}/CodeSystem/stratum-${stratifier}`,
    /** valueCode `unit` (the unit's own observation) or `subtree` (pooled over the unit's subtree) */
    pooling: `${base}/StructureDefinition/pooling`,
    /** valueInteger: how many frontline observations the figures pool */
    contributors: `${base}/StructureDefinition/contributors`,
    /** valueCode `none` (true figures) or `suppressed-and-rounded` (NHS small-number rules applied) */
    disclosureControl: `${base}/StructureDefinition/disclosure-control`,
    /** valueDecimal on a population whose figure is not a whole number (population.count is an integer) */
    exactCount: `${base}/StructureDefinition/exact-count`,
    /** valueDecimal on a RATE measure: e.g. 1000 for "per 1,000 bed days" */
    multiplier: `${base}/StructureDefinition/multiplier`,
    /** nested valueIntegers created / updated / unchanged / rejected on an import's OperationOutcome */
    importCounts: `${base}/StructureDefinition/import-counts`,
  };
}
export type FhirUrls = ReturnType<typeof fhirUrls>;

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Extension {
  url: string;
  valueCode?: string;
  valueInteger?: number;
  valueDecimal?: number;
  valueBoolean?: boolean;
  valueString?: string;
  extension?: Extension[];
}
export interface Identifier {
  system?: string;
  value?: string;
}
export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
}
export interface Period {
  start?: string;
  end?: string;
}

export type PopulationCode = 'initial-population' | 'numerator' | 'denominator';

export const POPULATION_DISPLAY: Record<PopulationCode, string> = {
  'initial-population': 'Initial Population',
  numerator: 'Numerator',
  denominator: 'Denominator',
};

/** The last calendar day of a period that starts on `periodStart` and spans `months` months. */
export function periodEnd(periodStart: string, months: number): string {
  if (!isPeriodStart(periodStart)) throw new RangeError(`Not a period: ${periodStart}`);
  const next = addMonths(periodStart, months);
  const [year, month] = next.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
}

/** A FHIR id may hold letters, digits, '-' and '.', so a measure code's '_' becomes '.' (codes never hold '.'). */
export function fhirIdForCode(code: string): string {
  return code.replace(/_/g, '.');
}

export function codeForFhirId(id: string): string {
  return id.replace(/\./g, '_');
}
