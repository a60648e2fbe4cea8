import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLString,
  getNamedType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { AccessControl } from '../../auth/access-control.js';
import { type FieldRule, fieldRule, policy } from '../../auth/policy.js';
import { join, raw, type Sql, sql } from '../../db/sql.js';
import { globalIdJsonSql, toGlobalId } from '../../graphql/global-id.js';
import { RawJson } from '../../graphql/raw-json.js';
import { type CollectedFields, collectFields, NotPlannable, subSelections } from './selection.js';
import { type Env, SOURCES, type Source } from './sources.js';

/** What building a response needs at run time: the policy's per-owner answers and the redactions seen. */
export interface BuildState {
  access: AccessControl;
  redactions: Map<string, { typeName: string; fieldName: string; rule: FieldRule; count: number }>;
  /** Connections read beside the statement (Organisation.offers), by plan and owning object. */
  nested: Map<number, Map<string, unknown>>;
}

type Row = unknown[];
export type Value = (row: Row, owner: string | null, state: BuildState) => unknown;

interface FieldPlan {
  key: string;
  name: string;
  /** The policy's answer for this viewer class, decided when the plan was made. */
  answer: boolean | 'per-owner';
  rule: FieldRule;
  value: Value;
  /** The field's JSON text written by PostgreSQL, where the value can be read in SQL as the executor serialises it. */
  json?: (env: Env) => Sql;
}

/** How one object of a type is read (one JSON array of columns) and built (the response object). */
export interface ObjectPlan {
  typeName: string;
  /** The JSON array's items: columns of the type's row and sub-statements of related rows. */
  columns: ((env: Env) => Sql)[];
  fields: FieldPlan[];
  /** Which column holds the owning organisation; 'parent' when the owner is the parent object's. */
  owner: number | 'parent' | 'none';
  /**
   * Every field is allowed for the whole viewer class and readable in SQL: PostgreSQL writes the object's
   * JSON text (columns holds that one expression) and the response carries it as it is (RawJson).
   */
  raw: boolean;
}

/** The compile-time context of one document for one viewer class. */
export interface Compiler {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  access: AccessControl;
  em: EntityManager;
  aliases: number;
  /** Set when some field's answer depends on sharing grants (read them once before building). */
  needsGrants: boolean;
  /**
   * A field read beside the statement rather than in it (a nested connection with arguments): the
   * root that can read it plans it and returns how to take its value; undefined: not planned.
   */
  nested?: (type: GraphQLObjectType, key: string, nodes: readonly FieldNode[]) => Value | undefined;
}

/** A new alias for a related row's table, unique in the statement. */
const nextAlias = (c: Compiler) => `t${++c.aliases}`;

function columnOf(c: Compiler, typeName: string, property: string): string {
  const source = SOURCES[typeName]!;
  const meta = c.em.getMetadata().find(source.entity.name);
  const column = meta?.properties[property as never]?.fieldNames?.[0];
  if (!column) throw new NotPlannable(`${typeName}.${property} has no column`);
  return column;
}

/** The serialisation graphql-js applies to a leaf value (identity where JSON already has the type). */
function leafSerializer(type: GraphQLOutputType): (value: unknown) => unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = leafSerializer(inner.ofType);
    const nonNullItems = isNonNullType(inner.ofType);
    return (value) => {
      if (value == null) return null;
      if (!Array.isArray(value)) throw new NotPlannable('list expected');
      return value.map((v) => {
        if (v == null && nonNullItems) throw new NotPlannable('null in a non-null list');
        return item(v);
      });
    };
  }
  const named = getNamedType(type);
  if (!isLeafType(named)) throw new NotPlannable('leaf expected');
  if ([GraphQLString, GraphQLInt, GraphQLFloat, GraphQLBoolean, GraphQLID].includes(named as never)) {
    return (value) => value;
  }
  if (named.name === 'LocalDate') {
    // PostgreSQL writes a date into JSON as YYYY-MM-DD whatever its DateStyle: the scalar's answer already.
    return (value) =>
      value == null
        ? null
        : typeof value === 'string' && ISO_DATE.test(value)
          ? value
          : named.serialize(value);
  }
  return (value) => (value == null ? null : named.serialize(value));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Leaf types whose JSON text PostgreSQL writes exactly as JSON.stringify writes the executor's value:
 * strings (the same escapes: \" \\ \b \f \n \r \t and \u00xx for other control characters; text holds
 * no NUL and no lone surrogate), integers, booleans, dates (to_json writes YYYY-MM-DD) and enums whose
 * values are their names (a column holds the name, as the executor would write it).
 */
