import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from '../../context.js';
import { executeSql, join, type Sql, sql } from '../../db/sql.js';
import { today } from '../../domain/calendar.js';
import { ARGUMENT_VALIDATION } from '../../graphql/argument-validation.js';
import type { Connection } from '../../graphql/relay.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { organisationsPage } from '../organisation/organisation.resolver.js';
import { OrganisationsArgs } from '../organisation/organisation.types.js';
import { type OfferPage, searchOffers, searchOffersByOrganisation } from '../search/execute.js';
import { OffersArgs } from '../search/offers.types.js';
import { offerSearchOptions } from '../search/search-options.js';
import {
  type BuildState,
  buildObject,
  type Compiler,
  compileObject,
  jsonRow,
  type ObjectPlan,
  type Value,
} from './compile.js';
import { collectFields, NotPlannable, subSelections } from './selection.js';
import type { Env } from './sources.js';
import { validatedArgs } from './validated-args.js';

type Variables = Record<string, unknown>;

/** One root field of a planned operation: what it answers under its response key. */
interface RootPlan {
  key: string;
  run(ctx: Context, variables: Variables, state: BuildState, env: Env): Promise<unknown>;
}

/** A query whose every root field is planned, for one viewer class. */
export interface DocumentPlan {
  roots: RootPlan[];
  /** Some field's answer depends on sharing grants: read them before building. */
  needsGrants: boolean;
}

/**
 * The plan of `document`'s operation for the viewer class of `ctx` (decisions of the policy that depend
 * only on roles are taken here, once), or NotPlannable when some part of it is not covered: then the
 * executor answers it, field by field, as for everything else.
 */
export function compileDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  ctx: Context,
): DocumentPlan {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') throw new NotPlannable('not a query');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const c: Compiler = { schema, fragments, access: ctx.access, em: ctx.em, aliases: 0, needsGrants: false };
  const query = schema.getQueryType()!;
  const roots: RootPlan[] = [];
  for (const [key, nodes] of collectFields(schema, fragments, query, [operation.selectionSet])) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      roots.push({ key, run: async () => query.name });
      continue;
    }
    if (c.access.fieldAnswer(query.name, name) !== true)
      throw new NotPlannable(`Query.${name} is restricted`);
    const field = query.getFields()[name];
    if (!field) throw new NotPlannable(`Query.${name}`);
    if (name === 'offers') roots.push(offersRoot(c, key, field, nodes));
    else if (name === 'organisations') roots.push(organisationsRoot(c, key, field, nodes));
    else throw new NotPlannable(`Query.${name} is not planned`);
  }
  return { roots, needsGrants: c.needsGrants };
}

/** The connection's own fields: public wrappers, asked of the policy like every other field. */
function connectionFields(c: Compiler, type: GraphQLObjectType, sets: readonly SelectionSetNode[]) {
  const fields = collectFields(c.schema, c.fragments, type, sets);
  for (const [, nodes] of fields) {
    const name = nodes[0]!.name.value;
    if (name !== '__typename' && c.access.fieldAnswer(type.name, name) !== true) {
      throw new NotPlannable(`${type.name}.${name} is restricted`);
    }
  }
  return fields;
}

const objectTypeOf = (field: GraphQLField<unknown, unknown> | undefined): GraphQLObjectType => {
  const type = field && getNamedType(field.type);
  if (!type || !isObjectType(type)) throw new NotPlannable('object type expected');
  return type;
};

/** What a connection is built from: its page info and its items, each with its cursor. */
interface PageOf<Item> {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
  totalCount: number | Promise<number>;
  items: { item: Item; cursor: string }[];
}

/**
 * A Relay connection's selection (edges, nodes, pageInfo, totalCount, __typename) → a builder from a page
 * of items, each node built by `node` (compiled once per place the node type is selected).
 */
