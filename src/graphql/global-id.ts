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

export function decodeGlobalId(globalId: string): DecodedGlobalId | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Z][A-Za-z]{0,63}):([0-9]{1,19})$/.exec(decoded);
  return match ? { typeName: match[1], id: match[2] } : null;
}

/** Decodes an ID the caller says is of `typeName`, or throws BAD_USER_INPUT. */
export function expectGlobalId(globalId: string, typeName: string, argument = 'id'): number {
  const decoded = decodeGlobalId(globalId);
  if (!decoded || decoded.typeName !== typeName) {
    throw badInput(`"${globalId}" is not a valid ${typeName} ID`, argument);
  }
  return Number(decoded.id);
}