function rawLeaf(type: GraphQLOutputType): boolean {
  const named = isNonNullType(type) ? type.ofType : type;
  if (isEnumType(named)) return named.getValues().every((v) => v.value === v.name);
  return (
    [GraphQLString, GraphQLInt, GraphQLBoolean, GraphQLID].includes(named as never) ||
    (!isListType(named) && named.name === 'LocalDate')
  );
}

/**
 * A value's JSON text in SQL, `null` for SQL null. Integers and booleans are their own text (no to_json
 * needed, which costs PostgreSQL more); everything else goes through to_json.
 */
const jsonText = (expr: string, nullable: boolean, plain = false) => {
  const text = plain ? `(${expr})::text` : `to_json(${expr})::text`;
  return raw(nullable ? `coalesce(${text}, 'null')` : text);
};

/** Column types whose text is their JSON (integers, booleans). */
const PLAIN_TEXT = /^(int|integer|int2|int4|smallint|bool|boolean)$/i;

/** Deny-by-default at compile time: a field the policy cannot answer for a whole viewer class is not planned. */
function answerFor(c: Compiler, typeName: string, fieldName: string) {
  const rule = fieldRule(typeName, fieldName);
  const answer = c.access.fieldAnswer(typeName, fieldName);
  if (!rule || answer === undefined) throw new NotPlannable(`${typeName}.${fieldName}: no plain rule`);
  if (policy[typeName]?.rows) throw new NotPlannable(`${typeName} has row rules`);
  return { rule, answer };
}

/**
 * The plan for objects of `type` selected by `sets`, read from the row aliased `alias`. The owner of the
 * objects comes from the policy's owner key of the type: the row itself ('self', 'organisation') or the
 * parent object ('offerOrganisation' under an Offer).
 */
