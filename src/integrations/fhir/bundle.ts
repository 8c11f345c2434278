import type { Bundle, BundleEntry, BundleLink, FhirResource } from 'fhir/r4';
import type { OperationOutcome } from './operation-outcome';

/**
 * The Bundles the server answers with (pure): `searchset` for searches, `batch-response` and
 * `transaction-response` for posted Bundles. Typed with @types/fhir's R4 definitions.
 */

export interface SearchPage<T extends FhirResource> {
  /** the absolute URL of this search, our parameters only, in a stable order */
  selfUrl: string;
  /** the URL of the next page, when there is one */
  nextUrl: string | null;
  previousUrl: string | null;
  total: number;
  /** each match with its absolute URL */
  matches: Array<{ fullUrl: string; resource: T }>;
  /** warnings (e.g. an unknown measure or org unit) as an OperationOutcome entry, search.mode `outcome` */
  outcome: OperationOutcome | null;
}

export function searchsetBundle<T extends FhirResource>(page: SearchPage<T>): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: page.selfUrl }];
  if (page.previousUrl) link.push({ relation: 'previous', url: page.previousUrl });
  if (page.nextUrl) link.push({ relation: 'next', url: page.nextUrl });
  const entry: BundleEntry[] = page.matches.map(({ fullUrl, resource }) => ({ fullUrl, resource, search: { mode: 'match' } }));
  if (page.outcome) entry.push({ resource: page.outcome as FhirResource, search: { mode: 'outcome' } });
  return { resourceType: 'Bundle', type: 'searchset', total: page.total, link, ...(entry.length > 0 ? { entry } : {}) };
}

export interface EntryResponse {
  /** e.g. `201 Created`, `200 OK`, `400 Bad Request` */
  status: string;
  /** `MeasureReport/<id>` of the report the entry wrote */
  location?: string;
  outcome?: OperationOutcome;
}

export function responseBundle(type: 'batch-response' | 'transaction-response', entries: readonly EntryResponse[]): Bundle {
  return {
    resourceType: 'Bundle',
    type,
    entry: entries.map((e) => ({
      response: { status: e.status, ...(e.location ? { location: e.location } : {}), ...(e.outcome ? { outcome: e.outcome as FhirResource } : {}) },
    })),
  };
}

/** The reason phrase FHIR's Bundle.entry.response.status carries after the code. */
export function statusLine(status: number): string {
  const phrases: Record<number, string> = { 200: 'OK', 201: 'Created', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity' };
  return `${status} ${phrases[status] ?? ''}`.trim();
}
