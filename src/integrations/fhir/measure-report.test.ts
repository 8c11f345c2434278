import { expectValidFhir } from '../../../test/support/fhir-schema';
import type { MeasureDefinition } from './measure';
import {
  extractMeasureReports,
  mapMeasureReports,
  reportReferences,
  toFhirMeasureReport,
  type KnownReportMeasure,
  type ReportLookups,
} from './measure-report';

const POP = 'http://terminology.hl7.org/CodeSystem/measure-population';
const ODS = 'https://fhir.nhs.uk/Id/ods-organization-code';

const measures: Record<string, KnownReportMeasure> = {
  P1: { code: 'P1', scoringType: 'PROPORTION', periodicity: 'MONTH' },
  C1: { code: 'C1', scoringType: 'COUNT', periodicity: 'MONTH' },
  M1: { code: 'M1', scoringType: 'MEAN', periodicity: 'MONTH' },
  Q1: { code: 'Q1', scoringType: 'PROPORTION', periodicity: 'QUARTER' },
};
const lookups: ReportLookups = {
  measureByCode: (code) => measures[code] ?? null,
  orgUnitCode: ({ system, value }) => {
    if (system === ODS) return value === 'RXX' ? 'RXX' : value === 'RXX01' ? 'RXX-SITE' : null;
    return ['RXX-A', 'RXX-B'].includes(value) ? value : null;
  },
};

/** A summary MeasureReport as another system would write it by hand. */
function handWritten(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'MeasureReport',
    identifier: [{ system: 'https://epr.example.nhs.uk/reports', value: 'continuity-2025-01-RXX-A' }],
    status: 'complete',
    type: 'summary',
    measure: 'https://relational-care.example.nhs.uk/fhir/Measure/P1',
    reporter: { identifier: { system: 'https://relational-care.example.nhs.uk/fhir/Id/org-unit-code', value: 'RXX-A' } },
    period: { start: '2025-01-01', end: '2025-01-31' },
    group: [
      {
        population: [
          { code: { coding: [{ system: POP, code: 'initial-population' }] }, count: 50 },
          { code: { coding: [{ system: POP, code: 'denominator' }] }, count: 40 },
          { code: { coding: [{ system: POP, code: 'numerator' }] }, count: 31 },
        ],
        measureScore: { value: 0.775 },
      },
    ],
    ...overrides,
  };
}

const mapBody = (body: unknown) => {
  const extracted = extractMeasureReports(body);
  const mapped = mapMeasureReports(extracted.reports, lookups, { source: 'epr' });
  return { ...mapped, issues: [...extracted.issues, ...mapped.issues], bundleType: extracted.bundleType };
};

