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
import { join, type Sql, sql } from '../../db/sql.js';
import { today } from '../../domain/calendar.js';
import { ARGUMENT_VALIDATION } from '../../graphql/argument-validation.js';
import type { OfferPage } from '../search/execute.js';
import { searchOffers } from '../search/execute.js';
import { OffersArgs } from '../search/offers.types.js';
import { offerSearchOptions } from '../search/search-options.js';
import {
  type BuildState,
  buildObject,
  type Compiler,
  compileObject,
  jsonRow,
  type ObjectPlan,
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
  if (!operation || operation.operation !== 'query') throw new NotPlannable('not a query');
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
    if (name === 'offers' && field) roots.push(offersRoot(c, key, field, nodes));
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

interface Kept {
  row: unknown[];
  cursor: string;
}
type Build = (page: OfferPage, kept: Kept[], state: BuildState) => Promise<unknown> | unknown;

/** Query.offers: the search's page (search/execute.ts) with each offer's planned columns read along. */
function offersRoot(
  c: Compiler,
  key: string,
  fieldDef: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
): RootPlan {
  const connectionType = objectTypeOf(fieldDef);
  const offerPlans: ObjectPlan[] = [];
  const offerPlan = (type: GraphQLObjectType, sets: readonly SelectionSetNode[]) => {
    offerPlans.push(compileObject(c, type, sets, 'po'));
    return offerPlans.length - 1;
  };
  const parts: [string, Build][] = [];
  for (const [k, fieldNodes] of connectionFields(c, connectionType, subSelections(nodes))) {
    const name = fieldNodes[0]!.name.value;
    const def = connectionType.getFields()[name];
    if (name === '__typename') {
      parts.push([k, () => connectionType.name]);
    } else if (name === 'nodes') {
      const i = offerPlan(objectTypeOf(def), subSelections(fieldNodes));
      parts.push([
        k,
        (_p, kept, s) => kept.map(({ row }) => buildObject(offerPlans[i]!, row[i] as unknown[], null, s)),
      ]);
    } else if (name === 'edges') {
      const edgeType = objectTypeOf(def);
      const edgeParts: [string, (row: unknown[], cursor: string, s: BuildState) => unknown][] = [];
      for (const [ek, edgeNodes] of connectionFields(c, edgeType, subSelections(fieldNodes))) {
        const edgeField = edgeNodes[0]!.name.value;
        if (edgeField === '__typename') edgeParts.push([ek, () => edgeType.name]);
        else if (edgeField === 'cursor') edgeParts.push([ek, (_r, cursor) => cursor]);
        else if (edgeField === 'node') {
          const i = offerPlan(objectTypeOf(edgeType.getFields().node), subSelections(edgeNodes));
          edgeParts.push([ek, (r, _c, s) => buildObject(offerPlans[i]!, r[i] as unknown[], null, s)]);
        } else throw new NotPlannable(`${edgeType.name}.${edgeField} is not planned`);
      }
      parts.push([
        k,
        (_page, kept, s) =>
          kept.map(({ row, cursor }) => {
            const edge: Record<string, unknown> = {};
            for (const [ek, build] of edgeParts) edge[ek] = build(row, cursor, s);
            return edge;
          }),
      ]);
    } else if (name === 'pageInfo') {
      const pageInfoType = objectTypeOf(def);
      const infoFields = connectionFields(c, pageInfoType, subSelections(fieldNodes));
      const read: Record<string, (page: OfferPage) => unknown> = {
        __typename: () => pageInfoType.name,
        hasNextPage: (p) => p.hasNextPage,
        hasPreviousPage: (p) => p.hasPreviousPage,
        startCursor: (p) => p.cursors[0] ?? null,
        endCursor: (p) => p.cursors.at(-1) ?? null,
      };
      const infoParts = [...infoFields].map(([ik, n]): [string, (page: OfferPage) => unknown] => {
        const reader = read[n[0]!.name.value];
        if (!reader) throw new NotPlannable(`PageInfo.${n[0]!.name.value}`);
        return [ik, reader];
      });
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
  const node = nodes[0]!;
  return {
    key,
    async run(ctx, variables, state, env) {
      const args = await validatedArgs(
        OffersArgs,
        getArgumentValues(fieldDef, node, variables),
        ARGUMENT_VALIDATION,
      );
      const select: Sql | undefined = offerPlans.length
        ? sql`json_build_array(${join(
            offerPlans.map((p) => jsonRow(p, env)),
            ', ',
          )})`
        : undefined;
      const page = await searchOffers(ctx.em, args, offerSearchOptions(ctx.viewer), select);
      // An offer gone between the page's two statements (a ranked page) drops out with its cursor.
      const kept = page.ids.flatMap((id, n): Kept[] => {
        const row = select ? page.selected?.get(id) : [];
        return row ? [{ row: row as unknown[], cursor: page.cursors[n]! }] : [];
      });
      const built: Record<string, unknown> = {};
      for (const [k, build] of parts) built[k] = await build(page, kept, state);
      return built;
    },
  };
}

/** The day plans judge "current" on: the hub's local date (domain/calendar.ts). */
export const planEnv = (): Env => ({ day: today() });