export function compileObject(
  c: Compiler,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  alias: string,
  parentType?: string,
  /** May the object be written as JSON text (its parent is, or it is a node of a connection). */
  allowRaw = true,
  /** May related objects be: only where this object is too, else they would be text inside an array. */
  rawChildren = true,
): ObjectPlan {
  const source = SOURCES[type.name];
  const typeRule = policy[type.name];
  if (!source || !typeRule) throw new NotPlannable(`${type.name} is not planned`);
  const columns: ((env: Env) => Sql)[] = [];
  const columnIndex = new Map<string, number>();
  const meta = c.em.getMetadata().find(source.entity.name);
  /** May the property's column hold null (unknown properties count as nullable). */
  const nullable = (property: string) => {
    const prop = meta?.properties[property as never] as { nullable?: boolean } | undefined;
    return !prop || prop.nullable === true;
  };
  /** Is the property's column an integer or boolean (and its GraphQL type Int or Boolean, checked by rawLeaf). */
  const plainText = (property: string) => {
    const prop = meta?.properties[property as never] as { columnTypes?: string[] } | undefined;
    return PLAIN_TEXT.test(prop?.columnTypes?.[0] ?? '');
  };
  const columnSql = (property: string) => `${alias}."${columnOf(c, type.name, property)}"`;
  const column = (property: string) => {
    const name = columnOf(c, type.name, property);
    let index = columnIndex.get(name);
    if (index === undefined) {
      index = columns.length;
      columnIndex.set(name, index);
      const expr = raw(`${alias}."${name}"`);
      columns.push(() => expr);
    }
    return index;
  };
  const statement = (build: (env: Env) => Sql) => {
    columns.push(build);
    return columns.length - 1;
  };

  let owner: ObjectPlan['owner'];
  switch (typeRule.owner) {
    case 'self':
      owner = column('id');
      break;
    case 'organisation':
      owner = column('organisation');
      break;
    case 'offerOrganisation':
      if (parentType !== 'Offer') throw new NotPlannable(`${type.name} outside an offer`);
      owner = 'parent';
      break;
    case 'none':
      owner = 'none';
      break;
    default:
      throw new NotPlannable(`owner ${typeRule.owner}`);
  }

  const fields: FieldPlan[] = [];
  let hasRawChild = false;
  let hasNested = false;
  const collected: CollectedFields = collectFields(c.schema, c.fragments, type, sets);
  for (const [key, nodes] of collected) {
    const node = nodes[0]!;
    const name = node.name.value;
    if (name === '__typename') {
      const typeName = type.name;
      const text = raw(`'"${typeName}"'`);
      fields.push({ key, name, answer: true, rule: { read: [] }, value: () => typeName, json: () => text });
      continue;
    }
    const fieldDef = type.getFields()[name];
    const nested = fieldDef && !source.fields[name] ? c.nested?.(type, key, nodes) : undefined;
    if (nested) {
      hasNested = true;
      const { rule, answer } = answerFor(c, type.name, name);
      if (answer !== true) throw new NotPlannable(`${type.name}.${name} is restricted`);
      fields.push({ key, name, answer, rule, value: nested });
      continue;
    }
    if (node.arguments?.length) throw new NotPlannable(`${type.name}.${name} takes arguments`);
    const fieldSource: Source | undefined = source.fields[name];
    if (!fieldDef || !fieldSource) throw new NotPlannable(`${type.name}.${name} is not planned`);
    const { rule, answer } = answerFor(c, type.name, name);
    if (answer === 'per-owner' && rule.sharedAs) c.needsGrants = true;
    const nonNull = isNonNullType(fieldDef.type);
    if (nonNull && answer !== true) throw new NotPlannable(`${type.name}.${name}: non-null and restricted`);
    const checked = (value: Value): Value =>
      nonNull
        ? (row, o, s) => {
            const v = value(row, o, s);
            if (v == null) throw new NotPlannable(`${type.name}.${name} is null`);
            return v;
          }
        : value;
    let value: Value;
    let json: FieldPlan['json'];
    switch (fieldSource.kind) {
      case 'property': {
        const i = column(fieldSource.property);
        const serialize = leafSerializer(fieldDef.type);
        value = (row) => serialize(row[i] ?? null);
        const canBeNull = nullable(fieldSource.property);
        if (rawLeaf(fieldDef.type) && !(nonNull && canBeNull)) {
          const text = jsonText(columnSql(fieldSource.property), canBeNull, plainText(fieldSource.property));
          json = () => text;
        }
        break;
      }
      case 'globalId': {
        const i = column('id');
        const nodeType = fieldSource.type;
        value = (row) => toGlobalId(nodeType, row[i] as string);
        if (!nullable('id')) {
          const text = raw(globalIdJsonSql(nodeType, columnSql('id')));
          json = () => text;
        }
        break;
      }
      case 'derived': {
        const indexes = fieldSource.properties.map(column);
        const compute = fieldSource.compute as (...values: unknown[]) => unknown;
        const serialize = leafSerializer(fieldDef.type);
        value = (row) => serialize(compute(...indexes.map((i) => row[i])));
        const twin = fieldSource.sql;
        if (twin && rawLeaf(fieldDef.type) && !fieldSource.properties.some(nullable)) {
          const text = jsonText(
            twin(...fieldSource.properties.map(columnSql)),
            false,
            fieldSource.properties.every(plainText),
          );
          json = () => text;
        }
        break;
      }
      case 'derivedOne': {
        const from = fieldSource.from;
        const list = raw(fieldSource.columns.join(', '));
        const i = statement((env) => sql`(select json_build_array(${list}) from ${from(alias, env)})`);
        const compute = fieldSource.compute;
        const serialize = leafSerializer(fieldDef.type);
        value = (row) => serialize(compute((row[i] as Row | null) ?? null));
        break;
      }
      case 'one':
      case 'many': {
        const childType = getNamedType(fieldDef.type);
        if (!isObjectType(childType)) throw new NotPlannable(`${type.name}.${name}: not an object type`);
        const childAlias = (fieldSource.kind === 'one' && fieldSource.alias) || nextAlias(c);
        const child = compileObject(c, childType, subSelections(nodes), childAlias, type.name, rawChildren);
        if (child.raw) hasRawChild = true;
        const many = fieldSource.kind === 'many';
        if (many !== isListType(isNonNullType(fieldDef.type) ? fieldDef.type.ofType : fieldDef.type)) {
          throw new NotPlannable(`${type.name}.${name}: list shape`);
        }
        const i = statement((env) => {
          if (child.raw) {
            const text = child.columns[0]!(env);
            return fieldSource.kind === 'many'
              ? sql`(select '[' || coalesce(string_agg(${text}, ',' order by ${fieldSource.orderBy(childAlias)}), '') || ']'
                   from ${fieldSource.from(childAlias, alias)})`
              : sql`(select ${text} from ${fieldSource.from(childAlias, alias, env)})`;
          }
          const items = join(
            child.columns.map((col) => col(env)),
            ', ',
          );
          if (fieldSource.kind === 'many') {
            return sql`(select coalesce(json_agg(json_build_array(${items}) order by ${fieldSource.orderBy(childAlias)}), '[]'::json)
                 from ${fieldSource.from(childAlias, alias)})`;
          }
          return sql`(select json_build_array(${items}) from ${fieldSource.from(childAlias, alias, env)})`;
        });
        if (child.raw) {
          value = (row) => (row[i] == null ? null : new RawJson(row[i] as string));
          // A related row that must be there: a required relation (its foreign key), or a list (never null).
          const present = many || !nullable(name);
          if (present || !nonNull) {
            json = (env) => {
              const text = columns[i]!(env);
              return present ? text : sql`coalesce(${text}, 'null')`;
            };
          }
        } else {
          value = many
            ? (row, o, s) => (row[i] as Row[]).map((r) => buildObject(child, r, o, s))
            : (row, o, s) => (row[i] == null ? null : buildObject(child, row[i] as Row, o, s));
        }
        break;
      }
    }
    fields.push({ key, name, answer, rule, value: checked(value), json });
  }
  if (allowRaw && fields.length > 0 && fields.every((f) => f.answer === true && f.json)) {
    const parts = fields.map((f, n) => ({ prefix: raw(`'${n ? ',' : '{'}"${f.key}":'`), json: f.json! }));
    const object = (env: Env) =>
      sql`(${join(
        parts.map((p) => sql`${p.prefix} || ${p.json(env)}`),
        ' || ',
      )} || '}')`;
    return { typeName: type.name, columns: [object], fields, owner: 'none', raw: true };
  }
  // Not written whole: its related objects are read as arrays again (a nested connection is planned
  // once only, so such an object keeps them as they are).
  if (hasRawChild && !hasNested) return compileObject(c, type, sets, alias, parentType, allowRaw, false);
  if (columns.length > 100) throw new NotPlannable('too many columns for one JSON array');
  // json_build_array needs no argument, but join() needs one.
  if (columns.length === 0) columns.push(() => raw('null'));
  return { typeName: type.name, columns, fields, owner, raw: false };
}

