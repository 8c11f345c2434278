import type { UserErrorData } from '../graphql/errors';
import type { MutationResult } from './mutation';
import type { VersionedResult } from './versioning';

/**
 * A mutation's payload from its result, naming the entity after the entity
 * (`{ measure, userErrors }`); a versioned result also carries `current`, the entity as a
 * colleague left it after a CONFLICT (`{ measure, current, userErrors }`).
 */
export function payload<K extends string, T>(key: K, result: VersionedResult<T>): { [P in K]: T | null } & { current: T | null; userErrors: UserErrorData[] };
export function payload<K extends string, T>(key: K, result: MutationResult<T>): { [P in K]: T | null } & { userErrors: UserErrorData[] };
export function payload<K extends string, T>(key: K, result: MutationResult<T> | VersionedResult<T>) {
  return { [key]: result.value, ...('current' in result ? { current: result.current } : {}), userErrors: result.userErrors };
}
