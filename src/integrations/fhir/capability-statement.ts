import type { CapabilityStatement } from 'fhir/r4';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './fhir-search';

/**
 * `GET /fhir/metadata`: exactly what the server serves, no more (pure). Every interaction and
 * search parameter listed here has a route and a test; anything else answers 404 or 400.
 */
export const MEASURE_SEARCH_PARAMS = ['_id', 'url', 'identifier', 'status', '_count', '_offset'] as const;
export const MEASURE_REPORT_SEARCH_PARAMS = ['measure', 'subject', 'reporter', 'period', 'pooled', '_count', '_offset'] as const;

export function capabilityStatement(options: { baseUrl: string; date: string; cors: boolean }): CapabilityStatement {
  const paging = [
    { name: '_count', type: 'number' as const, documentation: `Page size, ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}; 0 answers the total alone` },
    { name: '_offset', type: 'number' as const, documentation: 'How many matches to skip (the next and previous links carry it)' },
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'Relational Care Faculty',
    kind: 'instance',
    software: { name: 'relational-care-graph' },
    implementation: { description: 'Relational Care Graph: measures and summary MeasureReports of an NHS mental-health trust', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Reads and searches are searchset Bundles; a posted Bundle of type batch or transaction is answered with a batch-response or transaction-response Bundle. Errors are OperationOutcomes.',
        security: {
          cors: options.cors,
          description: 'Authorization: Bearer <API key or OpenID Connect token>, the same credentials as the GraphQL API. Readers who may not see a unit’s true figures get NHS small-number suppression.',
        },
        resource: [
          {
            type: 'Measure',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            versioning: 'no-version',
            searchParam: [
              { name: '_id', type: 'token', documentation: 'The Measure id: its code with _ written as .' },
              { name: 'url', type: 'uri', documentation: 'The canonical URL <base>/Measure/<code>' },
              { name: 'identifier', type: 'token', documentation: '[<base>/Id/measure-code|]<code>' },
              { name: 'status', type: 'token', documentation: 'active or retired (archived)' },
              ...paging,
            ],
          },
          {
            type: 'MeasureReport',
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
            versioning: 'no-version',
            conditionalCreate: false,
            searchParam: [
              { name: 'measure', type: 'reference', documentation: 'A measure code, its Measure id, or its canonical URL' },
              { name: 'subject', type: 'reference', documentation: 'An org unit: <code>, Organization/<code>, or <system>|<value> (e.g. an ODS code)' },
              { name: 'reporter', type: 'reference', documentation: 'As subject' },
              { name: 'period', type: 'date', documentation: 'eq, ge, le, gt or lt, repeatable (period=ge2025-04-01&period=le2026-03-31); a bare YYYY-MM is the reports within that month' },
              { name: 'pooled', type: 'token', documentation: 'true (default): pooled over the org unit’s subtree; false: the unit’s own observation' },
              ...paging,
            ],
          },
        ],
        interaction: [{ code: 'batch' }, { code: 'transaction' }],
      },
    ],
  };
}
