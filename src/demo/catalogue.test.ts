import { MEASURES, ORGANISATION, parseDemoData, PEOPLE, WORKSTREAMS } from './catalogue';
import measures from './data/measures.json';
import orgUnits from './data/org-units.json';
import people from './data/people.json';
import workstreams from './data/workstreams.json';
import { MODELS } from './measure-models';
import { UNIT_KINDS } from './types';

/** The shipped data files, as plain (unfrozen) copies a test may break. */
function files() {
  return structuredClone({ orgUnits, people, workstreams, measures });
}

describe('the demo data files', () => {
  it('load and agree with each other', () => {
    expect(ORGANISATION.trust.code).toBe('RZZ');
    expect(Object.keys(ORGANISATION.unitKinds).sort()).toEqual([...UNIT_KINDS].sort());
    expect(PEOPLE.people.length).toBeGreaterThan(0);
    expect(WORKSTREAMS.length).toBeGreaterThan(0);
    expect(MEASURES.map((m) => m.code).sort()).toEqual(Object.keys(MODELS).sort());
    expect(() => parseDemoData(files())).not.toThrow();
  });

  it('are read-only once loaded', () => {
    expect(Object.isFrozen(MEASURES)).toBe(true);
    expect(Object.isFrozen(WORKSTREAMS[0].aims)).toBe(true);
  });

  it('reject a misspelt field, naming the file', () => {
    const f = files();
    const [first, ...rest] = f.workstreams;
    const { startMonth, ...others } = first;
    f.workstreams = [{ ...others, startMonht: startMonth } as unknown as typeof first, ...rest];
    expect(() => parseDemoData(f)).toThrow(/workstreams\.json is not valid[\s\S]*startMonht/);
  });

  it('reject a value outside its enum', () => {
    const f = files();
    f.measures[0].scoringType = 'AVERAGE';
    expect(() => parseDemoData(f)).toThrow(/measures\.json is not valid/);
    const g = files();
    g.workstreams[0].teams = { kinds: ['WARD'] };
    expect(() => parseDemoData(g)).toThrow(/workstreams\.json is not valid/);
  });

  it('reject references to people, workstreams and directorates that do not exist', () => {
    const lead = files();
    lead.workstreams[0].leads[0].personKey = 'nobody';
    expect(() => parseDemoData(lead)).toThrow(/workstream CULTURE-OF-CARE: no person nobody/);
    const owner = files();
    owner.measures[0].ownerKey = 'nobody';
    expect(() => parseDemoData(owner)).toThrow(/measure CARE-MEAN: no person nobody/);
    const link = files();
    link.measures[0].workstreamCodes = ['NO-SUCH-WORKSTREAM'];
    expect(() => parseDemoData(link)).toThrow(/no workstream NO-SUCH-WORKSTREAM/);
    const unit = files();
    unit.people.people[0].orgUnit = 'RZZ-NOPE';
    expect(() => parseDemoData(unit)).toThrow(/no trust or directorate RZZ-NOPE/);
    const service = files();
    service.orgUnits.unitKinds.PICU.service = 'XYZ';
    expect(() => parseDemoData(service)).toThrow(/unit kind PICU: no service XYZ/);
  });

  it('reject duplicate codes', () => {
    const f = files();
    f.measures = [...f.measures, f.measures[0]];
    expect(() => parseDemoData(f)).toThrow(/duplicate measure code: CARE-MEAN/);
  });
});
