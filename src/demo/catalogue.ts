/**
 * The demonstration trust's fixed content, read from the data files beside this module and
 * checked once, when it is first imported: every file against its schema, then the references
 * between them (leads and owners are people, measures link to workstreams that exist, ...).
 * A mistake in a data file fails loudly here rather than as odd numbers later.
 *
 *   data/org-units.json   the trust, its directorates, and how services, wards and teams are named
 *   data/people.json      the people who lead workstreams and own measures
 *   data/workstreams.json the faculty's workstreams: aims, teams, leads, milestones, involvement
 *   data/measures.json    the measure catalogue: definitions, trust targets, principle and workstream links
 *
 * Dates in the data are months relative to the dataset's last period (0 is endPeriod, -18 is
 * eighteen months before), so the same content fits any window. The generators that turn this
 * content into org units and observations are code (organisation.ts, measure-models.ts, ...).
 */
import { z } from 'zod';
import {
  Audience,
  ImprovementDirection,
  InvolvementKind,
  MilestoneStatus,
  PrincipleKey,
  ScoringType,
  WorkstreamLeadRole,
  WorkstreamStatus,
} from '../generated/prisma/enums';
import { DEMO_INPATIENT_DIRECTORATE_CODE, DEMO_SMALL_WARD, DEMO_TRUST_CODE, RESTRICTIVE_PRACTICE_MEASURE_CODES } from './constants';
import { APPLIES_TO, UNIT_KINDS } from './types';
import measuresJson from './data/measures.json';
import orgUnitsJson from './data/org-units.json';
import peopleJson from './data/people.json';
import workstreamsJson from './data/workstreams.json';

// ---------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------

const text = z.string().min(1);
const code = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/);
/** months relative to the dataset's last period */
const month = z.number().int();
const unitKind = z.enum(UNIT_KINDS);

export const FAMILIES = ['INPATIENT', 'COMMUNITY', 'CRISIS'] as const;
export type Family = (typeof FAMILIES)[number];
const family = z.enum(FAMILIES);

/**
 * Which frontline units: every condition given must hold. `firstOfFamily`: in the first
 * directorate of its family (where the named demo wards and teams live); `ordinalBelow`: among
 * the first n units of its kind in its directorate.
 */
const unitFilter = z
  .strictObject({
    kinds: z.array(unitKind).min(1).optional(),
    exceptKinds: z.array(unitKind).min(1).optional(),
    firstOfFamily: z.boolean().optional(),
    ordinalBelow: z.number().int().positive().optional(),
  })
  .refine((f) => Object.keys(f).length > 0, 'a unit filter needs at least one condition');
/** A filter, or units matching any of several. */
const unitSelector = z.union([unitFilter, z.strictObject({ anyOf: z.array(unitFilter).min(1) })]);
export type UnitFilter = z.infer<typeof unitFilter>;
export type UnitSelector = z.infer<typeof unitSelector>;

const unitKindSpec = z.strictObject({
  /** the name's fixed part; organisation.ts adds the place, locality or number */
  name: text,
  /** the service (a key of `services`) the unit sits under */
  service: z.string().regex(/^[A-Z]{3}$/),
  /** headcount at the start of the window, before a small random difference per unit */
  staff: z.number().int().positive(),
  /** wards: a fixed number of beds, or [min, max] drawn per ward */
  beds: z.union([z.number().int().positive(), z.tuple([z.number().int().positive(), z.number().int().positive()])]).optional(),
  /** a service commissioned during the window opens in this month (no data before it) */
  opensMonth: month.optional(),
});

const organisationSchema = z.strictObject({
  trust: z.strictObject({ code, name: text }),
  /** the named directorates, in order; `place` prefixes community unit names */
  directorates: z.array(z.strictObject({ code: z.string().regex(/^[A-Z0-9]{2,8}$/), name: text, family, place: z.string() })).min(1),
  /** directorates beyond the named ones (benchmark sizes): family by position, named after a place */
  extraDirectorates: z.strictObject({
    families: z.array(family).min(1),
    places: z.array(text).min(1),
    names: z.record(family, text),
  }),
  /** the services under each directorate, by code: their names' fixed part */
  services: z.record(z.string().regex(/^[A-Z]{3}$/), text),
  /** units per service before a second service of the same sort is opened (benchmark sizes) */
  maxUnitsPerService: z.number().int().positive(),
  unitKinds: z.record(unitKind, unitKindSpec),
  acuteWardNames: z.array(text).min(1),
  cmhtLocalities: z.array(text).min(1),
  /** the first crisis directorate's units serve the named community places */
  firstCrisisDirectorate: z.strictObject({ homeTreatmentPlaces: z.tuple([text, text]), crisisHousePlace: text, communityHubPlace: text }),
});

const peopleSchema = z.strictObject({
  /** emails are the name (without "Dr") in lower case, dot-separated, at this domain */
  emailDomain: text,
  people: z.array(
    z.strictObject({
      key: z.string().regex(/^[a-z][a-z0-9-]*$/),
      name: text,
      jobTitle: text,
      hasLivedExperience: z.boolean(),
      /**
       * A fixed org unit (the trust or a directorate: none when the dataset has no such
       * directorate), the first unit matching a selector (none when nothing matches), or none.
       */
      orgUnit: z.union([code, z.strictObject({ firstOf: unitSelector }), z.null()]),
    }),
  ),
});

