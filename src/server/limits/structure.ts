import {
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LimitCode, type LimitViolation } from './codes';

export interface StructureLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
}

/** What one selection set amounts to once its fragments are expanded. */
interface Measure {
  /** deepest field nesting (a leaf at the root is 1) */
  depth: number;
  aliases: number;
  directives: number;
  /** fields at this level (root fields, when measured at the operation's root) */
  fields: number;
}

const ZERO: Measure = { depth: 0, aliases: 0, directives: 0, fields: 0 };

/**
 * Measures every operation of a parsed (not yet validated) document: field depth, aliases,
 * root fields and directives, counted with fragments expanded where they are spread, since a
 * fragment spread ten times costs ten times. Each fragment is measured once (memoised), so a
 * "fragment bomb" that doubles at every level is measured in linear time; cycles and unknown
 * fragments count as nothing here (validation refuses them afterwards).
 * Returns the first limit exceeded, or null. A limit of 0 is off.
 */
export function checkStructure(document: DocumentNode, limits: StructureLimits): LimitViolation | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const measureFragment = (name: string): Measure => {
    const cached = memo.get(name);
    if (cached) return cached;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return ZERO;
    inProgress.add(name);
    const measured = measureSelectionSet(fragment.selectionSet);
    inProgress.delete(name);
    const withOwn = { ...measured, directives: measured.directives + countDirectives(fragment.directives) };
    memo.set(name, withOwn);
    return withOwn;
  };

  const measureSelectionSet = (selectionSet: SelectionSetNode): Measure => {
    const total: Measure = { depth: 0, aliases: 0, directives: 0, fields: 0 };
    for (const selection of selectionSet.selections) {
      let inner: Measure;
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? measureSelectionSet(selection.selectionSet) : ZERO;
        inner = {
          depth: child.depth + 1,
          aliases: child.aliases + (selection.alias ? 1 : 0),
          directives: child.directives + countDirectives(selection.directives),
          fields: 1,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const child = measureSelectionSet(selection.selectionSet);
        inner = { ...child, directives: child.directives + countDirectives(selection.directives) };
      } else {
        const child = measureFragment(selection.name.value);
        inner = { ...child, directives: child.directives + countDirectives(selection.directives) };
      }
      total.depth = Math.max(total.depth, inner.depth);
      total.aliases += inner.aliases;
      total.directives += inner.directives;
      total.fields += inner.fields;
    }
    return total;
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const violation = checkOperation(definition, measureSelectionSet(definition.selectionSet), limits);
    if (violation) return violation;
  }
  return null;
}

function countDirectives(directives: readonly DirectiveNode[] | undefined): number {
  return directives?.length ?? 0;
}

function checkOperation(operation: OperationDefinitionNode, measured: Measure, limits: StructureLimits): LimitViolation | null {
  const name = operation.name ? `Operation ${operation.name.value}` : 'The operation';
  const directives =
    measured.directives + countDirectives(operation.directives) + (operation.variableDefinitions ?? []).reduce((n, v) => n + countDirectives(v.directives), 0);
  const checks: Array<[number, number, LimitCode, (n: string) => string]> = [
    [measured.depth, limits.maxDepth, LimitCode.QUERY_TOO_DEEP, (n) => `nests fields ${n} levels deep`],
    [measured.aliases, limits.maxAliases, LimitCode.TOO_MANY_ALIASES, (n) => `uses ${n} aliases`],
    [measured.fields, limits.maxRootFields, LimitCode.TOO_MANY_ROOT_FIELDS, (n) => `asks for ${n} root fields`],
    [directives, limits.maxDirectives, LimitCode.TOO_MANY_DIRECTIVES, (n) => `uses ${n} directives`],
  ];
  for (const [actual, limit, code, describe] of checks) {
    if (limit > 0 && actual > limit) {
      // A fragment bomb can count past any useful number: say "more than a million" instead.
      const huge = !(actual <= 1_000_000);
      const shown = huge ? 1_000_000 : actual;
      return { code, actual: shown, limit, message: `${name} ${describe(huge ? 'more than 1000000' : String(actual))}; the limit is ${limit}` };
    }
  }
  return null;
}
