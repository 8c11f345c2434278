import { fhirIdForCode, codeForFhirId, periodEnd } from './fhir-common';
import { expectValidFhir, fhirSchemaErrors } from '../../../test/support/fhir-schema';
import { measureCodeFromCanonical, parseMeasureCanonical, toFhirMeasure, type MeasureDefinition } from './measure';

const restraint: MeasureDefinition = {
  code: 'RESTRICTIVE_RATE',
  name: 'Restrictive interventions per 1,000 occupied bed days',
  description: 'MHS96: interventions ÷ bed days × 1000',
  scoringType: 'RATE',
  improvementDirection: 'DECREASE',
  multiplier: 1000,
  unit: 'per 1,000 bed days',
  periodicity: 'MONTH',
  numeratorLabel: 'Restrictive interventions',
  denominatorLabel: 'Occupied bed days',
  archived: false,
  version: 3,
};

describe('FHIR Measure', () => {
  test('a RATE is a ratio measure, lower is better, with its multiplier and two populations', () => {
    expect(toFhirMeasure(restraint)).toEqual({
      resourceType: 'Measure',
      id: 'RESTRICTIVE.RATE',
      url: 'https://relational-care.example.nhs.uk/fhir/Measure/RESTRICTIVE_RATE',
      identifier: [{ system: 'https://relational-care.example.nhs.uk/fhir/Id/measure-code', value: 'RESTRICTIVE_RATE' }],
      version: '3',
      title: 'Restrictive interventions per 1,000 occupied bed days',
      status: 'active',
      experimental: false,
      publisher: 'Relational Care Faculty',
      description: 'MHS96: interventions ÷ bed days × 1000',
      scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'ratio', display: 'Ratio' }] },
      improvementNotation: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'decrease', display: 'Decreased score indicates improvement' }],
      },
      rateAggregation: expect.stringContaining('× 1000'),
      extension: [{ url: 'https://relational-care.example.nhs.uk/fhir/StructureDefinition/multiplier', valueDecimal: 1000 }],
      group: [
        {
          description: 'Score in per 1,000 bed days; one report per calendar month.',
          population: [
            {
              code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'numerator', display: 'Numerator' }] },
              description: 'Restrictive interventions',
              criteria: { description: 'Restrictive interventions', language: 'text/cql', expression: 'Numerator' },
            },
            {
              code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'denominator', display: 'Denominator' }] },
              description: 'Occupied bed days',
              criteria: { description: 'Occupied bed days', language: 'text/cql', expression: 'Denominator' },
            },
          ],
        },
      ],
    });
  });

  test('every Measure we write is valid against the R4 JSON schema; the old text/plain criteria were not', () => {
    for (const scoringType of ['PROPORTION', 'RATE', 'MEAN', 'COUNT'] as const) {
      for (const improvementDirection of ['INCREASE', 'DECREASE', 'NEITHER'] as const) {
        expectValidFhir(toFhirMeasure({ ...restraint, scoringType, improvementDirection, description: '', stratifiers: ['ETHNICITY', 'SEX'] }));
      }
    }
    // The schema really checks the expression language (R4 binds it to text/cql | text/fhirpath | application/x-fhir-query).
    const measure = toFhirMeasure(restraint);
    const old = { ...measure, group: [{ ...measure.group[0], population: measure.group[0].population.map((p) => ({ ...p, criteria: { language: 'text/plain', expression: p.description } })) }] };
    expect(fhirSchemaErrors(old).join('\n')).toMatch(/language|enum|allowed/);
  });

  test('a measure reported by stratifiers declares them in its group, coded in our stratifier code system', () => {
    const measure = toFhirMeasure({ ...restraint, stratifiers: ['ETHNICITY', 'LEGAL_STATUS'] });
    expect(measure.group[0].stratifier).toEqual([
      {
        code: { coding: [{ system: 'https://relational-care.example.nhs.uk/fhir/CodeSystem/stratifier', code: 'ETHNICITY', display: 'Ethnic category' }] },
        description: 'Reported by Ethnic category',
        criteria: expect.objectContaining({ language: 'text/cql', expression: 'ETHNICITY' }),
      },
      expect.objectContaining({ code: { coding: [expect.objectContaining({ code: 'LEGAL_STATUS' })] } }),
    ]);
    expect(toFhirMeasure(restraint).group[0].stratifier).toBeUndefined();
  });

  test.each([
    ['PROPORTION', 'proportion', ['numerator', 'denominator']],
    ['RATE', 'ratio', ['numerator', 'denominator']],
    ['MEAN', 'continuous-variable', ['numerator', 'denominator']],
    ['COUNT', 'cohort', ['initial-population']],
  ] as const)('%s → scoring %s with populations %j', (scoringType, scoring, populations) => {
    const measure = toFhirMeasure({ ...restraint, scoringType, multiplier: null });
    expect(measure.scoring.coding![0].code).toBe(scoring);
    expect(measure.group[0].population.map((p) => p.code.coding![0].code)).toEqual(populations);
    expect(measure.extension).toBeUndefined();
  });

  test('INCREASE maps to increase; NEITHER has no improvement notation; archived is retired; the base is configurable', () => {
    const increase = toFhirMeasure({ ...restraint, improvementDirection: 'INCREASE' });
    expect(increase.improvementNotation!.coding![0].code).toBe('increase');
    const neither = toFhirMeasure({ ...restraint, improvementDirection: 'NEITHER', archived: true }, 'https://fhir.example.org/r4');
    expect(neither.improvementNotation).toBeUndefined();
    expect(neither.status).toBe('retired');
    expect(neither.url).toBe('https://fhir.example.org/r4/Measure/RESTRICTIVE_RATE');
  });

  test('canonical URLs, with or without a version, name a measure code', () => {
    expect(measureCodeFromCanonical('https://relational-care.example.nhs.uk/fhir/Measure/P1')).toBe('P1');
    expect(measureCodeFromCanonical('https://relational-care.example.nhs.uk/fhir/Measure/RESTRICTIVE.RATE|3')).toBe('RESTRICTIVE_RATE');
    expect(measureCodeFromCanonical('https://fhir.example.org/r4/Measure/P1', 'https://fhir.example.org/r4')).toBe('P1');
    expect(measureCodeFromCanonical('https://x.example/fhir/Library/P1')).toBeNull();
    expect(measureCodeFromCanonical('P1')).toBeNull();
  });

  test('only our canonical base names our measures', () => {
    for (const foreign of [
      'https://evil.example/fhir/Measure/P1',
      'https://relational-care.example.nhs.uk.evil.example/fhir/Measure/P1',
      'http://relational-care.example.nhs.uk/fhir/Measure/P1',
      'https://relational-care.example.nhs.uk/fhir/other/Measure/P1',
      'https://evil.example/?https://relational-care.example.nhs.uk/fhir/Measure/P1',
    ]) {
      expect([foreign, measureCodeFromCanonical(foreign)]).toEqual([foreign, null]);
      expect(parseMeasureCanonical(foreign)).toEqual({ problem: 'foreign-base' });
    }
    expect(parseMeasureCanonical('https://x.example/fhir/Library/P1')).toEqual({ problem: 'not-a-measure' });
    expect(parseMeasureCanonical('https://relational-care.example.nhs.uk/fhir/Measure/P1|2')).toEqual({ code: 'P1' });
  });

  test('ids and period ends', () => {
    expect(codeForFhirId(fhirIdForCode('A_B-C'))).toBe('A_B-C');
    expect(periodEnd('2024-02-01', 1)).toBe('2024-02-29');
    expect(periodEnd('2025-01-01', 3)).toBe('2025-03-31');
    expect(periodEnd('2024-12-01', 1)).toBe('2024-12-31');
  });
});
