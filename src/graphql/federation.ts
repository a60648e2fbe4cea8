import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import {
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  lexicographicSortSchema,
  parse,
  printSchema,
  visit,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { Context } from '../context.js';
import { badInput } from '../errors.js';
import { fromGlobalId, NODE_TYPES, type NodeTypeName } from './global-id.js';
import { loaderOf } from './node.resolver.js';

/**
 * The hub as an Apollo Federation 2 subgraph. type-graphql builds the schema as always; its SDL, with the
 * `@key`/`@shareable` directives the types declare (federation-directives.ts), goes through
 * @apollo/subgraph's buildSubgraphSchema, which adds `_service { sdl }` and `_entities`. The field
 * resolvers are type-graphql's own (createResolversMap); the policy then wraps every field of this
 * schema, the fields federation adds included (auth/enforce-policy.ts).
 */

/** The Federation 2 version the hub's SDL links (2.3: widely supported by Apollo Router and gateway). */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.3';
const FEDERATION_IMPORTS = ['@key', '@shareable'];

const LINK: DocumentNode = parse(
  `extend schema @link(url: "${FEDERATION_SPEC}", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])`,
);

// biome-ignore lint/suspicious/noExplicitAny: resolver maps hold resolvers of every shape.
type ResolverMap = Record<string, any>;

/** The executable subgraph schema the hub serves over HTTP and WebSocket, from type-graphql's schema. */
export function toSubgraphSchema(typeGraphqlSchema: GraphQLSchema): GraphQLSchema {
  const resolvers: ResolverMap = createResolversMap(typeGraphqlSchema);
  const subgraph = buildSubgraphSchema([
    { typeDefs: LINK },
    { typeDefs: withTypeGraphqlDirectives(typeGraphqlSchema), resolvers },
  ]);
  const entityUnion = subgraph.getType('_Entity');
  const entities = entityUnion && isUnionType(entityUnion) ? entityUnion.getTypes() : [];
  for (const type of entities) {
    if (!(NODE_TYPES as readonly string[]).includes(type.name)) {
      throw new Error(`${type.name} has @key but is no Node type: the hub resolves entities by global id.`);
    }
    type.extensions = {
      ...type.extensions,
      apollo: { subgraph: { resolveReference: resolveReference(type.name as NodeTypeName) } },
    };
  }
  refuseNonEntityReferences(subgraph, new Set(entities.map((type) => type.name)));
  return subgraph;
}

/**
 * The subgraph SDL as composition reads it: `@link`, `@key`, `@shareable` on the hub's own types
 * (`_service { sdl }` answers the same schema with federation's definitions spelled out).
 */
export function printHubSubgraphSdl(subgraph: GraphQLSchema): string {
  return printSubgraphSchema(subgraph);
}

/**
 * `printSchema` drops the directives type-graphql keeps on each type's and field's `astNode`
 * (`@Directive`); put them back, so that `@key` and `@shareable` reach the subgraph SDL.
 */
function withTypeGraphqlDirectives(schema: GraphQLSchema): DocumentNode {
  const declared = (
    nodes: readonly ConstDirectiveNode[] | undefined,
    existing: readonly ConstDirectiveNode[],
  ) => (nodes ?? []).filter((d) => !existing.some((e) => e.name.value === d.name.value));
  const withFields = <
    N extends {
      name: { value: string };
      directives?: readonly ConstDirectiveNode[];
      fields?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[];
    },
  >(
    node: N,
  ): N => {
    const type = schema.getType(node.name.value);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return node;
    const fields = type.getFields();
    return {
      ...node,
      directives: [...(node.directives ?? []), ...declared(type.astNode?.directives, node.directives ?? [])],
      fields: node.fields?.map((field) => {
        const own = fields[field.name.value]?.astNode?.directives;
        return {
          ...field,
          directives: [...(field.directives ?? []), ...declared(own, field.directives ?? [])],
        };
      }),
    };
  };
  return visit(parse(printSchema(lexicographicSortSchema(schema))), {
    [Kind.OBJECT_TYPE_DEFINITION]: withFields,
    [Kind.INTERFACE_TYPE_DEFINITION]: withFields,
  });
}

/**
 * `_entities` for one entity type: the reference's `id` is a global id; it must name this type (a
 * Location id given as an Offer is no Offer). Loaded through the request's DataLoaders, so a batch of
 * references of one type costs one statement, and judged by the type's row rule like `node(id)`. A
 * reference the viewer may not see looks exactly like an unknown one: null, never an error.
 */
function resolveReference(typeName: NodeTypeName) {
  return async (reference: { id?: unknown }, context: Context): Promise<object | null> => {
    if (typeof reference.id !== 'string') return null;
    let decoded: ReturnType<typeof fromGlobalId>;
    try {
      decoded = fromGlobalId(reference.id);
    } catch {
      return null;
    }
    if (decoded.type !== typeName) return null;
    const row = await context.loaders[loaderOf[typeName]].load(decoded.id);
    if (!row || !(await context.access.canSeeRow(typeName, row))) return null;
    return row;
  };
}

/**
 * A representation must name an entity type. @apollo/subgraph would hand any other object type's
 * reference back as the object itself and fail on it as an internal error; this is the caller's mistake,
 * and the answer depends on the type name only, never on whether such an object exists.
 */
function refuseNonEntityReferences(subgraph: GraphQLSchema, entityTypes: ReadonlySet<string>): void {
  const field = subgraph.getQueryType()?.getFields()._entities;
  if (!field?.resolve) return;
  const resolve = field.resolve;
  field.resolve = (root, args, context, info) => {
    for (const representation of (args.representations ?? []) as { __typename?: unknown }[]) {
      const typename = representation?.__typename;
      if (typeof typename !== 'string' || !entityTypes.has(typename)) {
        throw badInput(
          `"${String(typename).slice(0, 100)}" is not an entity type of this subgraph (${[...entityTypes].join(', ')}).`,
          { argument: 'representations' },
        );
      }
    }
    return resolve(root, args, context, info);
  };
}
