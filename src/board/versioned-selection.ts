import {
  getNamedType,
  isAbstractType,
  isLeafType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Root query fields and object types whose answers are functions of the board data version (Feature.versionedReads). */
export interface VersionedFields {
  queryFields: ReadonlySet<string>;
  types: ReadonlySet<string>;
}

/**
 * Whether every field `operation` selects is a versioned root query field, a field of a
 * versioned type, or a scalar or enum of one: then its whole response is a function of the
 * data version, the reader and the hour, and may be cached under them. Conservative by
 * construction: a field of any other type, a mutation, introspection, or a fragment on a type
 * (or an interface or union with a member) not declared, makes it false. Both branches of
 * @include/@skip count, whatever the variables say.
 */
export function selectsOnlyVersioned(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, versioned: VersionedFields): boolean {
  if (operation.operation !== 'query') return false;
  const query = schema.getQueryType();
  if (!query) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  // A type may be selected into when it is declared, or (an interface or union) when all its members are.
  const declared = (type: GraphQLCompositeType): boolean =>
    isAbstractType(type) ? schema.getPossibleTypes(type).every((member) => versioned.types.has(member.name)) : versioned.types.has(type.name);

  const expanding = new Set<string>(); // fragments being walked: a cycle is invalid GraphQL, and must not loop here
  const walk = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, atRoot: boolean): boolean => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (atRoot ? !versioned.queryFields.has(name) : !declared(parent)) return false;
        if (!('getFields' in parent)) return false; // a union has no fields but __typename
        const field = parent.getFields()[name];
        if (!field) return false;
        const type = getNamedType(field.type);
        if (isLeafType(type)) continue;
        if (!declared(type) || !selection.selectionSet || !walk(type, selection.selectionSet, false)) return false;
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) return false;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        if (!condition || !('name' in condition) || !(condition === query || declared(condition as GraphQLCompositeType))) return false;
        const key = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
        if (key !== null) {
          if (expanding.has(key)) return false;
          expanding.add(key);
        }
        const ok = walk(condition as GraphQLCompositeType, fragment.selectionSet, condition === query);
        if (key !== null) expanding.delete(key);
        if (!ok) return false;
      }
    }
    return true;
  };
  return walk(query, operation.selectionSet, true);
}
