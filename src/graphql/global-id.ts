import { badInput } from './errors';

/**
 * Opaque global IDs: base64url of "<Type>:<database id>". Clients must treat them as
 * opaque; the server decodes them to find the entity for `node`/`nodes`.
 */
export function encodeGlobalId(typeName: string, id: number | bigint | string): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  typeName: string;
  id: string;
}

/**
 * Ids travel as JavaScript numbers (NodeFetcher, Prisma's Int), so a decoded id is at most
 * 2^53 − 1: past it a number would stand for another id, and past 2^63 − 1 no column can hold
 * it (PostgreSQL would refuse the statement). Most tables' ids are `int` (MAX_INT_ID);
 * observations and audit events have `bigint` ids.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
export const MAX_INT_ID = 2_147_483_647;

export function decodeGlobalId(globalId: string): DecodedGlobalId | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Z][A-Za-z]{0,63}):([0-9]{1,19})$/.exec(decoded);
  if (!match || Number(match[2]) > MAX_ID) return null;
  return { typeName: match[1], id: match[2] };
}

/**
 * Decodes an ID the caller says is of `typeName`, or throws BAD_USER_INPUT (a user error
 * inside a mutation). `maxId`: the largest id the type's table can hold.
 */
export function expectGlobalId(globalId: string, typeName: string, argument = 'id', maxId = MAX_INT_ID): number {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== typeName || Number(decoded.id) > maxId) {
    throw badInput(`"${globalId}" is not a valid ${typeName} ID`, argument);
  }
  return Number(decoded.id);
}
