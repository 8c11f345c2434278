import type { Role } from '../generated/prisma/enums';

/**
 * Who is asking. Every request that reaches a resolver has one. A TEAM_MANAGER is scoped to
 * an org unit and its subtree (`scopePath` is that unit's materialised path); an INTEGRATION
 * key is scoped to its client's measures and org units.
 */
export interface Actor {
  /** the API key's row id; null for the operator's ADMIN_API_KEY and for a person who signed in */
  keyId: number | null;
  /** the credential, stable across requests (its rate-limit budget): `key:<id>`, `operator`, or `oidc:<sub>` for a person who signed in */
  subject: string;
  /** what audit records and logs call this actor */
  label: string;
  role: Role;
  scopeOrgUnitId: number | null;
  scopePath: string | null;
  integrationClientId: number | null;
  /** an integration client's source system: the default `source` of what it sends */
  sourceSystem: string | null;
  /**
   * The trusts (their root org units' ids) the credential may read and write; null: every
   * trust of the installation (ADMIN and whole-ICS BOARD keys only). Nothing of any other
   * trust reaches this actor: tenancy.ts filters every read by it.
   */
  trustIds: readonly number[] | null;
}

/** The operations a role may perform; services check these, not role names. */
export type Permission =
  | 'read'
  | 'manageKeys'
  | 'editOrganisation'
  | 'editFacultyMap'
  /** add or remove a team taking part in a workstream (a TEAM_MANAGER: only its own teams) */
  | 'editWorkstreamTeams'
  | 'editMeasures'
  | 'recordObservations'
  | 'writeCommentary'
  /** record feedback, its actions and CORE item 22 assessments (a TEAM_MANAGER: only within its subtree) */
  | 'recordFeedback'
  | 'seeUnsuppressed';

const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  ADMIN: new Set<Permission>(['read', 'manageKeys', 'editOrganisation', 'editFacultyMap', 'editWorkstreamTeams', 'editMeasures', 'recordObservations', 'writeCommentary', 'recordFeedback', 'seeUnsuppressed']),
  FACULTY_LEAD: new Set<Permission>(['read', 'editFacultyMap', 'editWorkstreamTeams', 'editMeasures', 'recordObservations', 'writeCommentary', 'recordFeedback']),
  BOARD: new Set<Permission>(['read']),
  // Scoped: only within the manager's own subtree (checked with `inScope`). A manager may enrol
  // its own teams in a workstream, or withdraw them: that is the frontline's call to make.
  TEAM_MANAGER: new Set<Permission>(['read', 'editWorkstreamTeams', 'recordObservations', 'writeCommentary', 'recordFeedback', 'seeUnsuppressed']),
  INTEGRATION: new Set<Permission>(['read', 'recordObservations']),
};

export function can(actor: Actor, permission: Permission): boolean {
  return PERMISSIONS[actor.role].has(permission);
}

/** Roles whose scope is limited to an org-unit subtree. */
export function isScoped(actor: Actor): boolean {
  return actor.role === 'TEAM_MANAGER' && actor.scopePath !== null;
}

/** True when the org unit with `path` lies in the actor's subtree (or the actor is unscoped). */
export function inScope(actor: Actor, orgUnitPath: string): boolean {
  return !isScoped(actor) || orgUnitPath.startsWith(actor.scopePath as string);
}

/** The id of the trust an org unit belongs to: the first id of its materialised path (`/7/12/40/`). */
export function trustIdOfPath(orgUnitPath: string): number {
  return Number(orgUnitPath.split('/', 2)[1]);
}

/** Whether the actor may read every trust of the installation. */
export function readsEveryTrust(actor: Actor): boolean {
  return actor.trustIds === null;
}

/** True when the org unit with `path` belongs to one of the actor's trusts. */
export function inTrusts(actor: Actor, orgUnitPath: string): boolean {
  return actor.trustIds === null || actor.trustIds.includes(trustIdOfPath(orgUnitPath));
}

/**
 * Whether the actor sees the true figures of every org unit it can read (an unscoped reader
 * with the right, e.g. ADMIN); everyone else reads them under small-number disclosure control.
 */
export function seesEveryTrueFigure(actor: Actor): boolean {
  return can(actor, 'seeUnsuppressed') && !isScoped(actor);
}

/** Whether the actor sees an org unit's true figures (the team's own manager and ADMIN do). */
export function seesTrueFigures(actor: Actor, orgUnitPath: string): boolean {
  return can(actor, 'seeUnsuppressed') && inScope(actor, orgUnitPath) && inTrusts(actor, orgUnitPath);
}
