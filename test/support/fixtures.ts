import type { PrismaClient } from '../../src/generated/prisma/client';
import type { PrincipleKey } from '../../src/generated/prisma/enums';

/**
 * A small faculty map written straight to the database: one trust, `size` teams, `size`
 * workstreams (each linked to two principles, two teams, a lead and two measures) and
 * 2×`size` measures. Doubling `size` doubles every list a map query walks.
 */
export async function createFacultyMap(prisma: PrismaClient, size: number, prefix = 'T'): Promise<void> {
  const principles = await prisma.principle.findMany({ orderBy: { sortOrder: 'asc' } });
  const principleId = (key: PrincipleKey) => principles.find((p) => p.key === key)!.id;
  const keys: PrincipleKey[] = ['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE'];

  const trust = await prisma.orgUnit.create({ data: { code: `R${prefix}X`, name: `${prefix} trust`, type: 'TRUST', path: '/', depth: 0 } });
  await prisma.orgUnit.update({ where: { id: trust.id }, data: { path: `/${trust.id}/` } });
  const teams = [];
  for (let i = 0; i < size; i++) {
    const team = await prisma.orgUnit.create({
      data: { code: `${prefix}-TEAM-${i}`, name: `${prefix} team ${i}`, type: 'TEAM', parentId: trust.id, path: '/', depth: 1 },
    });
    teams.push(await prisma.orgUnit.update({ where: { id: team.id }, data: { path: `/${trust.id}/${team.id}/` } }));
  }
  for (let i = 0; i < size; i++) {
    const lead = await prisma.person.create({ data: { name: `${prefix} lead ${i}`, orgUnitId: teams[i].id } });
    const measures = [];
    for (let j = 0; j < 2; j++) {
      measures.push(
        await prisma.measure.create({
          data: {
            code: `${prefix}-M-${i}-${j}`,
            name: `${prefix} measure ${i}.${j}`,
            scoringType: 'PROPORTION',
            improvementDirection: 'INCREASE',
            audience: j === 0 ? 'PATIENTS' : 'STAFF',
            principles: { create: [{ principleId: principleId(keys[(i + j) % 4]) }] },
            targets: { create: [{ value: 0.8 }] },
          },
        }),
      );
    }
    await prisma.workstream.create({
      data: {
        code: `${prefix}-WS-${i}`,
        name: `${prefix} workstream ${i}`,
        status: 'ACTIVE',
        principles: { create: [{ principleId: principleId(keys[i % 4]) }, { principleId: principleId(keys[(i + 1) % 4]) }] },
        teams: { create: [{ orgUnitId: teams[i].id }, { orgUnitId: teams[(i + 1) % size].id }] },
        leads: { create: [{ personId: lead.id, role: 'LEAD' }] },
        measures: { create: measures.map((m) => ({ measureId: m.id })) },
      },
    });
  }
}
