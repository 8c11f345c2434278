import type { Database } from '../db/database';
import type { Principle as PrincipleRow } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey } from '../graphql/loaders';
import { principleFromRow, type Principle } from './principle.type';

/**
 * The four principles through the driver rather than Prisma's client (every page of measures
 * reads them; issue 15). They belong to no trust: no trust condition applies.
 */
function principlesSql(db: Database): Promise<PrincipleRow[]> {
  return db.raw.query<PrincipleRow>(
    `SELECT p.id, p.key::text AS key, p.name, p.summary, p.patient_focus AS "patientFocus", p.staff_focus AS "staffFocus", p.sort_order AS "sortOrder"
     FROM principle p ORDER BY p.sort_order`,
  );
}

function buildPrincipleLoaders(db: Database) {
  // Four rows that never change at run time: one query serves every lookup in a request.
  let all: Promise<Principle[]> | null = null;
  const allPrinciples = () => {
    all ??= principlesSql(db).then((rows) => rows.map(principleFromRow));
    return all;
  };
  /** By id, answered from the four (whatever the ids asked for). */
  const principleById = loaderByKey((_ids: number[]) => allPrinciples(), (principle) => principle.dbId, (principle) => principle);
  return { allPrinciples, principleById };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const principleLoaders = perRequest((ctx) => buildPrincipleLoaders(ctx.db));
