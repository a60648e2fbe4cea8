/**
 * Apollo Federation 2 directives on the hub's object types (type-graphql `@Directive`). The subgraph SDL
 * carries them (src/graphql/federation.ts); plain GraphQL clients never see them.
 */

/**
 * An entity: other subgraphs may reference it by its global id and add fields to it; the hub resolves
 * such references through the same loaders and permission policy as `node(id)`.
 */
export const ENTITY_KEY = '@key(fields: "id")';

/** A value type other subgraphs define too (Relay's PageInfo), resolvable by any of them. */
export const SHAREABLE = '@shareable';
