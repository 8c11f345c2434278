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

/**
 * The 4Rs of each database, read once per process: the principles are seeded by the migrations and
 * nothing in the API writes them, so a page of measures with their principles need not read them
 * again on every request. An empty or failed read is not kept.
 */
const principlesByDatabase = new WeakMap<Database, Promise<Principle[]>>();

function principlesOf(db: Database): Promise<Principle[]> {
  let all = principlesByDatabase.get(db);
  if (!all) {
    all = principlesSql(db).then((rows) => rows.map(principleFromRow));
    principlesByDatabase.set(db, all);
    all.then(
      (principles) => principles.length === 0 && principlesByDatabase.delete(db),
      () => principlesByDatabase.delete(db),
    );
  }
  return all;
}

function buildPrincipleLoaders(db: Database) {
  const allPrinciples = () => principlesOf(db);
  /** By id, answered from the four (whatever the ids asked for). */
  const principleById = loaderByKey((_ids: number[]) => allPrinciples(), (principle) => principle.dbId, (principle) => principle);
  return { allPrinciples, principleById };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const principleLoaders = perRequest((ctx) => buildPrincipleLoaders(ctx.db));