describe('MeasureReport → observation rows', () => {
  test('a hand-written proportion report: numerator and denominator populations, reporter, month, identifier', () => {
    const { rows, issues } = mapBody(handWritten());
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        entry: null,
        path: 'MeasureReport',
        row: { measureCode: 'P1', orgUnitCode: 'RXX-A', periodStart: '2025-01-01', numerator: 31, denominator: 40, source: 'epr', externalId: 'continuity-2025-01-RXX-A' },
        expressions: {
          measureCode: 'MeasureReport.measure',
          orgUnitCode: 'MeasureReport.reporter.identifier',
          periodStart: 'MeasureReport.period.start',
          numerator: 'MeasureReport.group[0].population[2].count',
          denominator: 'MeasureReport.group[0].population[1].count',
          externalId: 'MeasureReport.identifier[0].value',
          source: 'MeasureReport',
        },
      },
    ]);
  });

  test('a count reads the initial population; an Organization by ODS code; partial dates', () => {
    const report = handWritten({
      identifier: undefined,
      measure: 'https://relational-care.example.nhs.uk/fhir/Measure/C1|2',
      reporter: { identifier: { system: ODS, value: 'RXX01' }, display: 'A site' },
      period: { start: '2025-02', end: '2025-02-28T23:59:59Z' },
      group: [{ population: [{ code: { coding: [{ system: POP, code: 'initial-population' }] }, count: 7 }] }],
    });
    const { rows, issues } = mapBody(report);
    expect(issues).toEqual([]);
    expect(rows[0].row).toEqual({ measureCode: 'C1', orgUnitCode: 'RXX-SITE', periodStart: '2025-02-01', numerator: 7, denominator: null, source: 'epr', externalId: null });
  });

  test('a fractional figure travels in the exact-count extension', () => {
    const report = handWritten({
      measure: 'https://relational-care.example.nhs.uk/fhir/Measure/M1',
      group: [
        {
          population: [
            { code: { coding: [{ code: 'numerator' }] }, _count: { extension: [{ url: 'https://elsewhere.example/fhir/StructureDefinition/exact-count', valueDecimal: 412.5 }] } },
            { code: { coding: [{ code: 'denominator' }] }, count: 11 },
          ],
        },
      ],
    });
    expect(mapBody(report).rows[0].row).toMatchObject({ numerator: 412.5, denominator: 11 });
  });

  test('a Bundle: one row per entry, each entry’s problems named by FHIRPath, other resources refused', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: handWritten() },
        { resource: handWritten({ reporter: { identifier: { system: 'https://relational-care.example.nhs.uk/fhir/Id/org-unit-code', value: 'RXX-B' } } }) },
        { resource: { resourceType: 'Patient' } },
        { resource: handWritten({ status: 'pending', type: 'individual', period: { start: '2025-01-15' }, measure: 'https://relational-care.example.nhs.uk/fhir/Measure/NOPE', reporter: { identifier: { value: 'NOWHERE' } } }) },
      ],
    };
    const { rows, issues, bundleType } = mapBody(bundle);
    expect(bundleType).toBe('transaction');
    expect(rows.map((r) => [r.entry, r.row.orgUnitCode])).toEqual([
      [0, 'RXX-A'],
      [1, 'RXX-B'],
    ]);
    expect(rows[1].expressions.numerator).toBe('Bundle.entry[1].resource.group[0].population[2].count');
    expect(issues.map((i) => [i.entry, i.expression, i.code])).toEqual([
      [2, 'Bundle.entry[2].resource.resourceType', 'INVALID'],
      [3, 'Bundle.entry[3].resource.status', 'INVALID'],
      [3, 'Bundle.entry[3].resource.type', 'INVALID'],
      [3, 'Bundle.entry[3].resource.measure', 'UNKNOWN_MEASURE'],
      [3, 'Bundle.entry[3].resource.reporter.identifier', 'UNKNOWN_ORG_UNIT'],
      [3, 'Bundle.entry[3].resource.period.start', 'PERIOD_NOT_ALIGNED'],
    ]);
  });

  test.each([
    ['no measure', 'measure', 'REQUIRED', { measure: undefined }],
    ['not a Measure URL', 'measure', 'INVALID', { measure: 'https://x.example/Library/P1' }],
    ['no reporter', 'reporter', 'REQUIRED', { reporter: { reference: 'Organization/123' } }],
    ['no period', 'period.start', 'REQUIRED', { period: undefined }],
    ['period ends mid-month', 'period.end', 'PERIOD_NOT_ALIGNED', { period: { start: '2025-01-01', end: '2025-01-15' } }],
    ['a monthly end for a quarterly measure', 'period.end', 'PERIOD_NOT_ALIGNED', { measure: 'https://relational-care.example.nhs.uk/fhir/Measure/Q1', period: { start: '2025-01-01', end: '2025-01-31' } }],
    ['a measure under another canonical base', 'measure', 'UNKNOWN_CANONICAL_BASE', { measure: 'https://evil.example/fhir/Measure/P1' }],
    ['two groups', 'group', 'INVALID', { group: [{}, {}] }],
    ['no group', 'group', 'REQUIRED', { group: [] }],
    ['a fractional count', 'group[0].population[0].count', 'INVALID', { group: [{ population: [{ code: { coding: [{ code: 'numerator' }] }, count: 1.5 }, { code: { coding: [{ code: 'denominator' }] }, count: 3 }] }] }],
    ['a masked count', 'group[0].population[0].count', 'MASKED', { group: [{ population: [{ code: { coding: [{ code: 'numerator' }] }, _count: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] } }] }] }],
    ['a rounded export', 'extension', 'DISCLOSURE_CONTROLLED', { extension: [{ url: 'https://x.example/fhir/StructureDefinition/disclosure-control', valueCode: 'suppressed-and-rounded' }] }],
    ['a pooled directorate figure', 'extension', 'POOLED', { extension: [{ url: 'https://x.example/fhir/StructureDefinition/pooling', valueCode: 'subtree' }, { url: 'https://x.example/fhir/StructureDefinition/contributors', valueInteger: 3 }] }],
  ])('%s → %s %s, no row', (_name, element, code, overrides) => {
    const { rows, issues } = mapBody(handWritten(overrides));
    expect(rows).toEqual([]);
    expect(issues).toContainEqual(expect.objectContaining({ expression: `MeasureReport.${element}`, code, entry: null }));
  });

  test('a missing population is left to row validation (REQUIRED with its meaning), pointing at the populations', () => {
    const { rows, issues } = mapBody(handWritten({ group: [{ population: [{ code: { coding: [{ code: 'denominator' }] }, count: 3 }] }] }));
    expect(issues).toEqual([]);
    expect(rows[0].row.numerator).toBeNull();
    expect(rows[0].expressions.numerator).toBe('MeasureReport.group[0].population');
  });

  test.each([
    ['not an object', [1, 2], ''],
    ['another resource', { resourceType: 'Observation' }, 'resourceType'],
    ['a Bundle of an unsupported type', { resourceType: 'Bundle', type: 'document', entry: [{ resource: handWritten() }] }, 'Bundle.type'],
    ['an empty Bundle', { resourceType: 'Bundle', type: 'batch', entry: [] }, 'Bundle.entry'],
  ])('%s is refused whole', (_name, body, expression) => {
    const extracted = extractMeasureReports(body);
    expect(extracted.issues).toContainEqual(expect.objectContaining({ expression, entry: null }));
  });

  test('references: the measure codes and reporter identifiers to look up', () => {
    const { reports } = extractMeasureReports({ resourceType: 'Bundle', type: 'batch', entry: [{ resource: handWritten() }, { resource: handWritten({ reporter: { identifier: { system: ODS, value: 'RXX' } } }) }] });
    expect(reportReferences(reports)).toEqual({
      measureCodes: ['P1'],
      reporters: [
        { system: 'https://relational-care.example.nhs.uk/fhir/Id/org-unit-code', value: 'RXX-A' },
        { system: ODS, value: 'RXX' },
      ],
    });
  });
});

