import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  ImportObservationsDocument,
  InvolvementArchiveDocument,
  InvolvementCreateDocument,
  InvolvementUpdateDocument,
  MeasureAddPrincipleDocument,
  MeasureAddWorkstreamDocument,
  MeasureArchiveDocument,
  MeasureCreateDocument,
  MeasureDetailDocument,
  MeasureRemovePrincipleDocument,
  MeasureRemoveWorkstreamDocument,
  MeasureTargetRemoveDocument,
  MeasureTargetSetDocument,
  MeasureUpdateDocument,
  MilestoneArchiveDocument,
  MilestoneCreateDocument,
  MilestoneUpdateDocument,
  OrgUnitArchiveDocument,
  OrgUnitCreateDocument,
  OrgUnitDetailDocument,
  OrgUnitUpdateDocument,
  PersonArchiveDocument,
  PersonCreateDocument,
  PersonDetailDocument,
  PersonUpdateDocument,
  WorkstreamAddLeadDocument,
  WorkstreamAddPrincipleDocument,
  WorkstreamAddTeamDocument,
  WorkstreamAddTeamsDocument,
  WorkstreamAddMeasuresDocument,
  WorkstreamArchiveDocument,
  WorkstreamCreateDocument,
  WorkstreamDetailDocument,
  WorkstreamRemoveLeadDocument,
  WorkstreamRemovePrincipleDocument,
  WorkstreamRemoveTeamDocument,
  WorkstreamUpdateDocument,
} from '../generated/graphql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';
import { snapshot } from './map-fixture';

type Input = Record<string, unknown>;
type AnyMutation = TypedDocumentNode<Record<string, { userErrors: Array<{ field: string[]; code: string; message: string }> } & Record<string, unknown>>, { input: Input }>;
const m = (document: unknown) => document as AnyMutation;

/** What the table-driven cases refer to: ids and versions read back from the world. */
interface World {
  ada: string;
  bea: string;
  cy: string;
  milestone: string;
  involvement: string;
  measureId: string;
  version(table: 'orgUnit' | 'workstream' | 'measure' | 'person', where: string): Promise<number>;
}

interface Case {
  name: string;
  document: AnyMutation;
  input: (w: World) => Input | Promise<Input>;
  field: string[];
  code: string;
}