function compileConnection<Item>(
  c: Compiler,
  connectionType: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  compileNode: (
    type: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
  ) => (item: Item, s: BuildState) => unknown,
) {
  type Part = (page: PageOf<Item>, s: BuildState) => unknown;
  const parts: [string, Part][] = [];
  for (const [k, fieldNodes] of connectionFields(c, connectionType, sets)) {
    const name = fieldNodes[0]!.name.value;
    const def = connectionType.getFields()[name];
    if (name === '__typename') {
      parts.push([k, () => connectionType.name]);
    } else if (name === 'nodes') {
      const node = compileNode(objectTypeOf(def), subSelections(fieldNodes));
      parts.push([k, (page, s) => page.items.map(({ item }) => node(item, s))]);
    } else if (name === 'edges') {
      const edgeType = objectTypeOf(def);
      const edgeParts: [string, (item: Item, cursor: string, s: BuildState) => unknown][] = [];
      for (const [ek, edgeNodes] of connectionFields(c, edgeType, subSelections(fieldNodes))) {
        const edgeField = edgeNodes[0]!.name.value;
        if (edgeField === '__typename') edgeParts.push([ek, () => edgeType.name]);
        else if (edgeField === 'cursor') edgeParts.push([ek, (_i, cursor) => cursor]);
        else if (edgeField === 'node') {
          const node = compileNode(objectTypeOf(edgeType.getFields().node), subSelections(edgeNodes));
          edgeParts.push([ek, (item, _c, s) => node(item, s)]);
        } else throw new NotPlannable(`${edgeType.name}.${edgeField} is not planned`);
      }
      parts.push([
        k,
        (page, s) =>
          page.items.map(({ item, cursor }) => {
            const edge: Record<string, unknown> = {};
            for (const [ek, build] of edgeParts) edge[ek] = build(item, cursor, s);
            return edge;
          }),
      ]);
    } else if (name === 'pageInfo') {
      const pageInfoType = objectTypeOf(def);
      const read: Record<string, (page: PageOf<Item>) => unknown> = {
        __typename: () => pageInfoType.name,
        hasNextPage: (p) => p.hasNextPage,
        hasPreviousPage: (p) => p.hasPreviousPage,
        startCursor: (p) => p.startCursor,
        endCursor: (p) => p.endCursor,
      };
      const infoParts = [...connectionFields(c, pageInfoType, subSelections(fieldNodes))].map(
        ([ik, n]): [string, (page: PageOf<Item>) => unknown] => {
          const reader = read[n[0]!.name.value];
          if (!reader) throw new NotPlannable(`PageInfo.${n[0]!.name.value}`);
          return [ik, reader];
        },
      );
      parts.push([
        k,
        (page) => {
          const info: Record<string, unknown> = {};
          for (const [ik, reader] of infoParts) info[ik] = reader(page);
          return info;
        },
      ]);
    } else if (name === 'totalCount') {
      parts.push([k, (page) => page.totalCount]);
    } else {
      throw new NotPlannable(`${connectionType.name}.${name} is not planned`);
    }
  }
  return async (page: PageOf<Item>, s: BuildState) => {
    const built: Record<string, unknown> = {};
    for (const [k, part] of parts) {
      const value = part(page, s);
      built[k] = value instanceof Promise ? await value : value;
    }
    return built;
  };
}

/** An offer connection's plan: the offers' planned columns as one JSON array per offer, and the builder. */
function compileOfferConnection(
  c: Compiler,
  connectionType: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
) {
  const plans: ObjectPlan[] = [];
  // One node plan written by PostgreSQL as JSON text is selected as that text, not inside an array.
  let direct = false;
  const build = compileConnection<unknown>(c, connectionType, sets, (type, nodeSets) => {
    const i = plans.push(compileObject(c, type, nodeSets, 'po')) - 1;
    return (row, s) =>
      buildObject(plans[i]!, (direct ? row : (row as unknown[])[i]) as unknown[] | string, null, s);
  });
  direct = plans.length === 1 && plans[0]!.raw;
  const select = (env: Env): Sql =>
    direct
      ? jsonRow(plans[0]!, env)
      : plans.length
        ? sql`json_build_array(${join(
            plans.map((p) => jsonRow(p, env)),
            ', ',
          )})`
        : sql`null`;
  /** The search's page with the selected row of each offer; an offer gone meanwhile drops out with its cursor. */
  const pageOf = (page: OfferPage, selected: Map<string, unknown>): PageOf<unknown> => ({
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    get startCursor() {
      return page.cursors[0] ?? null;
    },
    get endCursor() {
      return page.cursors.at(-1) ?? null;
    },
    get totalCount() {
      return page.totalCount;
    },
    items: page.ids.flatMap((id, n) => {
      const row = selected.get(id);
      if (row === undefined) return [];
      return [
        {
          item: row ?? [],
          get cursor() {
            return page.cursors[n]!;
          },
        },
      ];
    }),
  });
  return { build, select, pageOf };
}

/** Query.offers: the search's page (search/execute.ts) with each offer's planned columns read along. */
function offersRoot(
  c: Compiler,
  key: string,
  fieldDef: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
): RootPlan {
  const connection = compileOfferConnection(c, objectTypeOf(fieldDef), subSelections(nodes));
  const node = nodes[0]!;
  return {
    key,
    async run(ctx, variables, state, env) {
      const args = await argumentsOf(OffersArgs, fieldDef, node, variables);
      const page = await searchOffers(ctx.em, args, offerSearchOptions(ctx.viewer), connection.select(env));
      return connection.build(connection.pageOf(page, page.selected ?? new Map()), state);
    },
  };
}