/** The response object of one row, each field decided by the plan's policy answers. */
export function buildObject(
  plan: ObjectPlan,
  row: Row | string,
  parentOwner: string | null,
  state: BuildState,
): Record<string, unknown> | RawJson {
  if (plan.raw) {
    if (typeof row !== 'string') throw new NotPlannable(`${plan.typeName}: JSON text expected`);
    return new RawJson(row);
  }
  if (typeof row === 'string') throw new NotPlannable(`${plan.typeName}: columns expected`);
  const owner =
    plan.owner === 'parent' ? parentOwner : plan.owner === 'none' ? null : (row[plan.owner] as string | null);
  const object: Record<string, unknown> = {};
  for (const field of plan.fields) {
    let allowed = field.answer;
    if (allowed === 'per-owner') {
      const now = state.access.canReadFieldOfOwnerNow(plan.typeName, field.name, owner);
      if (now === undefined) throw new NotPlannable('sharing grants not read');
      allowed = now;
    }
    if (allowed) {
      object[field.key] = field.value(row, owner, state);
    } else {
      object[field.key] = null;
      redact(state, plan.typeName, field);
    }
  }
  return object;
}

function redact(state: BuildState, typeName: string, field: FieldPlan) {
  const key = `${typeName}.${field.name}`;
  const entry = state.redactions.get(key);
  if (entry) entry.count++;
  else state.redactions.set(key, { typeName, fieldName: field.name, rule: field.rule, count: 1 });
}

/** The JSON array expression of a plan's columns (its JSON text for a raw plan). */
export function jsonRow(plan: ObjectPlan, env: Env): Sql {
  if (plan.raw) return plan.columns[0]!(env);
  return sql`json_build_array(${join(
    plan.columns.map((col) => col(env)),
    ', ',
  )})`;
}
