/**
 * Writes a Dataset (dataset.ts) into the database with Prisma, fast: ids are looked up once
 * into Maps, rows go in with createMany (observations in chunks of 5,000), no per-row queries.
 * Meant for an empty database (or at least one without these codes): it inserts, never merges.
 */
import { jsonRows, jsonRowsParam } from '../db/json-rows';
import { rebuildRollups } from '../observations/rollups';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { PrincipleKey } from '../generated/prisma/enums';
import type { Dataset } from './dataset';
import { refreshCoreItem22 } from '../feedback/core-item-22.service';
import { lastDay } from './calendar';

export interface LoadOptions {
  onProgress?: (done: number, total: number) => void;
}

export interface LoadCounts {
  orgUnits: number;
  measures: number;
  observations: number;
}

export const OBSERVATION_CHUNK = 5000;
const RECORDED_BY = 'demo-seed';
// Loading hundreds of thousands of rows takes minutes; Prisma's default is 5 seconds.
const TRANSACTION_TIMEOUT_MS = 60 * 60 * 1000;

type Db = Prisma.TransactionClient;


/** A calendar date ('YYYY-MM-DD') as the UTC midnight Prisma writes to a DATE column. */
function date(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function need<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Dataset refers to an unknown ${what}: ${String(key)}`);
  return value;
}

/** Loads the dataset in one transaction, so a failure leaves nothing half-written. */
export async function loadDataset(prisma: PrismaClient, dataset: Dataset, options: LoadOptions = {}): Promise<LoadCounts> {
  return prisma.$transaction((tx) => loadDatasetInto(tx, dataset, options), { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 });
}

/** The same, inside a transaction the caller already holds (seed.ts takes a lock first). */
export async function loadDatasetInto(db: Db, dataset: Dataset, options: LoadOptions = {}): Promise<LoadCounts> {
  // A bulk load (millions of rows at the 10× size) may outlast the per-request statement timeout.
  await db.$executeRawUnsafe('SET LOCAL statement_timeout = 0');
  const principleIds = new Map<PrincipleKey, number>(
    (await db.principle.findMany({ select: { id: true, key: true } })).map((p) => [p.key, p.id]),
  );
  const orgUnitIds = await insertOrgUnits(db, dataset);
  const personIds = await insertPeople(db, dataset, orgUnitIds);
  const workstreamIds = await insertWorkstreams(db, dataset, { principleIds, orgUnitIds, personIds });
  const measureIds = await insertMeasures(db, dataset, { principleIds, personIds, workstreamIds });
  const observations = await insertObservations(db, dataset, { orgUnitIds, measureIds }, options.onProgress);
  await insertFeedback(db, dataset, { orgUnitIds, personIds });
  // Bulk loads skip the per-write rollup deltas; build the pooled rollups once, set-based.
  await rebuildRollups(db);
  return { orgUnits: dataset.orgUnits.length, measures: dataset.measures.length, observations };
}

/**
 * Org units need their own id in `path` ("/1/4/17/"). Rather than insert and then update
 * each row, take the ids from the table's own sequence first, compute every path, and insert
 * once. Parents come before children in the dataset, so a parent's path is always known.
 */
async function insertOrgUnits(db: Db, dataset: Dataset): Promise<Map<string, number>> {
  const units = dataset.orgUnits;
  const reserved = await db.$queryRaw<Array<{ id: number }>>`
    SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))::int AS id FROM generate_series(1, ${units.length}::int)`;
  const ids = reserved.map((r) => Number(r.id)).sort((a, b) => a - b);
  const byCode = new Map<string, { id: number; path: string; depth: number }>();
  const rows: Prisma.OrgUnitCreateManyInput[] = units.map((unit, i) => {
    const id = ids[i];
    const parent = unit.parentCode === null ? null : need(byCode, unit.parentCode, 'parent org unit');
    const path = `${parent?.path ?? '/'}${id}/`;
    const depth = parent ? parent.depth + 1 : 0;
    byCode.set(unit.code, { id, path, depth });
    return { id, code: unit.code, name: unit.name, type: unit.type, odsCode: unit.odsCode ?? null, parentId: parent?.id ?? null, path, depth };
  });
  await db.orgUnit.createMany({ data: rows });
  return new Map([...byCode].map(([code, { id }]) => [code, id]));
}

async function insertPeople(db: Db, dataset: Dataset, orgUnitIds: Map<string, number>): Promise<Map<string, number>> {
  const created = await db.person.createManyAndReturn({
    data: dataset.people.map((p) => ({
      name: p.name,
      email: p.email,
      jobTitle: p.jobTitle,
      hasLivedExperience: p.hasLivedExperience,
      orgUnitId: p.orgUnitCode === null ? null : need(orgUnitIds, p.orgUnitCode, 'org unit'),
    })),
    select: { id: true, email: true },
  });
  const idByEmail = new Map(created.map((p) => [p.email, p.id]));
  return new Map(dataset.people.map((p) => [p.key, need(idByEmail, p.email, 'person email')]));
}

async function insertWorkstreams(
  db: Db,
  dataset: Dataset,
  ids: { principleIds: Map<PrincipleKey, number>; orgUnitIds: Map<string, number>; personIds: Map<string, number> },
): Promise<Map<string, number>> {
  const created = await db.workstream.createManyAndReturn({
    data: dataset.workstreams.map((w) => ({
      code: w.code,
      name: w.name,
      description: w.description,
      aims: w.aims,
      status: w.status,
      startDate: date(w.startDate),
      endDate: w.endDate === null ? null : date(w.endDate),
    })),
    select: { id: true, code: true },
  });
  const workstreamIds = new Map(created.map((w) => [w.code, w.id]));
  const leads: Prisma.WorkstreamLeadCreateManyInput[] = [];
  const principles: Prisma.WorkstreamPrincipleCreateManyInput[] = [];
  const teams: Prisma.WorkstreamTeamCreateManyInput[] = [];
  const milestones: Prisma.MilestoneCreateManyInput[] = [];
  const involvement: Prisma.LivedExperienceInvolvementCreateManyInput[] = [];
  for (const w of dataset.workstreams) {
    const workstreamId = need(workstreamIds, w.code, 'workstream');
    for (const lead of w.leads) leads.push({ workstreamId, personId: need(ids.personIds, lead.personKey, 'person'), role: lead.role });
    for (const key of w.principles) principles.push({ workstreamId, principleId: need(ids.principleIds, key, 'principle') });
    for (const code of w.teamCodes) {
      teams.push({ workstreamId, orgUnitId: need(ids.orgUnitIds, code, 'org unit'), joinedOn: date(w.teamJoinedOn[code] ?? w.startDate) });
    }
    for (const m of w.milestones) {
      milestones.push({ workstreamId, title: m.title, dueDate: date(m.dueDate), status: m.status, completedOn: m.completedOn === null ? null : date(m.completedOn) });
    }
    for (const i of w.involvement) {
      involvement.push({ workstreamId, kind: i.kind, description: i.description, peopleCount: i.peopleCount, startedOn: date(i.startedOn) });
    }
  }
  await db.workstreamLead.createMany({ data: leads });
  await db.workstreamPrinciple.createMany({ data: principles });
  await db.workstreamTeam.createMany({ data: teams });
  await db.milestone.createMany({ data: milestones });
  await db.livedExperienceInvolvement.createMany({ data: involvement });
  return workstreamIds;
}

async function insertMeasures(
  db: Db,
  dataset: Dataset,
  ids: { principleIds: Map<PrincipleKey, number>; personIds: Map<string, number>; workstreamIds: Map<string, number> },
): Promise<Map<string, number>> {
  const created = await db.measure.createManyAndReturn({
    data: dataset.measures.map((m) => ({
      code: m.code,
      name: m.name,
      description: m.description,
      scoringType: m.scoringType,
      improvementDirection: m.improvementDirection,
      multiplier: m.multiplier,
      unit: m.unit,
      audience: m.audience,
      numeratorLabel: m.numeratorLabel,
      denominatorLabel: m.denominatorLabel,
      stratifiers: m.stratifiers ?? [],
      ownerId: need(ids.personIds, m.ownerKey, 'person'),
    })),
    select: { id: true, code: true },
  });
  const measureIds = new Map(created.map((m) => [m.code, m.id]));
  const principles: Prisma.MeasurePrincipleCreateManyInput[] = [];
  const workstreams: Prisma.MeasureWorkstreamCreateManyInput[] = [];
  const targets: Prisma.MeasureTargetCreateManyInput[] = [];
  for (const m of dataset.measures) {
    const measureId = need(measureIds, m.code, 'measure');
    for (const key of m.principles) principles.push({ measureId, principleId: need(ids.principleIds, key, 'principle') });
    for (const code of m.workstreamCodes) workstreams.push({ measureId, workstreamId: need(ids.workstreamIds, code, 'workstream') });
    // A trust-wide target is the row with no org unit.
    if (m.trustTarget !== null) targets.push({ measureId, orgUnitId: null, value: m.trustTarget, rationale: 'Trust-wide target (demonstration data)' });
  }
  await db.measurePrinciple.createMany({ data: principles });
  await db.measureWorkstream.createMany({ data: workstreams });
  await db.measureTarget.createMany({ data: targets });
  return measureIds;
}

async function insertObservations(
  db: Db,
  dataset: Dataset,
  ids: { orgUnitIds: Map<string, number>; measureIds: Map<string, number> },
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  // The total costs one generating pass (no rows kept); only worth it when someone is watching.
  const total = onProgress ? dataset.countObservations() : 0;
  // Rows in the dataset's own shape ('YYYY-MM-DD' periods), ids looked up once per row.
  const columns = [['m', 'int'], ['u', 'int'], ['p', 'date'], ['n', 'float8'], ['d', 'float8'], ['s', 'text'], ['e', 'text'], ['k', 'text'], ['c', 'text']] as const;
  let done = 0;
  let chunk: unknown[][] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    // One set-based INSERT per chunk: createMany's per-row processing made loads ~5× slower.
    await db.$executeRawUnsafe(
      `INSERT INTO observation (measure_id, org_unit_id, period_start, numerator, denominator, source, external_id, recorded_by, stratifier, stratum_code)
       SELECT m, u, p, n, d, s, e, $2, k, c FROM ${jsonRows('$1', columns)} AS i`,
      jsonRowsParam(chunk),
      RECORDED_BY,
    );
    done += chunk.length;
    chunk = [];
    onProgress?.(done, total);
  };
  for (const o of dataset.observations()) {
    chunk.push([need(ids.measureIds, o.measureCode, 'measure'), need(ids.orgUnitIds, o.orgUnitCode, 'org unit'), o.periodStart, o.numerator, o.denominator, o.source, o.externalId, o.stratum?.stratifier ?? '', o.stratum?.code ?? '']);
    if (chunk.length >= OBSERVATION_CHUNK) await flush();
  }
  await flush();
  return done;
}

/**
 * The year of "you said, we did" (feedback.ts), then CORE-ITEM-22 derived from it at the
 * assessed teams as of the dataset's last month: the derived months replace the generated
 * fidelity reviews there (kept as revisions), the earlier months keep the reviews as typed in.
 */
async function insertFeedback(db: Db, dataset: Dataset, ids: { orgUnitIds: Map<string, number>; personIds: Map<string, number> }): Promise<void> {
  const ledger = dataset.feedback;
  const themes = await db.feedbackTheme.createManyAndReturn({ data: ledger.themes.map((t) => ({ code: t.code, name: t.name, principleKeys: t.principleKeys })), select: { id: true, code: true } });
  const themeIds = new Map(themes.map((t) => [t.code, t.id]));
  const trustOf = new Map<number, number>();
  for (const unit of await db.orgUnit.findMany({ where: { id: { in: [...ids.orgUnitIds.values()] } }, select: { id: true, path: true } })) trustOf.set(unit.id, Number(unit.path.split('/')[1]));
  const end = new Date(`${lastDay(dataset.options.endPeriod)}T12:00:00.000Z`);
  const created = await db.feedback.createManyAndReturn({
    data: ledger.feedback.map((f) => {
      const orgUnitId = need(ids.orgUnitIds, f.orgUnitCode, 'org unit');
      return {
        orgUnitId,
        trustId: need(trustOf, orgUnitId, 'trust'),
        source: f.source,
        externalId: f.externalId,
        receivedOn: date(f.receivedOn),
        summary: f.summary,
        recordedBy: RECORDED_BY,
        status: f.published ? ('PUBLISHED' as const) : ('DRAFT' as const),
        reviewedBy: f.published ? RECORDED_BY : null,
        publishedAt: f.published ? end : null,
      };
    }),
    select: { id: true, externalId: true },
  });
  const feedbackIds = new Map(created.map((f) => [f.externalId, f.id]));
  const links: Prisma.FeedbackThemeLinkCreateManyInput[] = [];
  const actions: Prisma.FeedbackActionCreateManyInput[] = [];
  for (const f of ledger.feedback) {
    const feedbackId = need(feedbackIds, f.externalId, 'feedback');
    for (const code of f.themeCodes) links.push({ feedbackId, themeId: need(themeIds, code, 'theme') });
    for (const a of f.actions) {
      actions.push({
        feedbackId,
        description: a.description,
        ownerId: need(ids.personIds, a.ownerKey, 'person'),
        dueOn: date(a.dueOn),
        status: a.status,
        evidence: a.evidence,
        completedOn: a.completedOn === null ? null : date(a.completedOn),
        droppedReason: a.droppedReason,
      });
    }
  }
  await db.feedbackThemeLink.createMany({ data: links });
  await db.feedbackAction.createMany({ data: actions });
  await db.coreItem22Assessment.createMany({
    data: ledger.assessments.map((a) => ({
      orgUnitId: need(ids.orgUnitIds, a.orgUnitCode, 'org unit'),
      criterion: a.criterion,
      met: a.met,
      assessedOn: date(a.assessedOn),
      assessor: a.assessor,
      evidence: a.evidence,
      recordedBy: RECORDED_BY,
    })),
  });
  const assessed = [...new Set(ledger.assessments.map((a) => need(ids.orgUnitIds, a.orgUnitCode, 'org unit')))];
  await refreshCoreItem22(db, RECORDED_BY, assessed, end);
}