describe('observation → MeasureReport', () => {
  const p1: MeasureDefinition = {
    code: 'P1',
    name: 'Seen by the same clinician',
    description: '',
    scoringType: 'PROPORTION',
    improvementDirection: 'INCREASE',
    multiplier: null,
    unit: '%',
    periodicity: 'MONTH',
    numeratorLabel: null,
    denominatorLabel: null,
    archived: false,
    version: 1,
  };
  const input = {
    measure: p1,
    orgUnit: { code: 'RXX-A', name: 'Team A', odsCode: null },
    periodStart: '2024-02-01',
    figures: { numerator: 31, denominator: 40, value: 0.775 },
    pooling: 'unit' as const,
    contributors: 1,
    disclosureControlled: false,
    generatedAt: new Date('2025-03-04T05:06:07Z'),
    externalId: 'a-feb',
  };

  test('a summary report with the measure canonical, the whole month, populations and score', () => {
    expect(toFhirMeasureReport(input)).toEqual({
      resourceType: 'MeasureReport',
      extension: [
        { url: 'https://relational-care.example.nhs.uk/fhir/StructureDefinition/pooling', valueCode: 'unit' },
        { url: 'https://relational-care.example.nhs.uk/fhir/StructureDefinition/contributors', valueInteger: 1 },
        { url: 'https://relational-care.example.nhs.uk/fhir/StructureDefinition/disclosure-control', valueCode: 'none' },
      ],
      identifier: [{ value: 'a-feb' }],
      status: 'complete',
      type: 'summary',
      measure: 'https://relational-care.example.nhs.uk/fhir/Measure/P1',
      date: '2025-03-04T05:06:07.000Z',
      reporter: { identifier: { system: 'https://relational-care.example.nhs.uk/fhir/Id/org-unit-code', value: 'RXX-A' }, display: 'Team A' },
      period: { start: '2024-02-01', end: '2024-02-29' },
      improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase', display: 'Increased score indicates improvement' }] },
      group: [
        {
          population: [
            { code: { coding: [{ system: POP, code: 'numerator', display: 'Numerator' }] }, count: 31 },
            { code: { coding: [{ system: POP, code: 'denominator', display: 'Denominator' }] }, count: 40 },
          ],
          measureScore: { value: 0.775, unit: '1', system: 'http://unitsofmeasure.org', code: '1' },
        },
      ],
    });
  });

  test('withheld figures are marked absent (masked); an ODS code names the reporter', () => {
    const report = toFhirMeasureReport({
      ...input,
      orgUnit: { code: 'RXX', name: 'Trust', odsCode: 'RXX' },
      figures: { numerator: null, denominator: null, value: null },
      disclosureControlled: true,
      pooling: 'subtree',
      contributors: 4,
    });
    expect(report.reporter.identifier).toEqual({ system: ODS, value: 'RXX' });
    expect(report.group[0].population[0]).toEqual({
      code: { coding: [{ system: POP, code: 'numerator', display: 'Numerator' }] },
      _count: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] },
    });
    expect(report.group[0].measureScore).toEqual({ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] });
    expect(report.extension).toContainEqual({ url: 'https://relational-care.example.nhs.uk/fhir/StructureDefinition/disclosure-control', valueCode: 'suppressed-and-rounded' });
  });

  test('export then import reproduces the components, including a fractional MEAN sum and a COUNT', () => {
    const m1 = { ...p1, code: 'M1', scoringType: 'MEAN' as const, unit: 'score' };
    const c1 = { ...p1, code: 'C1', scoringType: 'COUNT' as const, unit: null };
    const exported = [
      toFhirMeasureReport({ ...input, measure: m1, figures: { numerator: 412.5, denominator: 11, value: 37.5 } }),
      toFhirMeasureReport({ ...input, measure: c1, figures: { numerator: 7, denominator: null, value: 7 }, externalId: null }),
    ];
    const { rows, issues } = mapBody({ resourceType: 'Bundle', type: 'collection', entry: exported.map((resource) => ({ resource })) });
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.row)).toEqual([
      { measureCode: 'M1', orgUnitCode: 'RXX-A', periodStart: '2024-02-01', numerator: 412.5, denominator: 11, source: 'epr', externalId: 'a-feb' },
      { measureCode: 'C1', orgUnitCode: 'RXX-A', periodStart: '2024-02-01', numerator: 7, denominator: null, source: 'epr', externalId: null },
    ]);
  });

  test('every report we write is valid R4: true, masked, fractional, with and without strata', () => {
    const m1 = { ...p1, code: 'M1', scoringType: 'MEAN' as const, unit: 'score' };
    const strata = [
      { stratifier: 'ETHNICITY', code: '99', numerator: 1, denominator: 2 },
      { stratifier: 'ETHNICITY', code: 'A', numerator: 30, denominator: 38 },
      { stratifier: 'SEX', code: '2', numerator: 31, denominator: 40 },
    ];
    for (const report of [
      toFhirMeasureReport({ ...input, id: 'unit-1-2-2024-02', strata }),
      toFhirMeasureReport({ ...input, figures: { numerator: null, denominator: null, value: null }, disclosureControlled: true }),
      toFhirMeasureReport({ ...input, measure: m1, figures: { numerator: 412.5, denominator: 11, value: 37.5 }, strata: [{ stratifier: 'SEX', code: '1', numerator: 412.5, denominator: 0 }] }),
    ]) {
      expectValidFhir(report);
    }
  });

  test('strata are exported per stratifier, in the stratifier’s code order, coded, with populations and score; no score for a zero denominator', () => {
    const report = toFhirMeasureReport({
      ...input,
      measure: { ...p1, stratifiers: ['SEX', 'ETHNICITY'] },
      strata: [
        { stratifier: 'ETHNICITY', code: '99', numerator: 1, denominator: 2 },
        { stratifier: 'ETHNICITY', code: 'A', numerator: 30, denominator: 38 },
        { stratifier: 'SEX', code: '9', numerator: 0, denominator: 0 },
        { stratifier: 'SEX', code: '2', numerator: 31, denominator: 40 },
      ],
    });
    const [sex, ethnicity] = report.group[0].stratifier!;
    expect(sex.code).toEqual([{ coding: [{ system: 'https://relational-care.example.nhs.uk/fhir/CodeSystem/stratifier', code: 'SEX', display: 'Stated gender' }] }]);
    expect(sex.stratum.map((s) => [s.value.coding![0].code, s.measureScore?.value])).toEqual([
      ['2', 31 / 40],
      ['9', undefined],
    ]);
    // A (White: British) comes before 99 (not known) in the Data Dictionary's order
    expect(ethnicity.stratum.map((s) => s.value.coding![0].code)).toEqual(['A', '99']);
    expect(ethnicity.stratum[0]).toEqual({
      value: { coding: [{ system: 'https://relational-care.example.nhs.uk/fhir/CodeSystem/stratum-ETHNICITY', code: 'A', display: 'White: British' }], text: 'White: British' },
      population: [
        { code: { coding: [{ system: POP, code: 'numerator', display: 'Numerator' }] }, count: 30 },
        { code: { coding: [{ system: POP, code: 'denominator', display: 'Denominator' }] }, count: 38 },
      ],
      measureScore: { value: 30 / 38, unit: '1', system: 'http://unitsofmeasure.org', code: '1' },
    });
    expect(toFhirMeasureReport(input).group[0].stratifier).toBeUndefined();
  });

  test('a stratified report maps to the whole and a row per stratum, each pointing at its own elements', () => {
    const exported = toFhirMeasureReport({ ...input, strata: [{ stratifier: 'ETHNICITY', code: 'M', numerator: 31, denominator: 40 }] });
    const { rows, issues } = mapBody(exported);
    expect(issues).toEqual([]);
    expect(rows.map((r) => r.row)).toEqual([
      { measureCode: 'P1', orgUnitCode: 'RXX-A', periodStart: '2024-02-01', numerator: 31, denominator: 40, source: 'epr', externalId: 'a-feb' },
      { measureCode: 'P1', orgUnitCode: 'RXX-A', periodStart: '2024-02-01', numerator: 31, denominator: 40, source: 'epr', externalId: null, stratum: { stratifier: 'ETHNICITY', code: 'M' } },
    ]);
    expect(rows[1].expressions).toMatchObject({
      stratum: 'MeasureReport.group[0].stratifier[0].stratum[0].value',
      numerator: 'MeasureReport.group[0].stratifier[0].stratum[0].population[0].count',
      denominator: 'MeasureReport.group[0].stratifier[0].stratum[0].population[1].count',
    });
  });

  test('unreadable strata are named by FHIRPath: no stratifier code, no stratum value, components, a masked stratum count', () => {
    const base = handWritten();
    const group = (base.group as Array<Record<string, unknown>>)[0];
    const withStrata = (stratifier: unknown[]) => ({ ...base, group: [{ ...group, stratifier }] });
    const pop = (code: string, count: unknown) => ({ code: { coding: [{ system: POP, code }] }, ...(count === 'masked' ? { _count: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'masked' }] } } : { count }) });
    const cases: Array<[unknown[], Array<[string, string]>]> = [
      [[{ stratum: [{ value: { coding: [{ code: 'A' }] } }] }], [['MeasureReport.group[0].stratifier[0].code', 'REQUIRED']]],
      [[{ code: [{ coding: [{ system: 'https://other.example/cs', code: 'ETHNICITY' }] }], stratum: [] }], [['MeasureReport.group[0].stratifier[0].code', 'REQUIRED']]],
      [[{ code: [{ coding: [{ code: 'ETHNICITY' }] }], stratum: [] }], [['MeasureReport.group[0].stratifier[0].stratum', 'REQUIRED']]],
      [[{ code: [{ coding: [{ code: 'ETHNICITY' }] }], stratum: [{ population: [pop('numerator', 1)] }] }], [['MeasureReport.group[0].stratifier[0].stratum[0].value', 'REQUIRED']]],
      [[{ code: [{ coding: [{ code: 'ETHNICITY' }] }], stratum: [{ component: [] }] }], [['MeasureReport.group[0].stratifier[0].stratum[0].component', 'INVALID']]],
      [
        [{ code: [{ coding: [{ code: 'SEX' }] }], stratum: [{ value: { coding: [{ code: '1' }] }, population: [pop('numerator', 'masked'), pop('denominator', 4)] }] }],
        [['MeasureReport.group[0].stratifier[0].stratum[0].population[0].count', 'MASKED']],
      ],
    ];
    for (const [stratifier, expected] of cases) {
      const { rows, issues } = mapBody(withStrata(stratifier));
      expect([JSON.stringify(stratifier), rows, issues.map((i) => [i.expression, i.code])]).toEqual([JSON.stringify(stratifier), [], expected]);
    }
  });
});