/** Every mutation of the faculty map with a valid input: what a role that may not call it sends. */
const VALID: Array<{ name: string; document: AnyMutation; input: (w: World) => Input | Promise<Input>; permission: 'organisation' | 'map' | 'teams' | 'measures' }> = [
  { name: 'orgUnitUpdate', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-B', version: await w.version('orgUnit', 'RTT-B'), name: 'Renamed' }), permission: 'organisation' },
  { name: 'orgUnitArchive', document: m(OrgUnitArchiveDocument), input: async (w) => ({ code: 'RTT-C', version: await w.version('orgUnit', 'RTT-C') }), permission: 'organisation' },
  { name: 'personCreate', document: m(PersonCreateDocument), input: () => ({ name: 'New person' }), permission: 'map' },
  { name: 'personUpdate', document: m(PersonUpdateDocument), input: async (w) => ({ id: w.bea, version: await w.version('person', 'bea@nhs.test'), jobTitle: 'Peer worker' }), permission: 'map' },
  { name: 'personArchive', document: m(PersonArchiveDocument), input: async (w) => ({ id: w.bea, version: await w.version('person', 'bea@nhs.test') }), permission: 'map' },
  { name: 'workstreamCreate', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-NEW', name: 'New' }), permission: 'map' },
  { name: 'workstreamUpdate', document: m(WorkstreamUpdateDocument), input: async (w) => ({ code: 'WS-ONE', version: await w.version('workstream', 'WS-ONE'), name: 'Renamed' }), permission: 'map' },
  { name: 'workstreamArchive', document: m(WorkstreamArchiveDocument), input: async (w) => ({ code: 'WS-ONE', version: await w.version('workstream', 'WS-ONE') }), permission: 'map' },
  { name: 'workstreamAddPrinciple', document: m(WorkstreamAddPrincipleDocument), input: () => ({ workstreamCode: 'WS-ONE', principle: 'RESPONSIVE' }), permission: 'map' },
  { name: 'workstreamRemovePrinciple', document: m(WorkstreamRemovePrincipleDocument), input: () => ({ workstreamCode: 'WS-ONE', principle: 'RELATIONAL' }), permission: 'map' },
  { name: 'workstreamAddTeam', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-B' }), permission: 'teams' },
  { name: 'workstreamRemoveTeam', document: m(WorkstreamRemoveTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-C' }), permission: 'teams' },
  { name: 'workstreamAddTeams', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B', 'RTT-W'] }), permission: 'teams' },
  { name: 'workstreamAddLead', document: m(WorkstreamAddLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.bea, role: 'CO_LEAD' }), permission: 'map' },
  { name: 'workstreamRemoveLead', document: m(WorkstreamRemoveLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.ada }), permission: 'map' },
  { name: 'milestoneCreate', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', title: 'Evaluation' }), permission: 'map' },
  { name: 'milestoneUpdate', document: m(MilestoneUpdateDocument), input: (w) => ({ id: w.milestone, version: 1, status: 'IN_PROGRESS' }), permission: 'map' },
  { name: 'milestoneArchive', document: m(MilestoneArchiveDocument), input: (w) => ({ id: w.milestone, version: 1 }), permission: 'map' },
  { name: 'livedExperienceInvolvementCreate', document: m(InvolvementCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', kind: 'ADVISORY', description: 'Panel' }), permission: 'map' },
  { name: 'livedExperienceInvolvementUpdate', document: m(InvolvementUpdateDocument), input: (w) => ({ id: w.involvement, version: 1, peopleCount: 9 }), permission: 'map' },
  { name: 'livedExperienceInvolvementArchive', document: m(InvolvementArchiveDocument), input: (w) => ({ id: w.involvement, version: 1 }), permission: 'map' },
  { name: 'measureUpdate', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), name: 'Renamed' }), permission: 'measures' },
  { name: 'measureArchive', document: m(MeasureArchiveDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1') }), permission: 'measures' },
  { name: 'measureAddPrinciple', document: m(MeasureAddPrincipleDocument), input: () => ({ measureCode: 'C1', principle: 'RESPONSIVE' }), permission: 'measures' },
  { name: 'measureRemovePrinciple', document: m(MeasureRemovePrincipleDocument), input: () => ({ measureCode: 'P1', principle: 'RELATIONAL' }), permission: 'measures' },
  { name: 'measureAddWorkstream', document: m(MeasureAddWorkstreamDocument), input: () => ({ measureCode: 'C1', workstreamCode: 'WS-ONE' }), permission: 'measures' },
  { name: 'measureRemoveWorkstream', document: m(MeasureRemoveWorkstreamDocument), input: () => ({ measureCode: 'P1', workstreamCode: 'WS-ONE' }), permission: 'measures' },
  { name: 'workstreamAddMeasures', document: m(WorkstreamAddMeasuresDocument), input: () => ({ workstreamCode: 'WS-ONE', measureCodes: ['C1', 'R1'] }), permission: 'measures' },
  { name: 'measureTargetSet', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'C1', value: 12 }), permission: 'measures' },
  { name: 'measureTargetRemove', document: m(MeasureTargetRemoveDocument), input: () => ({ measureCode: 'R1', orgUnitCode: 'RTT-DIR', version: 1 }), permission: 'measures' },
];

/** Bad inputs: each must come back as user errors and change nothing. */
const BAD: Case[] = [
  // org units
  { name: 'orgUnitUpdate: unknown unit', document: m(OrgUnitUpdateDocument), input: () => ({ code: 'NOPE', version: 1, name: 'X' }), field: ['code'], code: 'NOT_FOUND' },
  { name: 'orgUnitUpdate: stale version', document: m(OrgUnitUpdateDocument), input: () => ({ code: 'RTT-A', version: 99, name: 'X' }), field: ['version'], code: 'CONFLICT' },
  { name: 'orgUnitUpdate: version 0', document: m(OrgUnitUpdateDocument), input: () => ({ code: 'RTT-A', version: 0, name: 'X' }), field: ['version'], code: 'INVALID' },
  { name: 'orgUnitUpdate: blank name', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), name: '  ' }), field: ['name'], code: 'INVALID' },
  { name: 'orgUnitUpdate: name cleared', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), name: null }), field: ['name'], code: 'INVALID' },
  { name: 'orgUnitUpdate: malformed ODS code', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), odsCode: 'no!' }), field: ['odsCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: its own parent', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-DIR', version: await w.version('orgUnit', 'RTT-DIR'), parentCode: 'RTT-DIR' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: under its own descendant', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-DIR', version: await w.version('orgUnit', 'RTT-DIR'), parentCode: 'RTT-A' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: unknown parent', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), parentCode: 'NOPE' }), field: ['parentCode'], code: 'NOT_FOUND' },
  { name: 'orgUnitUpdate: archived parent', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), parentCode: 'RTT-ARCH' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: a team under a ward', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), parentCode: 'RTT-W' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: a trust under a unit', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT', version: await w.version('orgUnit', 'RTT'), parentCode: 'RTT-DIR' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: a team made a root', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A'), parentCode: null }), field: ['parentCode'], code: 'REQUIRED' },
  { name: 'orgUnitUpdate: a directorate made a trust', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-DIR', version: await w.version('orgUnit', 'RTT-DIR'), type: 'TRUST' }), field: ['type'], code: 'INVALID' },
  { name: 'orgUnitUpdate: a directorate under a directorate', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-DIR2', version: await w.version('orgUnit', 'RTT-DIR2'), parentCode: 'RTT-DIR' }), field: ['parentCode'], code: 'INVALID' },
  { name: 'orgUnitUpdate: a directorate made a ward under its trust', document: m(OrgUnitUpdateDocument), input: async (w) => ({ code: 'RTT-DIR2', version: await w.version('orgUnit', 'RTT-DIR2'), type: 'WARD' }), field: ['type'], code: 'INVALID' },
  { name: 'orgUnitUpdate: archived unit', document: m(OrgUnitUpdateDocument), input: () => ({ code: 'RTT-ARCH', version: 2, name: 'X' }), field: ['code'], code: 'INVALID' },
  { name: 'orgUnitArchive: live children', document: m(OrgUnitArchiveDocument), input: async (w) => ({ code: 'RTT-DIR', version: await w.version('orgUnit', 'RTT-DIR') }), field: ['code'], code: 'INVALID' },
  { name: 'orgUnitArchive: in a live workstream', document: m(OrgUnitArchiveDocument), input: async (w) => ({ code: 'RTT-A', version: await w.version('orgUnit', 'RTT-A') }), field: ['code'], code: 'INVALID' },
  { name: 'orgUnitArchive: stale version', document: m(OrgUnitArchiveDocument), input: () => ({ code: 'RTT-D', version: 7 }), field: ['version'], code: 'CONFLICT' },
  { name: 'orgUnitArchive: already archived', document: m(OrgUnitArchiveDocument), input: () => ({ code: 'RTT-ARCH', version: 2 }), field: ['code'], code: 'INVALID' },
  // people
  { name: 'personCreate: blank name', document: m(PersonCreateDocument), input: () => ({ name: '' }), field: ['name'], code: 'INVALID' },
  { name: 'personCreate: bad email', document: m(PersonCreateDocument), input: () => ({ name: 'Eve', email: 'not-an-email' }), field: ['email'], code: 'INVALID' },
  { name: 'personCreate: email taken (any case)', document: m(PersonCreateDocument), input: () => ({ name: 'Eve', email: 'ADA@nhs.test' }), field: ['email'], code: 'TAKEN' },
  { name: 'personCreate: unknown unit', document: m(PersonCreateDocument), input: () => ({ name: 'Eve', orgUnitCode: 'NOPE' }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'personCreate: archived unit', document: m(PersonCreateDocument), input: () => ({ name: 'Eve', orgUnitCode: 'RTT-ARCH' }), field: ['orgUnitCode'], code: 'INVALID' },
  { name: 'personUpdate: malformed id', document: m(PersonUpdateDocument), input: () => ({ id: 'garbage', version: 1, name: 'X' }), field: ['id'], code: 'INVALID' },
  { name: 'personUpdate: an id of another type', document: m(PersonUpdateDocument), input: (w) => ({ id: w.measureId, version: 1, name: 'X' }), field: ['id'], code: 'INVALID' },
  { name: 'personUpdate: unknown person', document: m(PersonUpdateDocument), input: () => ({ id: Buffer.from('Person:999999').toString('base64url'), version: 1, name: 'X' }), field: ['id'], code: 'NOT_FOUND' },
  { name: 'personUpdate: stale version', document: m(PersonUpdateDocument), input: (w) => ({ id: w.bea, version: 42, name: 'X' }), field: ['version'], code: 'CONFLICT' },
  { name: 'personUpdate: email taken', document: m(PersonUpdateDocument), input: async (w) => ({ id: w.bea, version: await w.version('person', 'bea@nhs.test'), email: 'ada@nhs.test' }), field: ['email'], code: 'TAKEN' },
  { name: 'personUpdate: name cleared', document: m(PersonUpdateDocument), input: async (w) => ({ id: w.bea, version: await w.version('person', 'bea@nhs.test'), name: null }), field: ['name'], code: 'INVALID' },
  { name: 'personUpdate: archived person', document: m(PersonUpdateDocument), input: (w) => ({ id: w.cy, version: 2, name: 'X' }), field: ['id'], code: 'INVALID' },
  { name: 'personArchive: leads a live workstream', document: m(PersonArchiveDocument), input: async (w) => ({ id: w.ada, version: await w.version('person', 'ada@nhs.test') }), field: ['id'], code: 'INVALID' },
  { name: 'personArchive: stale version', document: m(PersonArchiveDocument), input: (w) => ({ id: w.bea, version: 42 }), field: ['version'], code: 'CONFLICT' },
  // workstreams
  { name: 'workstreamCreate: code taken', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-ONE', name: 'Dup' }), field: ['code'], code: 'TAKEN' },
  { name: 'workstreamCreate: code taken by an archived one', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-OLD', name: 'Dup' }), field: ['code'], code: 'TAKEN' },
  { name: 'workstreamCreate: lower-case code', document: m(WorkstreamCreateDocument), input: () => ({ code: 'ws-two', name: 'X' }), field: ['code'], code: 'INVALID' },
  { name: 'workstreamCreate: blank name', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-TWO', name: ' ' }), field: ['name'], code: 'INVALID' },
  { name: 'workstreamCreate: ends before it starts', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-TWO', name: 'X', startDate: '2026-05-01', endDate: '2026-04-30' }), field: ['endDate'], code: 'INVALID' },
  { name: 'workstreamCreate: a blank aim', document: m(WorkstreamCreateDocument), input: () => ({ code: 'WS-TWO', name: 'X', aims: ['ok', ''] }), field: ['aims', '1'], code: 'INVALID' },
  { name: 'workstreamUpdate: unknown', document: m(WorkstreamUpdateDocument), input: () => ({ code: 'NOPE', version: 1, name: 'X' }), field: ['code'], code: 'NOT_FOUND' },
  { name: 'workstreamUpdate: stale version', document: m(WorkstreamUpdateDocument), input: () => ({ code: 'WS-ONE', version: 99, name: 'X' }), field: ['version'], code: 'CONFLICT' },
  { name: 'workstreamUpdate: end before start', document: m(WorkstreamUpdateDocument), input: async (w) => ({ code: 'WS-ONE', version: await w.version('workstream', 'WS-ONE'), endDate: '2025-12-31' }), field: ['endDate'], code: 'INVALID' },
  { name: 'workstreamUpdate: start after a milestone', document: m(WorkstreamUpdateDocument), input: async (w) => ({ code: 'WS-ONE', version: await w.version('workstream', 'WS-ONE'), startDate: '2026-07-01' }), field: ['startDate'], code: 'INVALID' },
  { name: 'workstreamUpdate: status cleared', document: m(WorkstreamUpdateDocument), input: async (w) => ({ code: 'WS-ONE', version: await w.version('workstream', 'WS-ONE'), status: null }), field: ['status'], code: 'INVALID' },
  { name: 'workstreamUpdate: archived', document: m(WorkstreamUpdateDocument), input: () => ({ code: 'WS-OLD', version: 2, name: 'X' }), field: ['code'], code: 'INVALID' },
  { name: 'workstreamArchive: stale version', document: m(WorkstreamArchiveDocument), input: () => ({ code: 'WS-ONE', version: 99 }), field: ['version'], code: 'CONFLICT' },
  { name: 'workstreamArchive: already archived', document: m(WorkstreamArchiveDocument), input: () => ({ code: 'WS-OLD', version: 2 }), field: ['code'], code: 'INVALID' },
  { name: 'workstreamAddPrinciple: already served', document: m(WorkstreamAddPrincipleDocument), input: () => ({ workstreamCode: 'WS-ONE', principle: 'RELATIONAL' }), field: ['principle'], code: 'TAKEN' },
  { name: 'workstreamAddPrinciple: unknown workstream', document: m(WorkstreamAddPrincipleDocument), input: () => ({ workstreamCode: 'NOPE', principle: 'RELATIONAL' }), field: ['workstreamCode'], code: 'NOT_FOUND' },
  { name: 'workstreamAddPrinciple: archived workstream', document: m(WorkstreamAddPrincipleDocument), input: () => ({ workstreamCode: 'WS-OLD', principle: 'RELATIONAL' }), field: ['workstreamCode'], code: 'INVALID' },
  { name: 'workstreamRemovePrinciple: not served', document: m(WorkstreamRemovePrincipleDocument), input: () => ({ workstreamCode: 'WS-ONE', principle: 'RIGHTS_BASED' }), field: ['principle'], code: 'NOT_FOUND' },
  { name: 'workstreamAddTeam: already taking part', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-A' }), field: ['orgUnitCode'], code: 'TAKEN' },
  { name: 'workstreamAddTeam: a directorate', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-DIR' }), field: ['orgUnitCode'], code: 'INVALID' },
  { name: 'workstreamAddTeam: unknown unit', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'NOPE' }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'workstreamAddTeam: archived unit', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-ARCH' }), field: ['orgUnitCode'], code: 'INVALID' },
  { name: 'workstreamAddTeam: joins after the end', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-B', joinedOn: '2027-01-01' }), field: ['joinedOn'], code: 'INVALID' },
  { name: 'workstreamAddTeam: not a date', document: m(WorkstreamAddTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-B', joinedOn: '2026-02-30' }), field: [], code: '' },
  { name: 'workstreamAddMeasures: an unknown measure among known ones', document: m(WorkstreamAddMeasuresDocument), input: () => ({ workstreamCode: 'WS-ONE', measureCodes: ['R1', 'NOPE'] }), field: ['measureCodes', '1'], code: 'NOT_FOUND' },
  { name: 'workstreamAddMeasures: a measure named twice', document: m(WorkstreamAddMeasuresDocument), input: () => ({ workstreamCode: 'WS-ONE', measureCodes: ['R1', 'R1'] }), field: ['measureCodes', '1'], code: 'INVALID' },
  { name: 'workstreamAddMeasures: an archived measure', document: m(WorkstreamAddMeasuresDocument), input: () => ({ workstreamCode: 'WS-ONE', measureCodes: ['OLD-M'] }), field: ['measureCodes', '0'], code: 'INVALID' },
  { name: 'workstreamAddMeasures: unknown workstream', document: m(WorkstreamAddMeasuresDocument), input: () => ({ workstreamCode: 'WS-NOPE', measureCodes: ['R1'] }), field: ['workstreamCode'], code: 'NOT_FOUND' },
  { name: 'workstreamAddTeams: an unknown unit among known ones', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B', 'NOPE'] }), field: ['orgUnitCodes', '1'], code: 'NOT_FOUND' },
  { name: 'workstreamAddTeams: already taking part', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-A', 'RTT-B'] }), field: ['orgUnitCodes', '0'], code: 'TAKEN' },
  { name: 'workstreamAddTeams: a directorate', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B', 'RTT-DIR'] }), field: ['orgUnitCodes', '1'], code: 'INVALID' },
  { name: 'workstreamAddTeams: archived unit', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-ARCH'] }), field: ['orgUnitCodes', '0'], code: 'INVALID' },
  { name: 'workstreamAddTeams: a unit named twice', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B', 'RTT-B'] }), field: ['orgUnitCodes', '1'], code: 'INVALID' },
  { name: 'workstreamAddTeams: a malformed code', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B', 'not a code'] }), field: ['orgUnitCodes', '1'], code: 'INVALID' },
  { name: 'workstreamAddTeams: no units', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: [] }), field: ['orgUnitCodes'], code: 'INVALID' },
  { name: 'workstreamAddTeams: 101 units', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: Array.from({ length: 101 }, (_, i) => `RTT-X${i}`) }), field: ['orgUnitCodes'], code: 'INVALID' },
  { name: 'workstreamAddTeams: unknown workstream', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'NOPE', orgUnitCodes: ['RTT-B'] }), field: ['workstreamCode'], code: 'NOT_FOUND' },
  { name: 'workstreamAddTeams: joins after the end', document: m(WorkstreamAddTeamsDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCodes: ['RTT-B'], joinedOn: '2027-01-01' }), field: ['joinedOn'], code: 'INVALID' },
  { name: 'workstreamRemoveTeam: not taking part', document: m(WorkstreamRemoveTeamDocument), input: () => ({ workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-D' }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'workstreamAddLead: malformed person id', document: m(WorkstreamAddLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personId: 'nope' }), field: ['personId'], code: 'INVALID' },
  { name: 'workstreamAddLead: already lead in that role', document: m(WorkstreamAddLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.ada, role: 'LEAD' }), field: ['personId'], code: 'TAKEN' },
  { name: 'workstreamAddLead: archived person', document: m(WorkstreamAddLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.cy }), field: ['personId'], code: 'INVALID' },
  { name: 'workstreamRemoveLead: not a lead', document: m(WorkstreamRemoveLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.bea }), field: ['personId'], code: 'NOT_FOUND' },
  { name: 'workstreamAddLead: unknown email', document: m(WorkstreamAddLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personEmail: 'nobody@nhs.test' }), field: ['personEmail'], code: 'NOT_FOUND' },
  { name: 'workstreamAddLead: not an email', document: m(WorkstreamAddLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personEmail: 'bea' }), field: ['personEmail'], code: 'INVALID' },
  { name: 'workstreamAddLead: both id and email', document: m(WorkstreamAddLeadDocument), input: (w) => ({ workstreamCode: 'WS-ONE', personId: w.bea, personEmail: 'bea@nhs.test' }), field: ['personEmail'], code: 'INVALID' },
  { name: 'workstreamAddLead: neither id nor email', document: m(WorkstreamAddLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', role: 'CO_LEAD' }), field: ['personId'], code: 'REQUIRED' },
  { name: 'workstreamAddLead: already lead in that role, by email in any case', document: m(WorkstreamAddLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personEmail: ' ADA@nhs.test ' }), field: ['personEmail'], code: 'TAKEN' },
  { name: 'workstreamRemoveLead: not a lead, by email', document: m(WorkstreamRemoveLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personEmail: 'bea@nhs.test' }), field: ['personEmail'], code: 'NOT_FOUND' },
  { name: 'workstreamRemoveLead: unknown email', document: m(WorkstreamRemoveLeadDocument), input: () => ({ workstreamCode: 'WS-ONE', personEmail: 'nobody@nhs.test' }), field: ['personEmail'], code: 'NOT_FOUND' },
  // milestones and involvement
  { name: 'milestoneCreate: due before the workstream starts', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', title: 'X', dueDate: '2025-12-01' }), field: ['dueDate'], code: 'INVALID' },
  { name: 'milestoneCreate: due after it ends', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', title: 'X', dueDate: '2027-01-01' }), field: ['dueDate'], code: 'INVALID' },
  { name: 'milestoneCreate: completed but not DONE', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', title: 'X', status: 'PLANNED', completedOn: '2026-03-01' }), field: ['completedOn'], code: 'INVALID' },
  { name: 'milestoneCreate: blank title', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', title: '' }), field: ['title'], code: 'INVALID' },
  { name: 'milestoneCreate: archived workstream', document: m(MilestoneCreateDocument), input: () => ({ workstreamCode: 'WS-OLD', title: 'X' }), field: ['workstreamCode'], code: 'INVALID' },
  { name: 'milestoneUpdate: stale version', document: m(MilestoneUpdateDocument), input: (w) => ({ id: w.milestone, version: 5, title: 'X' }), field: ['version'], code: 'CONFLICT' },
  { name: 'milestoneUpdate: malformed id', document: m(MilestoneUpdateDocument), input: () => ({ id: 'x', version: 1, title: 'X' }), field: ['id'], code: 'INVALID' },
  { name: 'milestoneUpdate: due after the end', document: m(MilestoneUpdateDocument), input: (w) => ({ id: w.milestone, version: 1, dueDate: '2027-02-01' }), field: ['dueDate'], code: 'INVALID' },
  { name: 'milestoneArchive: stale version', document: m(MilestoneArchiveDocument), input: (w) => ({ id: w.milestone, version: 3 }), field: ['version'], code: 'CONFLICT' },
  { name: 'livedExperienceInvolvementCreate: no description', document: m(InvolvementCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', kind: 'PEER_SUPPORT', description: '' }), field: ['description'], code: 'INVALID' },
  { name: 'livedExperienceInvolvementCreate: negative people', document: m(InvolvementCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', kind: 'PEER_SUPPORT', description: 'Peers', peopleCount: -1 }), field: ['peopleCount'], code: 'INVALID' },
  { name: 'livedExperienceInvolvementCreate: starts after the workstream ends', document: m(InvolvementCreateDocument), input: () => ({ workstreamCode: 'WS-ONE', kind: 'PEER_SUPPORT', description: 'Peers', startedOn: '2027-06-01' }), field: ['startedOn'], code: 'INVALID' },
  { name: 'livedExperienceInvolvementUpdate: stale version', document: m(InvolvementUpdateDocument), input: (w) => ({ id: w.involvement, version: 8, peopleCount: 3 }), field: ['version'], code: 'CONFLICT' },
  { name: 'livedExperienceInvolvementUpdate: description cleared', document: m(InvolvementUpdateDocument), input: (w) => ({ id: w.involvement, version: 1, description: null }), field: ['description'], code: 'INVALID' },
  { name: 'livedExperienceInvolvementArchive: another type’s id', document: m(InvolvementArchiveDocument), input: (w) => ({ id: w.milestone, version: 1 }), field: ['id'], code: 'INVALID' },
  // measures
  { name: 'measureUpdate: scoring type of a measure with observations', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'P1', version: await w.version('measure', 'P1'), scoringType: 'MEAN' }), field: ['scoringType'], code: 'INVALID' },
  { name: 'measureUpdate: periodicity of a measure with observations', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'P1', version: await w.version('measure', 'P1'), periodicity: 'QUARTER' }), field: ['periodicity'], code: 'INVALID' },
  { name: 'measureUpdate: a rate without a multiplier', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), scoringType: 'RATE' }), field: ['multiplier'], code: 'REQUIRED' },
  { name: 'measureUpdate: a multiplier on a count', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), multiplier: 100 }), field: ['multiplier'], code: 'INVALID' },
  { name: 'measureUpdate: a proportion with a target of 40', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'M1', version: await w.version('measure', 'M1'), scoringType: 'PROPORTION' }), field: ['scoringType'], code: 'INVALID' },
  { name: 'measureUpdate: stale version', document: m(MeasureUpdateDocument), input: () => ({ code: 'C1', version: 40, name: 'X' }), field: ['version'], code: 'CONFLICT' },
  { name: 'measureUpdate: unknown owner', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), ownerPersonId: Buffer.from('Person:999999').toString('base64url') }), field: ['ownerPersonId'], code: 'NOT_FOUND' },
  { name: 'measureUpdate: unknown owner email', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), ownerPersonEmail: 'nobody@nhs.test' }), field: ['ownerPersonEmail'], code: 'NOT_FOUND' },
  { name: 'measureUpdate: owner by id and by email', document: m(MeasureUpdateDocument), input: async (w) => ({ code: 'C1', version: await w.version('measure', 'C1'), ownerPersonId: w.bea, ownerPersonEmail: 'bea@nhs.test' }), field: ['ownerPersonEmail'], code: 'INVALID' },
  { name: 'measureUpdate: archived', document: m(MeasureUpdateDocument), input: () => ({ code: 'OLD-M', version: 2, name: 'X' }), field: ['code'], code: 'INVALID' },
  { name: 'measureArchive: unknown', document: m(MeasureArchiveDocument), input: () => ({ code: 'NOPE', version: 1 }), field: ['code'], code: 'NOT_FOUND' },
  { name: 'measureArchive: stale version', document: m(MeasureArchiveDocument), input: () => ({ code: 'C1', version: 40 }), field: ['version'], code: 'CONFLICT' },
  { name: 'measureAddPrinciple: already evidenced', document: m(MeasureAddPrincipleDocument), input: () => ({ measureCode: 'P1', principle: 'RELATIONAL' }), field: ['principle'], code: 'TAKEN' },
  { name: 'measureAddPrinciple: archived measure', document: m(MeasureAddPrincipleDocument), input: () => ({ measureCode: 'OLD-M', principle: 'RELATIONAL' }), field: ['measureCode'], code: 'INVALID' },
  { name: 'measureRemovePrinciple: not evidenced', document: m(MeasureRemovePrincipleDocument), input: () => ({ measureCode: 'P1', principle: 'REFLECTIVE' }), field: ['principle'], code: 'NOT_FOUND' },
  { name: 'measureAddWorkstream: already linked', document: m(MeasureAddWorkstreamDocument), input: () => ({ measureCode: 'P1', workstreamCode: 'WS-ONE' }), field: ['workstreamCode'], code: 'TAKEN' },
  { name: 'measureAddWorkstream: archived workstream', document: m(MeasureAddWorkstreamDocument), input: () => ({ measureCode: 'C1', workstreamCode: 'WS-OLD' }), field: ['workstreamCode'], code: 'INVALID' },
  { name: 'measureAddWorkstream: unknown measure', document: m(MeasureAddWorkstreamDocument), input: () => ({ measureCode: 'NOPE', workstreamCode: 'WS-ONE' }), field: ['measureCode'], code: 'NOT_FOUND' },
  { name: 'measureRemoveWorkstream: not linked', document: m(MeasureRemoveWorkstreamDocument), input: () => ({ measureCode: 'C1', workstreamCode: 'WS-ONE' }), field: ['workstreamCode'], code: 'NOT_FOUND' },
  { name: 'measureTargetSet: a proportion target of 85', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'Q1', value: 85 }), field: ['value'], code: 'INVALID' },
  { name: 'measureTargetSet: a negative rate target', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'R1', orgUnitCode: 'RTT-DIR2', value: -1 }), field: ['value'], code: 'INVALID' },
  { name: 'measureTargetSet: replacing without the version', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'P1', value: 0.7 }), field: ['version'], code: 'CONFLICT' },
  { name: 'measureTargetSet: replacing with a stale version', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'R1', orgUnitCode: 'RTT-DIR', value: 15, version: 4 }), field: ['version'], code: 'CONFLICT' },
  { name: 'measureTargetSet: a version for a target that is gone', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'C1', value: 10, version: 1 }), field: ['version'], code: 'CONFLICT' },
  { name: 'measureTargetSet: unknown unit', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'C1', orgUnitCode: 'NOPE', value: 10 }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'measureTargetSet: archived unit', document: m(MeasureTargetSetDocument), input: () => ({ measureCode: 'C1', orgUnitCode: 'RTT-ARCH', value: 10 }), field: ['orgUnitCode'], code: 'INVALID' },
  { name: 'measureTargetRemove: not set', document: m(MeasureTargetRemoveDocument), input: () => ({ measureCode: 'C1', version: 1 }), field: ['orgUnitCode'], code: 'NOT_FOUND' },
  { name: 'measureTargetRemove: stale version', document: m(MeasureTargetRemoveDocument), input: () => ({ measureCode: 'R1', orgUnitCode: 'RTT-DIR', version: 2 }), field: ['version'], code: 'CONFLICT' },
];

