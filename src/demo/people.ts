/** The demo trust's people (data/people.json), placed in the org units of the dataset's size. */
import { PEOPLE, type PersonEntry } from './catalogue';
import { matches, type FrontlineUnit } from './organisation';
import type { DatasetOrgUnit, DatasetPerson } from './types';

export function buildPeople(orgUnits: DatasetOrgUnit[], frontline: FrontlineUnit[]): DatasetPerson[] {
  const codes = new Set(orgUnits.map((u) => u.code));
  const unitOf = (ref: PersonEntry['orgUnit']): string | null => {
    if (ref === null) return null;
    // A directorate the dataset is too small to have leaves the person without a unit.
    if (typeof ref === 'string') return codes.has(ref) ? ref : null;
    return frontline.find((u) => matches(ref.firstOf, u))?.code ?? null;
  };
  return PEOPLE.people.map((p) => ({
    key: p.key,
    name: p.name,
    email: `${p.name.replace(/^Dr /, '').toLowerCase().replace(/[^a-z]+/g, '.')}@${PEOPLE.emailDomain}`,
    jobTitle: p.jobTitle,
    hasLivedExperience: p.hasLivedExperience,
    orgUnitCode: unitOf(p.orgUnit),
  }));
}