const workstreamSchema = z.strictObject({
  code,
  name: text,
  description: text,
  aims: z.array(text),
  status: z.enum(WorkstreamStatus),
  startMonth: month,
  /** ends on the last day of this month; null: open-ended */
  endMonth: month.nullable(),
  principles: z.array(z.enum(PrincipleKey)),
  /** the frontline units taking part */
  teams: unitSelector,
  leads: z.array(z.strictObject({ personKey: text, role: z.enum(WorkstreamLeadRole) })),
  /** due on the 28th of dueMonth; completed (when it was) on the 12th of completedMonth */
  milestones: z.array(z.strictObject({ title: text, dueMonth: month, status: z.enum(MilestoneStatus), completedMonth: month.optional() })),
  involvement: z.array(
    z.strictObject({ kind: z.enum(InvolvementKind), description: text, peopleCount: z.number().int().nonnegative(), startedMonth: month }),
  ),
});

const measureSchema = z.strictObject({
  code,
  name: text,
  description: text,
  scoringType: z.enum(ScoringType),
  improvementDirection: z.enum(ImprovementDirection),
  multiplier: z.number().positive().nullable(),
  unit: text,
  audience: z.enum(Audience),
  numeratorLabel: text,
  denominatorLabel: text.nullable(),
  ownerKey: text,
  principles: z.array(z.enum(PrincipleKey)),
  workstreamCodes: z.array(code),
  trustTarget: z.number().nullable(),
  appliesTo: z.enum(APPLIES_TO),
  /** narrower than appliesTo: only units of these kinds, or members of this workstream */
  recordedAt: z.strictObject({ kinds: z.array(unitKind).min(1), orMembersOf: code.optional() }).optional(),
});

export type OrganisationData = z.infer<typeof organisationSchema>;
export type UnitKindSpec = z.infer<typeof unitKindSpec>;
export type PeopleData = z.infer<typeof peopleSchema>;
export type PersonEntry = PeopleData['people'][number];
export type WorkstreamEntry = z.infer<typeof workstreamSchema>;
export type MeasureEntry = z.infer<typeof measureSchema>;

// ---------------------------------------------------------------------------------------
// Loading and checking
// ---------------------------------------------------------------------------------------

function parse<T>(file: string, schema: z.ZodType<T>, json: unknown): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(`src/demo/data/${file} is not valid:\n${z.prettifyError(result.error)}`);
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`Demo data: ${message}`);
}

function unique(what: string, values: string[]): Set<string> {
  const set = new Set(values);
  check(set.size === values.length, `duplicate ${what}: ${values.filter((v, i) => values.indexOf(v) !== i).join(', ')}`);
  return set;
}

/** The content of the four data files, parsed and checked. */
export interface DemoData {
  organisation: OrganisationData;
  people: PeopleData;
  workstreams: readonly WorkstreamEntry[];
  /** the catalogue: the first measures of every dataset, before any benchmark variants */
  measures: readonly MeasureEntry[];
}

/** Parses the data files' JSON and checks the references between them; throws on any mistake. */
export function parseDemoData(files: { orgUnits: unknown; people: unknown; workstreams: unknown; measures: unknown }): DemoData {
  const data: DemoData = {
    organisation: parse('org-units.json', organisationSchema, files.orgUnits),
    people: parse('people.json', peopleSchema, files.people),
    workstreams: parse('workstreams.json', z.array(workstreamSchema).min(1), files.workstreams),
    measures: parse('measures.json', z.array(measureSchema).min(1), files.measures),
  };
  checkReferences(data);
  return data;
}

function checkReferences({ organisation: org, people, workstreams, measures }: DemoData): void {
  check(org.trust.code === DEMO_TRUST_CODE, `the trust's code is ${org.trust.code}, not ${DEMO_TRUST_CODE} (constants.ts)`);
  const directorateCodes = unique('directorate code', org.directorates.map((d) => `${org.trust.code}-${d.code}`));
  check(directorateCodes.has(DEMO_INPATIENT_DIRECTORATE_CODE), `no directorate ${DEMO_INPATIENT_DIRECTORATE_CODE}`);
  for (const [kind, spec] of Object.entries(org.unitKinds)) check(spec.service in org.services, `unit kind ${kind}: no service ${spec.service}`);
  check(org.unitKinds.REHAB_WARD.name === DEMO_SMALL_WARD.name, `the rehabilitation ward is not named ${DEMO_SMALL_WARD.name} (constants.ts)`);

  const personKeys = unique('person key', people.people.map((p) => p.key));
  for (const p of people.people) {
    if (typeof p.orgUnit === 'string') check(p.orgUnit === org.trust.code || directorateCodes.has(p.orgUnit), `${p.key}: no trust or directorate ${p.orgUnit}`);
  }

  const workstreamCodes = unique('workstream code', workstreams.map((w) => w.code));
  for (const w of workstreams) {
    for (const lead of w.leads) check(personKeys.has(lead.personKey), `workstream ${w.code}: no person ${lead.personKey}`);
  }

  const measureCodes = unique('measure code', measures.map((m) => m.code));
  for (const m of measures) {
    check(personKeys.has(m.ownerKey), `measure ${m.code}: no person ${m.ownerKey}`);
    for (const ws of [...m.workstreamCodes, ...(m.recordedAt?.orMembersOf ? [m.recordedAt.orMembersOf] : [])]) {
      check(workstreamCodes.has(ws), `measure ${m.code}: no workstream ${ws}`);
    }
  }
  for (const c of RESTRICTIVE_PRACTICE_MEASURE_CODES) check(measureCodes.has(c), `no measure ${c} (constants.ts)`);
}

const DATA = parseDemoData({ orgUnits: orgUnitsJson, people: peopleJson, workstreams: workstreamsJson, measures: measuresJson });
export const ORGANISATION: OrganisationData = DATA.organisation;
export const PEOPLE: PeopleData = DATA.people;
export const WORKSTREAMS: readonly WorkstreamEntry[] = DATA.workstreams;
/** The catalogue: the first measures of every dataset, before any benchmark variants. */
export const MEASURES: readonly MeasureEntry[] = DATA.measures;