describe.each(DATABASE_KINDS)('faculty-map mutations on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  let world: World;

  const payload = async (document: AnyMutation, input: Input, key?: string) => {
    const { body } = await app.request(document, { input }, key);
    return body;
  };
  const must = async (document: AnyMutation, input: Input) => {
    const body = await payload(document, input);
    const result = Object.values(body.data ?? {})[0];
    if (!result || result.userErrors.length > 0) throw new Error(JSON.stringify(body));
    return result;
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    const prisma = app.database.db.prisma;
    await must(m(OrgUnitCreateDocument), { code: 'RTT-ARCH', name: 'Closed team', type: 'TEAM', parentCode: 'RTT-DIR2' });
    await must(m(OrgUnitArchiveDocument), { code: 'RTT-ARCH', version: 1 });
    const ada = (await must(m(PersonCreateDocument), { name: 'Ada Lead', email: 'ada@nhs.test', orgUnitCode: 'RTT-A' })).person as { id: string };
    const bea = (await must(m(PersonCreateDocument), { name: 'Bea Peer', email: 'bea@nhs.test', hasLivedExperience: true })).person as { id: string };
    const cy = (await must(m(PersonCreateDocument), { name: 'Cy Gone' })).person as { id: string };
    await must(m(PersonArchiveDocument), { id: cy.id, version: 1 });
    await must(m(WorkstreamCreateDocument), { code: 'WS-ONE', name: 'Workstream one', startDate: '2026-01-01', endDate: '2026-12-31' });
    await must(m(WorkstreamAddPrincipleDocument), { workstreamCode: 'WS-ONE', principle: 'RELATIONAL' });
    await must(m(WorkstreamAddTeamDocument), { workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-A' });
    await must(m(WorkstreamAddTeamDocument), { workstreamCode: 'WS-ONE', orgUnitCode: 'RTT-C' });
    await must(m(WorkstreamAddLeadDocument), { workstreamCode: 'WS-ONE', personId: ada.id });
    await must(m(MeasureAddWorkstreamDocument), { measureCode: 'P1', workstreamCode: 'WS-ONE' });
    await must(m(MeasureAddPrincipleDocument), { measureCode: 'P1', principle: 'RELATIONAL' });
    const milestone = (await must(m(MilestoneCreateDocument), { workstreamCode: 'WS-ONE', title: 'Launch', dueDate: '2026-06-01' })).milestone as { id: string };
    const involvement = (await must(m(InvolvementCreateDocument), { workstreamCode: 'WS-ONE', kind: 'CO_PRODUCTION', description: 'Co-designed with service users', peopleCount: 6 }))
      .livedExperienceInvolvement as { id: string };
    await must(m(WorkstreamCreateDocument), { code: 'WS-OLD', name: 'Old workstream' });
    await must(m(WorkstreamArchiveDocument), { code: 'WS-OLD', version: 1 });
    await must(m(MeasureCreateDocument), { code: 'OLD-M', name: 'Old measure', scoringType: 'COUNT', improvementDirection: 'NEITHER' });
    await must(m(MeasureArchiveDocument), { code: 'OLD-M', version: 1 });
    await must(m(MeasureTargetSetDocument), { measureCode: 'R1', orgUnitCode: 'RTT-DIR', value: 18 });
    const imported = await app.request(ImportObservationsDocument, {
      input: { rows: [{ measureCode: 'P1', orgUnitCode: 'RTT-A', periodStart: '2026-01-01', numerator: 4, denominator: 5, source: 'pas' }] },
    });
    expect(imported.body.data!.importObservations.created).toBe(1);
    const measure = await app.request(MeasureDetailDocument, { code: 'C1' });
    world = {
      ada: ada.id,
      bea: bea.id,
      cy: cy.id,
      milestone: milestone.id,
      involvement: involvement.id,
      measureId: measure.body.data!.measure!.id,
      version: async (table, key) => {
        switch (table) {
          case 'orgUnit':
            return (await prisma.orgUnit.findUniqueOrThrow({ where: { code: key } })).version;
          case 'workstream':
            return (await prisma.workstream.findUniqueOrThrow({ where: { code: key } })).version;
          case 'measure':
            return (await prisma.measure.findUniqueOrThrow({ where: { code: key } })).version;
          case 'person':
            return (await prisma.person.findUniqueOrThrow({ where: { email: key } })).version;
        }
      },
    };
  });
  afterAll(() => app.close());

  test.each(BAD.map((c) => [c.name, c] as const))('%s → user error, nothing changed', async (_name, c) => {
    const before = await snapshot(app.database.db.prisma);
    const input = await c.input(world);
    // Org units are the ADMIN's to edit; everything else is tried as a faculty lead.
    const asAdmin = c.document === m(OrgUnitUpdateDocument) || c.document === m(OrgUnitArchiveDocument);
    const body = await payload(c.document, input, asAdmin ? undefined : keys.FACULTY_LEAD);
    if (c.code === '') {
      // Not even a valid GraphQL variable (a Date that does not exist): refused before any resolver.
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } else {
      expect(body.errors).toBeUndefined();
      const result = Object.values(body.data!)[0];
      expect(result.userErrors).toEqual([expect.objectContaining({ field: c.field, code: c.code })]);
      expect(result.userErrors[0].message.length).toBeGreaterThan(10);
      for (const [field, value] of Object.entries(result)) if (field !== 'userErrors' && field !== 'current') expect([field, value]).toEqual([field, null]);
    }
    expect(await snapshot(app.database.db.prisma)).toBe(before);
  });


  test('a measure’s owner may be named by email (any case), as a workstream lead is', async () => {
    const version = (await app.database.db.prisma.measure.findUniqueOrThrow({ where: { code: 'R1' } })).version;
    const updated = await payload(m(MeasureUpdateDocument), { code: 'R1', version, ownerPersonEmail: ' BEA@nhs.test ' });
    expect(updated.errors).toBeUndefined();
    const result = Object.values(updated.data ?? {})[0] as { measure: { owner: { name: string } | null }; userErrors: unknown[] };
    expect([result.userErrors, result.measure.owner]).toEqual([[], { name: 'Bea Peer' }]);
  });
  test('every bad-input case names a real mutation, and every mutation has bad-input cases', () => {
    const names = new Set(BAD.map((c) => c.name.split(':')[0]));
    expect([...names].sort()).toEqual(VALID.map((v) => v.name).sort());
  });

  test('a CONFLICT names the current version and values, and the payload carries them', async () => {
    const version = await world.version('workstream', 'WS-ONE');
    const body = await payload(m(WorkstreamUpdateDocument), { code: 'WS-ONE', version: version - 1 + 10, name: 'Mine' }, keys.FACULTY_LEAD);
    const result = body.data!.workstreamUpdate as unknown as { userErrors: Array<{ message: string }>; current: { name: string; version: number } };
    expect(result.userErrors[0].message).toContain(`the current version is ${version}`);
    expect(result.userErrors[0].message).toContain('"Workstream one"');
    expect(result.current).toMatchObject({ name: 'Workstream one', version });
  });

  const DENIED: Array<[string, string, (typeof VALID)[number]]> = VALID.flatMap((v) => {
    const roles = ['BOARD', ...(v.permission === 'teams' ? [] : ['TEAM_MANAGER_A']), ...(v.permission === 'organisation' ? ['FACULTY_LEAD'] : [])];
    return roles.map((role) => [v.name, role, v] as [string, string, (typeof VALID)[number]]);
  });

  test.each(DENIED)('%s by %s → FORBIDDEN, nothing changed', async (_name, role, v) => {
    const before = await snapshot(app.database.db.prisma);
    const body = await payload(v.document, await v.input(world), keys[role as keyof typeof keys]);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data ?? null).toBeNull();
    expect(await snapshot(app.database.db.prisma)).toBe(before);
  });

  test('a TEAM_MANAGER enrols and withdraws its own team, and is FORBIDDEN for any other', async () => {
    const manager = keys.TEAM_MANAGER_A;
    await must(m(WorkstreamCreateDocument), { code: 'WS-MGR', name: 'Manager test' });
    const before = await snapshot(app.database.db.prisma);
    for (const [document, orgUnitCode] of [
      [m(WorkstreamAddTeamDocument), 'RTT-B'],
      [m(WorkstreamRemoveTeamDocument), 'RTT-C'],
    ] as const) {
      const body = await payload(document, { workstreamCode: document === m(WorkstreamAddTeamDocument) ? 'WS-MGR' : 'WS-ONE', orgUnitCode }, manager);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.message).toContain('outside your key');
    }
    expect(await snapshot(app.database.db.prisma)).toBe(before);

    const added = await payload(m(WorkstreamAddTeamDocument), { workstreamCode: 'WS-MGR', orgUnitCode: 'RTT-A' }, manager);
    expect(added.data!.workstreamAddTeam.userErrors).toEqual([]);
    const removed = await payload(m(WorkstreamRemoveTeamDocument), { workstreamCode: 'WS-MGR', orgUnitCode: 'RTT-A' }, manager);
    expect(removed.data!.workstreamRemoveTeam.userErrors).toEqual([]);
    const history = await app.request(OrgUnitDetailDocument, { code: 'RTT-A' });
    expect(history.body.data!.orgUnit!.history.nodes.slice(0, 2).map((e) => [e.action, e.actor.includes('TEAM_MANAGER')])).toEqual([
      ['leaveWorkstream', true],
      ['joinWorkstream', true],
    ]);
  });

  test('every mutation succeeds once, records before and after, and shows in the entity’s history', async () => {
    const prisma = app.database.db.prisma;
    const audits = () => prisma.auditEvent.count();
    const step = async (document: AnyMutation, input: Input, expectedEntries: number) => {
      const before = await audits();
      const result = await must(document, input);
      expect((await audits()) - before).toBe(expectedEntries);
      return result;
    };
    // org units: rename, then archive an empty team
    await step(m(OrgUnitUpdateDocument), { code: 'RTT-D', version: await world.version('orgUnit', 'RTT-D'), name: 'Dales team', odsCode: 'RTT01' }, 1);
    await step(m(OrgUnitCreateDocument), { code: 'RTT-E', name: 'Short-lived', type: 'TEAM', parentCode: 'RTT-DIR2' }, 1);
    const archived = await step(m(OrgUnitArchiveDocument), { code: 'RTT-E', version: 1 }, 1);
    expect(archived.orgUnit).toMatchObject({ archived: true, version: 2 });
    const unit = (await app.request(OrgUnitDetailDocument, { code: 'RTT-D' })).body.data!.orgUnit!;
    expect(unit).toMatchObject({ name: 'Dales team', odsCode: 'RTT01', version: 2 });
    expect(unit.history.nodes[0]).toMatchObject({ action: 'update', before: expect.objectContaining({ name: 'Unit RTT-D' }), after: expect.objectContaining({ name: 'Dales team' }) });

    // people
    const dee = (await step(m(PersonCreateDocument), { name: 'Dee', email: 'dee@nhs.test' }, 1)).person as { id: string; version: number };
    await step(m(PersonUpdateDocument), { id: dee.id, version: 1, jobTitle: 'Ward manager', orgUnitCode: 'RTT-D', hasLivedExperience: true }, 1);
    await step(m(PersonUpdateDocument), { id: dee.id, version: 2, email: null }, 1);
    await step(m(PersonArchiveDocument), { id: dee.id, version: 3 }, 1);
    const person = (await app.request(PersonDetailDocument, { id: dee.id })).body.data!.node as { email: string | null; archived: boolean; history: { nodes: Array<{ action: string }> } };
    expect(person).toMatchObject({ email: null, archived: true });
    expect(person.history.nodes.map((e) => e.action)).toEqual(['archive', 'update', 'update', 'create']);

    // workstreams and links (a team or lead link is recorded on both sides)
    await step(m(WorkstreamCreateDocument), { code: 'WS-TWO', name: 'Two', startDate: '2026-02-01' }, 1);
    await step(m(WorkstreamUpdateDocument), { code: 'WS-TWO', version: 1, status: 'ACTIVE', aims: ['One aim'], startDate: null }, 1);
    await step(m(WorkstreamAddPrincipleDocument), { workstreamCode: 'WS-TWO', principle: 'RESPONSIVE' }, 1);
    await step(m(WorkstreamRemovePrincipleDocument), { workstreamCode: 'WS-TWO', principle: 'RESPONSIVE' }, 1);
    await step(m(WorkstreamAddTeamDocument), { workstreamCode: 'WS-TWO', orgUnitCode: 'RTT-W', joinedOn: '2026-03-01' }, 2);
    await step(m(WorkstreamRemoveTeamDocument), { workstreamCode: 'WS-TWO', orgUnitCode: 'RTT-W' }, 2);
    await step(m(WorkstreamAddLeadDocument), { workstreamCode: 'WS-TWO', personId: world.bea, role: 'LIVED_EXPERIENCE_LEAD' }, 2);
    const changed = await step(m(WorkstreamAddLeadDocument), { workstreamCode: 'WS-TWO', personId: world.bea, role: 'CO_LEAD' }, 2);
    expect((changed.workstream as { leads: { nodes: unknown } }).leads.nodes).toEqual([{ role: 'CO_LEAD', person: { name: 'Bea Peer' } }]);
    await step(m(WorkstreamRemoveLeadDocument), { workstreamCode: 'WS-TWO', personId: world.bea }, 2);
    // The same person named by email (any case), as an integration that holds no global ids would.
    const byEmail = await step(m(WorkstreamAddLeadDocument), { workstreamCode: 'WS-TWO', personEmail: 'Bea@NHS.test', role: 'CO_LEAD' }, 2);
    expect((byEmail.workstream as { leads: { nodes: unknown } }).leads.nodes).toEqual([{ role: 'CO_LEAD', person: { name: 'Bea Peer' } }]);
    await step(m(WorkstreamRemoveLeadDocument), { workstreamCode: 'WS-TWO', personEmail: 'bea@nhs.test' }, 2);
    const ms = (await step(m(MilestoneCreateDocument), { workstreamCode: 'WS-TWO', title: 'Kick-off', dueDate: '2026-03-01' }, 1)).milestone as { id: string };
    const done = await step(m(MilestoneUpdateDocument), { id: ms.id, version: 1, status: 'DONE', completedOn: '2026-03-02' }, 1);
    expect(done.milestone).toMatchObject({ status: 'DONE', completedOn: '2026-03-02', version: 2 });
    const reopened = await step(m(MilestoneUpdateDocument), { id: ms.id, version: 2, status: 'IN_PROGRESS' }, 1);
    expect(reopened.milestone).toMatchObject({ status: 'IN_PROGRESS', completedOn: null });
    await step(m(MilestoneArchiveDocument), { id: ms.id, version: 3 }, 1);
    const lei = (await step(m(InvolvementCreateDocument), { workstreamCode: 'WS-TWO', kind: 'PEER_SUPPORT', description: 'Peer workers on the ward' }, 1)).livedExperienceInvolvement as { id: string };
    await step(m(InvolvementUpdateDocument), { id: lei.id, version: 1, peopleCount: 4, kind: 'CO_DELIVERY' }, 1);
    await step(m(InvolvementArchiveDocument), { id: lei.id, version: 2 }, 1);
    await step(m(MeasureAddWorkstreamDocument), { measureCode: 'C1', workstreamCode: 'WS-TWO' }, 2);
    await step(m(MeasureRemoveWorkstreamDocument), { measureCode: 'C1', workstreamCode: 'WS-TWO' }, 2);
    const ws = (await app.request(WorkstreamDetailDocument, { code: 'WS-TWO' })).body.data!.workstream!;
    expect(ws).toMatchObject({ status: 'ACTIVE', startDate: null, aims: ['One aim'], milestones: { nodes: [] }, livedExperienceInvolvement: { nodes: [] }, leads: { nodes: [] }, principles: [] });
    expect(ws.history.nodes.map((e) => e.action)).toEqual([
      'removeMeasure',
      'addMeasure',
      'removeLead',
      'addLead',
      'removeLead',
      'changeLeadRole',
      'addLead',
      'removeTeam',
      'addTeam',
      'removePrinciple',
      'addPrinciple',
      'update',
      'create',
    ]);
    expect(ws.history.nodes[5]).toMatchObject({ before: { role: 'LIVED_EXPERIENCE_LEAD' }, after: { role: 'CO_LEAD' } });
    await step(m(WorkstreamArchiveDocument), { code: 'WS-TWO', version: 2 }, 1);

    // measures
    await step(m(MeasureUpdateDocument), { code: 'C1', version: 1, name: 'Actions taken', scoringType: 'RATE', multiplier: 100, unit: 'per 100 concerns', ownerPersonId: world.ada }, 1);
    await step(m(MeasureAddPrincipleDocument), { measureCode: 'C1', principle: 'RESPONSIVE' }, 1);
    await step(m(MeasureRemovePrincipleDocument), { measureCode: 'C1', principle: 'RESPONSIVE' }, 1);
    const set = await step(m(MeasureTargetSetDocument), { measureCode: 'C1', value: 50, rationale: 'Half of concerns' }, 1);
    expect(set.measureTarget).toMatchObject({ value: 50, version: 1 });
    const replaced = await step(m(MeasureTargetSetDocument), { measureCode: 'C1', value: 60, version: 1 }, 1);
    expect(replaced.measureTarget).toMatchObject({ value: 60, version: 2, rationale: 'Half of concerns' });
    await step(m(MeasureTargetSetDocument), { measureCode: 'C1', orgUnitCode: 'RTT-D', value: 70 }, 1);
    await step(m(MeasureTargetRemoveDocument), { measureCode: 'C1', orgUnitCode: 'RTT-D', version: 1 }, 1);
    await step(m(MeasureArchiveDocument), { code: 'C1', version: 2 }, 1);
    const measure = (await app.request(MeasureDetailDocument, { code: 'C1' })).body.data!.measure!;
    expect(measure).toMatchObject({ name: 'Actions taken', scoringType: 'RATE', multiplier: 100, archived: true, target: 60, owner: { name: 'Ada Lead' } });
    expect(measure.targets).toEqual({ totalCount: 1, nodes: [{ value: 60, version: 2, orgUnit: null }] });
    expect(measure.history.nodes.map((e) => e.action)).toEqual([
      'archive',
      'removeTarget',
      'setTarget',
      'setTarget',
      'setTarget',
      'removePrinciple',
      'addPrinciple',
      'update',
      'removeWorkstream',
      'addWorkstream',
      'create',
    ]);
    expect(measure.history.nodes.find((e) => e.action === 'removeTarget')).toMatchObject({ before: { orgUnit: 'RTT-D', value: 70 }, after: null });
  });

  test('archiving races adding a link: never an archived team in a live workstream, nor an archived lead', async () => {
    const prisma = app.database.db.prisma;
    await must(m(WorkstreamCreateDocument), { code: 'WS-RACE', name: 'Race' });
    for (let i = 0; i < 6; i++) {
      const code = `RTT-R${i}`;
      await must(m(OrgUnitCreateDocument), { code, name: code, type: 'TEAM', parentCode: 'RTT-DIR2' });
      const person = (await must(m(PersonCreateDocument), { name: `Racer ${i}` })).person as { id: string };
      await Promise.all([
        payload(m(OrgUnitArchiveDocument), { code, version: 1 }),
        payload(m(WorkstreamAddTeamDocument), { workstreamCode: 'WS-RACE', orgUnitCode: code }),
        payload(m(PersonArchiveDocument), { id: person.id, version: 1 }),
        payload(m(WorkstreamAddLeadDocument), { workstreamCode: 'WS-RACE', personId: person.id }),
      ]);
    }
    const archivedTeams = await prisma.workstreamTeam.count({ where: { workstream: { code: 'WS-RACE' }, orgUnit: { archivedAt: { not: null } } } });
    const archivedLeads = await prisma.workstreamLead.count({ where: { workstream: { code: 'WS-RACE' }, person: { archivedAt: { not: null } } } });
    expect([archivedTeams, archivedLeads]).toEqual([0, 0]);
  });

  test('workstreamAddTeams: every refused code at once, by its index, and nothing changed', async () => {
    const before = await snapshot(app.database.db.prisma);
    const body = await payload(m(WorkstreamAddTeamsDocument), { workstreamCode: 'WS-ONE', orgUnitCodes: ['NOPE', 'RTT-B', 'RTT-A', 'RTT-DIR'] }, keys.FACULTY_LEAD);
    expect(body.data!.workstreamAddTeams.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['orgUnitCodes', '0'], 'NOT_FOUND'],
      [['orgUnitCodes', '2'], 'TAKEN'],
      [['orgUnitCodes', '3'], 'INVALID'],
    ]);
    expect(body.data!.workstreamAddTeams.workstream).toBeNull();
    expect(await snapshot(app.database.db.prisma)).toBe(before);
  });

  test('workstreamAddTeams: a TEAM_MANAGER naming a team outside its scope is FORBIDDEN for all of them', async () => {
    await must(m(WorkstreamCreateDocument), { code: 'WS-MGR-BULK', name: 'Manager bulk test' });
    const before = await snapshot(app.database.db.prisma);
    const body = await payload(m(WorkstreamAddTeamsDocument), { workstreamCode: 'WS-MGR-BULK', orgUnitCodes: ['RTT-A', 'RTT-B'] }, keys.TEAM_MANAGER_A);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toContain('RTT-B is outside your key');
    expect(await snapshot(app.database.db.prisma)).toBe(before);
    const own = await payload(m(WorkstreamAddTeamsDocument), { workstreamCode: 'WS-MGR-BULK', orgUnitCodes: ['RTT-A'] }, keys.TEAM_MANAGER_A);
    expect(own.data!.workstreamAddTeams.userErrors).toEqual([]);
  });

  test('workstreamAddMeasures links them all, each recorded on both sides, in the same SQL statements for 1 measure as for 4', async () => {
    const prisma = app.database.db.prisma;
    await must(m(WorkstreamCreateDocument), { code: 'WS-MB-1', name: 'Measures one' });
    await must(m(WorkstreamCreateDocument), { code: 'WS-MB-4', name: 'Measures four' });
    await must(m(MeasureCreateDocument), { code: 'MB-X', name: 'Bulk-linked measure', scoringType: 'COUNT', improvementDirection: 'NEITHER' });
    const audits = await prisma.auditEvent.count();
    const one = await payload(m(WorkstreamAddMeasuresDocument), { workstreamCode: 'WS-MB-1', measureCodes: ['R1'] });
    expect(one.data!.workstreamAddMeasures.userErrors).toEqual([]);
    const four = await payload(m(WorkstreamAddMeasuresDocument), { workstreamCode: 'WS-MB-4', measureCodes: ['R1', 'P1', 'M1', 'MB-X'] });
    expect(four.data!.workstreamAddMeasures.userErrors).toEqual([]);
    expect((four.data!.workstreamAddMeasures.workstream as unknown as { measures: { nodes: Array<{ code: string }> } }).measures.nodes.map((n) => n.code).sort()).toEqual(['M1', 'MB-X', 'P1', 'R1']);
    // Two audit entries per measure (the measure's addWorkstream, the workstream's addMeasure): 2 × 1 + 2 × 4 = 10.
    expect((await prisma.auditEvent.count()) - audits).toBe(10);
    expect(four.extensions!.sqlStatements).toBe(one.extensions!.sqlStatements);
    // All or none: one measure already linked refuses the lot.
    const before = await prisma.measureWorkstream.count();
    const mixed = await payload(m(WorkstreamAddMeasuresDocument), { workstreamCode: 'WS-MB-1', measureCodes: ['M1', 'R1'] });
    expect(mixed.data!.workstreamAddMeasures.userErrors).toEqual([expect.objectContaining({ field: ['measureCodes', '1'], code: 'TAKEN' })]);
    expect(await prisma.measureWorkstream.count()).toBe(before);
  });

  test('workstreamAddTeams joins them all, each recorded on both sides, in the same SQL statements for 1 team as for 4', async () => {
    const prisma = app.database.db.prisma;
    await must(m(WorkstreamCreateDocument), { code: 'WS-BULK-1', name: 'Bulk one' });
    await must(m(WorkstreamCreateDocument), { code: 'WS-BULK-4', name: 'Bulk four' });
    const audits = await prisma.auditEvent.count();
    const one = await payload(m(WorkstreamAddTeamsDocument), { workstreamCode: 'WS-BULK-1', orgUnitCodes: ['RTT-B'] });
    expect(one.data!.workstreamAddTeams.userErrors).toEqual([]);
    const four = await payload(m(WorkstreamAddTeamsDocument), { workstreamCode: 'WS-BULK-4', orgUnitCodes: ['RTT-W', 'RTT-A', 'RTT-D', 'RTT-B'], joinedOn: '2026-02-01' });
    expect(four.data!.workstreamAddTeams.userErrors).toEqual([]);
    expect((four.data!.workstreamAddTeams.workstream as { teams: { nodes: Array<{ code: string }> } }).teams.nodes.map((n) => n.code).sort()).toEqual(['RTT-A', 'RTT-B', 'RTT-D', 'RTT-W']);
    // Two audit entries per team (the workstream's addTeam, the unit's joinWorkstream): 2 × 1 + 2 × 4 = 10.
    expect((await prisma.auditEvent.count()) - audits).toBe(10);
    const links = await prisma.workstreamTeam.findMany({ where: { workstream: { code: 'WS-BULK-4' } }, select: { joinedOn: true } });
    expect(links.map((l) => l.joinedOn?.toISOString().slice(0, 10))).toEqual(['2026-02-01', '2026-02-01', '2026-02-01', '2026-02-01']);
    const history = await app.request(OrgUnitDetailDocument, { code: 'RTT-D' });
    expect(history.body.data!.orgUnit!.history.nodes[0]).toMatchObject({ action: 'joinWorkstream', after: expect.objectContaining({ workstream: 'WS-BULK-4' }) });
    expect(four.extensions!.sqlStatements).toBe(one.extensions!.sqlStatements);
  });
});
