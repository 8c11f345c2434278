import type { PrismaClient } from '../../src/generated/prisma/client';
import type { PrincipleKey } from '../../src/generated/prisma/enums';
import { rebuildRollups } from '../../src/observations/rollups';
import { addMonths } from '../../src/statistics/periods';

/**
 * A snapshot of everything the faculty-map mutations can touch, read straight from the
 * database: two snapshots are equal only if nothing was written (versions and updatedAt
 * change with every write, and every write leaves an audit row).
 */
export async function snapshot(prisma: PrismaClient): Promise<string> {
  const byId = { orderBy: { id: 'asc' as const } };
  const parts = await Promise.all([
    prisma.orgUnit.findMany(byId),
    prisma.person.findMany(byId),
    prisma.workstream.findMany(byId),
    prisma.workstreamPrinciple.findMany({ orderBy: [{ workstreamId: 'asc' }, { principleId: 'asc' }] }),
    prisma.workstreamTeam.findMany({ orderBy: [{ workstreamId: 'asc' }, { orgUnitId: 'asc' }] }),
    prisma.workstreamLead.findMany({ orderBy: [{ workstreamId: 'asc' }, { personId: 'asc' }] }),
    prisma.milestone.findMany(byId),
    prisma.livedExperienceInvolvement.findMany(byId),
    prisma.measure.findMany(byId),
    prisma.measurePrinciple.findMany({ orderBy: [{ measureId: 'asc' }, { principleId: 'asc' }] }),
    prisma.measureWorkstream.findMany({ orderBy: [{ measureId: 'asc' }, { workstreamId: 'asc' }] }),
    prisma.measureTarget.findMany(byId),
    prisma.observationRollup.findMany({ orderBy: [{ measureId: 'asc' }, { orgUnitId: 'asc' }, { periodStart: 'asc' }] }),
    prisma.auditEvent.count(),
  ]);
  return JSON.stringify(parts, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

const KEYS: PrincipleKey[] = ['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE'];

/**
 * Grows one trust's faculty map, written straight to the database: a new directorate with
 * `size` teams, `size` workstreams (two principles, two teams, a lead, two measures each),
 * 2×`size` measures with a target, and three recent months of data for each measure at one
 * team. Calling it again with another prefix doubles every list the map and coverage walk.
 */
export async function growTrust(prisma: PrismaClient, trustCode: string, prefix: string, size: number, lastPeriod = '2026-09-01'): Promise<void> {
  const principles = await prisma.principle.findMany({ orderBy: { sortOrder: 'asc' } });
  const principleId = (i: number) => principles.find((p) => p.key === KEYS[i % 4])!.id;
  const trust = await prisma.orgUnit.findUniqueOrThrow({ where: { code: trustCode } });
  const dir = await prisma.orgUnit.create({ data: { code: `${prefix}-DIR`, name: `${prefix} directorate`, type: 'DIRECTORATE', parentId: trust.id, path: '/', depth: trust.depth + 1 } });
  await prisma.orgUnit.update({ where: { id: dir.id }, data: { path: `${trust.path}${dir.id}/` } });
  const teams = [];
  for (let i = 0; i < size; i++) {
    const team = await prisma.orgUnit.create({
      data: { code: `${prefix}-T${i}`, name: `${prefix} team ${i}`, type: i % 3 === 2 ? 'WARD' : 'TEAM', parentId: dir.id, path: '/', depth: dir.depth + 1 },
    });
    teams.push(await prisma.orgUnit.update({ where: { id: team.id }, data: { path: `${trust.path}${dir.id}/${team.id}/` } }));
  }
  const observations = [];
  for (let i = 0; i < size; i++) {
    const lead = await prisma.person.create({ data: { name: `${prefix} lead ${i}`, orgUnitId: teams[i].id } });
    const measureIds = [];
    for (let j = 0; j < 2; j++) {
      const measure = await prisma.measure.create({
        data: {
          code: `${prefix}-M${i}-${j}`,
          name: `${prefix} measure ${i}.${j}`,
          scoringType: 'PROPORTION',
          improvementDirection: 'INCREASE',
          audience: j === 0 ? 'PATIENTS' : 'STAFF',
          ownerId: lead.id,
          principles: { create: [{ principleId: principleId(i + j) }] },
          targets: { create: [{ value: 0.8 }, { value: 0.9, orgUnitId: teams[i].id }] },
        },
      });
      measureIds.push(measure.id);
      for (let m = 0; m < 3; m++) {
        observations.push({
          measureId: measure.id,
          orgUnitId: teams[(i + j) % size].id,
          periodStart: new Date(`${addMonths(lastPeriod, -m)}T00:00:00Z`),
          numerator: 8,
          denominator: 10,
          source: 'fixture',
          recordedBy: 'fixture',
        });
      }
    }
    const workstream = await prisma.workstream.create({
      data: {
        code: `${prefix}-WS${i}`,
        name: `${prefix} workstream ${i}`,
        status: 'ACTIVE',
        principles: { create: [{ principleId: principleId(i) }, { principleId: principleId(i + 1) }] },
        teams: { create: [{ orgUnitId: teams[i].id }, { orgUnitId: teams[(i + 1) % size].id }] },
        leads: { create: [{ personId: lead.id, role: 'LEAD' }] },
        measures: { create: measureIds.map((measureId) => ({ measureId })) },
      },
    });
    await prisma.milestone.create({ data: { workstreamId: workstream.id, title: `${prefix} milestone ${i}` } });
    await prisma.livedExperienceInvolvement.create({ data: { workstreamId: workstream.id, kind: 'CO_PRODUCTION', description: 'Co-designed sessions' } });
  }
  await prisma.observation.createMany({ data: observations });
  await prisma.$transaction((tx) => rebuildRollups(tx));
}
