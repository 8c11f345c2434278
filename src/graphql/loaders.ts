import { auditLoaders } from '../audit/audit-event.loaders';
import { boardLoaders } from '../board/board.loaders';
import type { PrismaClient } from '../generated/prisma/client';
import { integrationClientLoaders } from '../integrations/integration-client.loaders';
import { measureLoaders } from '../measures/measure.loaders';
import { observationLoaders } from '../observations/observation.loaders';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { personLoaders } from '../people/person.loaders';
import { principleLoaders } from '../principles/principle.loaders';
import { workstreamLoaders } from '../workstreams/workstream.loaders';

/** Every feature's per-request DataLoaders, side by side. */
export function createLoaders(prisma: PrismaClient) {
  return {
    ...principleLoaders(prisma),
    ...orgUnitLoaders(prisma),
    ...personLoaders(prisma),
    ...workstreamLoaders(prisma),
    ...measureLoaders(prisma),
    ...observationLoaders(prisma),
    ...integrationClientLoaders(prisma),
    ...boardLoaders(prisma),
    ...auditLoaders(prisma),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
