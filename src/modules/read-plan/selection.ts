import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  isAbstractType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/** The fields asked of one object type under a response key, as graphql-js collects them. */
export type CollectedFields = Map<string, FieldNode[]>;

/** Thrown while planning: this document is left to the executor (the read plan does not cover it). */
export class NotPlannable extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'NotPlannable';
  }
}

/**
 * graphql-js's CollectFields for `type`: fields in document order, merged by response key, through inline
 * fragments and fragment spreads whose type condition `type` meets. Directives (@skip, @include, …) make
 * the selection depend on variables or on more than fields: such documents are not planned.
 */
export function collectFields(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): CollectedFields {
  const fields: CollectedFields = new Map();
  const visited = new Set<string>();
  const meets = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const named = schema.getType(condition);
    return named !== undefined && isAbstractType(named) && schema.isSubType(named, type);
  };
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.directives?.length) throw new NotPlannable('directives');
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (meets(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments[name];
        if (!fragment) throw new NotPlannable(`unknown fragment ${name}`);
        if (fragment.directives?.length) throw new NotPlannable('directives');
        if (meets(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  for (const set of selectionSets) walk(set);
  return fields;
}

/** The sub-selections of every node of one response key (merged, as graphql-js does). */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
}
