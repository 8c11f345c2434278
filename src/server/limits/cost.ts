import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../graphql/connection';

/**
 * The cost of an operation: an upper bound on the objects its response can hold.
 * - every field of an object type costs 1 (scalars and enums cost nothing: the object that
 *   holds them is already counted, and depth, aliases and tokens bound the rest);
 * - a connection (`first`/`last` and a `...Connection` type) multiplies its `edges`/`nodes`
 *   by the page size asked (20 when absent, as the resolvers do; at most the page cap, since a
 *   larger page is refused before any work). Nested connections multiply;
 * - `nodes(ids:)` multiplies by the number of ids, and a list with `orgUnitCodes` (small
 *   multiples) by the number of codes;
 * - introspection's lists (types, fields, args, ...) count as 10 items each, so the classic
 *   `fields { type { fields { type ... } } }` cycle is refused while the standard
 *   introspection query is admitted (outside production; production refuses introspection);
 * - other lists count once: they are bounded by the data (a unit's children, a series' months),
 *   not by the client.
 * Variables are taken from the request, so `first: $n` costs what `$n` asks.
 */
const INTROSPECTION_LIST_ITEMS = 10;

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const rootType =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!rootType) return 0;

  /** `pageSize`: set while walking a connection's own fields, so its lists are multiplied. */
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLNamedType, pageSize: number | null): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parentType, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (type) total += walk(selection.selectionSet, type, pageSize);
      } else {
        const name = selection.name.value;
        const key = `${name}|${pageSize ?? ''}`;
        const cached = memo.get(key);
        if (cached !== undefined) {
          total += cached;
          continue;
        }
        const fragment = fragments.get(name);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || inProgress.has(name)) continue;
        inProgress.add(name);
        const cost = walk(fragment.selectionSet, type, pageSize);
        inProgress.delete(name);
        memo.set(key, cost);
        total += cost;
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parentType: GraphQLNamedType, pageSize: number | null): number => {
    const definition = fieldDefinition(schema, parentType, node.name.value);
    if (!definition) return 0;
    const named = getNamedType(definition.type);
    const own = isCompositeType(named) ? 1 : 0;
    const isList = isListType(getNullableType(definition.type));
    const childPageSize = isConnection(definition, named) ? connectionPageSize(node, variables) : null;
    const children = node.selectionSet ? walk(node.selectionSet, named, childPageSize) : 0;
    let items = 1;
    if (isList && pageSize !== null) items = pageSize;
    else if (isList && parentType.name.startsWith('__')) items = INTROSPECTION_LIST_ITEMS;
    else if (isList && definition.args.some((a) => a.name === 'ids')) items = listLength(argument(node, 'ids'), variables, MAX_PAGE_SIZE);
    else if (isList && definition.args.some((a) => a.name === 'orgUnitCodes')) items = listLength(argument(node, 'orgUnitCodes'), variables, MAX_PAGE_SIZE);
    return (own + children) * items;
  };

  return walk(operation.selectionSet, rootType, null);
}

function fieldDefinition(schema: GraphQLSchema, parentType: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parentType === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  if (!isCompositeType(parentType) || !('getFields' in parentType)) return undefined;
  return (parentType as Exclude<GraphQLCompositeType, { getTypes: unknown }>).getFields()[name];
}

function isConnection(definition: GraphQLField<unknown, unknown>, named: GraphQLNamedType): boolean {
  return named.name.endsWith('Connection') && definition.args.some((a) => a.name === 'first' || a.name === 'last');
}

function connectionPageSize(node: FieldNode, variables: Record<string, unknown> | undefined): number {
  const first = intValue(argument(node, 'first'), variables);
  const last = intValue(argument(node, 'last'), variables);
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(size, 0), MAX_PAGE_SIZE);
}

function argument(node: FieldNode, name: string): ValueNode | undefined {
  return node.arguments?.find((a) => a.name.value === name)?.value;
}

function intValue(value: ValueNode | undefined, variables: Record<string, unknown> | undefined): number | null {
  if (!value) return null;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables?.[value.name.value];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return null;
}

function listLength(value: ValueNode | undefined, variables: Record<string, unknown> | undefined, cap: number): number {
  let length = 1;
  if (value?.kind === Kind.LIST) length = value.values.length;
  else if (value?.kind === Kind.VARIABLE) {
    const v = variables?.[value.name.value];
    length = Array.isArray(v) ? v.length : 1;
  }
  return Math.min(length, cap);
}
