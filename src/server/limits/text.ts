import { BREAK, Kind, visit, type ASTNode, type DocumentNode } from 'graphql';

/**
 * PostgreSQL's text cannot hold the NUL character (U+0000): a string carrying one would fail
 * in the database as an unexpected error. Any string of an operation, in its variables or in
 * the document's own literals, is checked once, here, before anything runs.
 */
const NUL = '\u0000';

/** Where a NUL hides in the request's variables: `variable $input at input.rows.3.source`, or null. */
export function nulInVariables(variables: unknown): string | null {
  const path = nulPath(variables);
  if (!path || path.length === 0) return null;
  return path.length === 1 ? `variable $${path[0]}` : `variable $${path[0]} at ${path.join('.')}`;
}

/** The path (keys and array indexes) to the first string in a JSON value that holds a NUL, or null. */
export function nulPath(json: unknown): Array<string | number> | null {
  // Almost no request holds a NUL: a first pass that builds no paths (a 5,000-row import has
  // 40,000 strings) answers most; only a hit is walked again to name where it is.
  return holdsNul(json) ? pathToNul(json) : null;
}

function holdsNul(json: unknown): boolean {
  // Iterative: a deeply nested JSON body must not exhaust the stack.
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes(NUL)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value && typeof value === 'object') {
      for (const key in value) if (Object.hasOwn(value, key)) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function pathToNul(json: unknown): Array<string | number> | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: json, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

/** Where a NUL hides in the document's string literals: `argument input.name`, or null. */
export function nulInDocument(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes(NUL)) return undefined;
      // `ancestors` stops above the parent
      found = literalPath([...(ancestors as ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>), parent as ASTNode]);
      return BREAK;
    },
  });
  return found;
}

function literalPath(ancestors: ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>): string {
  const names: string[] = [];
  let what = 'a string literal';
  for (const ancestor of ancestors) {
    if (Array.isArray(ancestor) || !('kind' in ancestor)) continue;
    const node = ancestor as ASTNode;
    if (node.kind === Kind.ARGUMENT) {
      what = 'argument';
      names.length = 0;
      names.push(node.name.value);
    } else if (node.kind === Kind.OBJECT_FIELD) names.push(node.name.value);
    else if (node.kind === Kind.VARIABLE_DEFINITION) {
      what = 'the default value of';
      names.length = 0;
      names.push(`$${node.variable.name.value}`);
    }
  }
  return names.length > 0 ? `${what} ${names.join('.')}` : what;
}

export function nulMessage(where: string): string {
  return `Text may not contain the NUL character (U+0000); found in ${where}`;
}