/**
 * Query.organisations: the organisations' page as the resolver reads it, their planned columns in one
 * statement, and each nested `offers(…)` connection for all organisations of the page at once (one
 * search, one statement for the offers' columns), as the executor's loader batches them.
 */
function organisationsRoot(
  c: Compiler,
  key: string,
  fieldDef: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
): RootPlan {
  type Nested = {
    id: number;
    fieldDef: GraphQLField<unknown, unknown>;
    node: FieldNode;
    connection: ReturnType<typeof compileOfferConnection>;
  };
  const nested: Nested[] = [];
  const outer = c.nested;
  c.nested = (type, _key, fieldNodes): Value | undefined => {
    const name = fieldNodes[0]!.name.value;
    if (type.name !== 'Organisation' || name !== 'offers') return undefined;
    const def = type.getFields().offers!;
    // Only the page's own organisations: below them (an offer's organisation) the ids are not known
    // before the statement, so a deeper Organisation.offers is not planned.
    c.nested = undefined;
    try {
      const connection = compileOfferConnection(c, objectTypeOf(def), subSelections(fieldNodes));
      const id = nested.push({ id: nested.length, fieldDef: def, node: fieldNodes[0]!, connection }) - 1;
      return (_row, owner, s) => s.nested.get(id)?.get(owner ?? '') ?? null;
    } finally {
      c.nested = hook;
    }
  };
  const hook = c.nested;
  const plans: ObjectPlan[] = [];
  const build = compileConnection<{ organisation: Organisation; row: unknown[] }>(
    c,
    objectTypeOf(fieldDef),
    subSelections(nodes),
    (type, nodeSets) => {
      const i = plans.push(compileObject(c, type, nodeSets, 'o')) - 1;
      return ({ row }, s) => buildObject(plans[i]!, row[i] as unknown[] | string, null, s);
    },
  );
  c.nested = outer;
  const node = nodes[0]!;
  return {
    key,
    async run(ctx, variables, state, env) {
      const args = await argumentsOf(OrganisationsArgs, fieldDef, node, variables);
      const page: Connection<Organisation> = await organisationsPage(ctx.em, args);
      const ids = page.nodes.map((o) => o.id);
      const [rows] = await Promise.all([
        selectOrganisations(ctx, ids, plans, env),
        ...nested.map(async (n) => {
          const nestedArgs = await argumentsOf(OffersArgs, n.fieldDef, n.node, variables);
          // The pages of every organisation and their offers' planned columns: one statement.
          const pages = await searchOffersByOrganisation(
            ctx.em,
            ids,
            nestedArgs,
            offerSearchOptions(ctx.viewer),
            n.connection.select(env),
          );
          const built = new Map<string, unknown>();
          for (const [organisationId, offerPage] of pages) {
            built.set(
              organisationId,
              await n.connection.build(
                n.connection.pageOf(offerPage, offerPage.selected ?? new Map()),
                state,
              ),
            );
          }
          state.nested.set(n.id, built);
        }),
      ]);
      return build(
        {
          hasNextPage: page.pageInfo.hasNextPage,
          hasPreviousPage: page.pageInfo.hasPreviousPage,
          startCursor: page.pageInfo.startCursor ?? null,
          endCursor: page.pageInfo.endCursor ?? null,
          // Counted only if selected (the connection's getter runs the count).
          get totalCount() {
            return page.totalCount;
          },
          items: page.edges.flatMap((e) => {
            const row = rows.get(e.node.id);
            return row ? [{ item: { organisation: e.node, row: row as unknown[] }, cursor: e.cursor }] : [];
          }),
        },
        state,
      );
    },
  };
}

async function selectOrganisations(ctx: Context, ids: string[], plans: ObjectPlan[], env: Env) {
  if (ids.length === 0 || plans.length === 0) return new Map(ids.map((id) => [id, [] as unknown[]]));
  const rows = await executeSql<{ id: string; selected: unknown[] }[]>(
    ctx.em,
    sql`select o.id, json_build_array(${join(
      plans.map((p) => jsonRow(p, env)),
      ', ',
    )}) as selected from organisation o where o.id = any(array[${join(ids, ', ')}]::uuid[])`,
  );
  return new Map(rows.map((r) => [r.id, r.selected]));
}

/** A field's arguments as its resolver gets them (coerced, as instances, validated). */
function argumentsOf<T>(
  ArgsClass: new () => T,
  fieldDef: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Variables,
): Promise<T> {
  return validatedArgs(ArgsClass, getArgumentValues(fieldDef, node, variables), ARGUMENT_VALIDATION);
}

/** The day plans judge "current" on: the hub's local date (domain/calendar.ts). */
export const planEnv = (): Env => ({ day: today() });
