import { forbidden } from './errors';
import { inScope, type Actor } from '../access/actor';

/**
 * A TEAM_MANAGER may change nothing outside its own subtree. Thrown inside a mutation, the
 * FORBIDDEN error rolls the transaction back and reaches the client as a top-level error,
 * like a missing permission (it is a matter of authority, not of the input's content).
 */
export function requireInScope(actor: Actor, unit: { code: string; path: string }): void {
  if (!inScope(actor, unit.path)) throw forbidden(`${unit.code} is outside your key’s scope`);
}
