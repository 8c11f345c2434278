import { boundEchoes } from '../../lib/bounded-text';
import { fhirUrls, type Extension } from './fhir-common';
import type { ReportIssue } from './measure-report';

/** FHIR R4 OperationOutcome: how every FHIR endpoint answers an error, and an import its summary. */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: string;
  details?: { coding?: Array<{ system: string; code: string }>; text: string };
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  extension?: Extension[];
  issue: OperationOutcomeIssue[];
}

/** Our stable problem codes → the FHIR issue type (http://hl7.org/fhir/issue-type). */
export function issueType(code: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'forbidden';
    case 'UNKNOWN_MEASURE':
    case 'UNKNOWN_ORG_UNIT':
    case 'NOT_FOUND':
      return 'not-found';
    case 'REQUIRED':
      return 'required';
    case 'DUPLICATE_IN_BATCH':
      return 'duplicate';
    case 'EXTERNAL_ID_CONFLICT':
    case 'CONFLICT':
      return 'conflict';
    case 'TOO_MANY_ROWS':
      return 'too-costly';
    case 'INVALID':
    case 'UNKNOWN_CANONICAL_BASE':
      return 'invalid';
    case 'NEGATIVE':
    case 'NOT_INTEGER':
    case 'NOT_FINITE':
    case 'TOO_LARGE':
    case 'PERIOD_NOT_ALIGNED':
      return 'value';
    default:
      // PERIOD_IN_FUTURE, ZERO_DENOMINATOR, NUMERATOR_EXCEEDS_DENOMINATOR, ARCHIVED, POOLED, MASKED, ...
      return 'business-rule';
  }
}

export function operationOutcome(severity: IssueSeverity, code: string, text: string, extra: Partial<OperationOutcomeIssue> = {}): OperationOutcome {
  const message = boundEchoes(text);
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: message, details: { text: message }, ...extra }] };
}

/** One error issue per problem, each with its FHIRPath and our code for machines. */
export function issuesOutcome(issues: readonly ReportIssue[], base?: string): OperationOutcome {
  const system = fhirUrls(base).importErrorSystem;
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: 'error',
      code: issueType(i.code),
      details: { coding: [{ system, code: i.code }], text: boundEchoes(i.message) },
      diagnostics: boundEchoes(i.message),
      ...(i.expression ? { expression: [i.expression] } : {}),
    })),
  };
}

export interface ImportCounts {
  reports: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dryRun: boolean;
}

/** The summary of an accepted import, with any entries a batch refused listed after it. */
/**
 * `outcomesWithheld`: the sender may not read the stored figures, so it is told how many reports
 * were accepted, never which were new, changed or unchanged (that would say whether a sent figure
 * matched the stored one).
 */
export function importOutcome(counts: ImportCounts, rejected: readonly ReportIssue[], base?: string, outcomesWithheld = false): OperationOutcome {
  const urls = fhirUrls(base);
  const accepted = counts.created + counts.updated + counts.unchanged;
  const outcome = outcomesWithheld
    ? `accepted ${accepted} (created, updated and unchanged are withheld: this key may not read the stored figures)`
    : `created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}`;
  const summary = `${counts.reports} report${counts.reports === 1 ? '' : 's'}: ${outcome}, rejected ${counts.rejected}${counts.dryRun ? ' (dry run: nothing was written)' : ''}`;
  const shownCounts = outcomesWithheld ? { created: 0, updated: 0, unchanged: 0 } : counts;
  return {
    resourceType: 'OperationOutcome',
    extension: [
      {
        url: urls.importCounts,
        extension: [
          { url: 'created', valueInteger: shownCounts.created },
          { url: 'updated', valueInteger: shownCounts.updated },
          { url: 'unchanged', valueInteger: shownCounts.unchanged },
          { url: 'accepted', valueInteger: accepted },
          { url: 'outcomesWithheld', valueBoolean: outcomesWithheld },
          { url: 'rejected', valueInteger: counts.rejected },
          { url: 'dryRun', valueBoolean: counts.dryRun },
        ],
      },
    ],
    issue: [{ severity: 'information', code: 'informational', diagnostics: summary, details: { text: summary } }, ...issuesOutcome(rejected, base).issue],
  };
}
