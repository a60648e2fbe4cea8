import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
} from 'graphql';
import { ErrorCode, HubError, notFound } from '../errors.js';
import type { AccessControl } from './access-control.js';
import { fieldRule, isPublicField, policy } from './policy.js';
import type { Viewer } from './viewer.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** What the enforcement reads of a request's context (the request context has more). */
interface PolicyContext {
  viewer: Viewer;
  access: AccessControl;
}

type Resolver = GraphQLFieldResolver<unknown, PolicyContext>;

const isPromise = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * The one place where the policy is enforced: every field of every object type of the executable schema
 * (type-graphql's, and what federation adds) gets its resolver wrapped here, once, at start — over HTTP,
 * WebSocket and `_entities` alike. A restricted field the viewer may not read resolves to null and is
 * reported once in `extensions.redactions`; a root field they may not use fails with FORBIDDEN; objects of
 * row-guarded types (cases, reservations, grants) never reach a viewer the type's row rule excludes; a
 * field nobody wrote a rule for is never served.
 *
 * Why a schema wrapper and not a type-graphql global middleware: middlewares are async, so every field of
 * every list item cost a chain of promises (≈700 fields on a page of 50 offers). Here what can be decided
 * at start is decided at start (public field, whether the type has row rules), and a decision that needs
 * no I/O is taken synchronously; only owner look-ups and sharing grants wait.
 */
export function enforcePolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = guarded(type.name, field.name, field.type, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function guarded(typeName: string, fieldName: string, returnType: GraphQLOutputType, resolve: Resolver) {
  const rule = fieldRule(typeName, fieldName);
  if (!rule) {
    // Deny by default.
    return (): never => {
      throw new HubError(
        ErrorCode.FORBIDDEN,
        `${typeName}.${fieldName} is not covered by the permission policy.`,
      );
    };
  }
  const isRoot = ROOT_TYPES.has(typeName);
  const named = getNamedType(returnType);
  // Only these can return an object whose type has a row rule (behind an interface or union: any).
  const mayReturnGuardedRows = isAbstractType(named) || policy[named.name]?.rows !== undefined;
  const proceed: Resolver = mayReturnGuardedRows
    ? (root, args, context, info) => {
        const result = settle(resolve(root, args, context, info));
        const idArg = isRoot ? rootId(info) : undefined;
        return isPromise(result)
          ? result.then((value) => filterRows(context, returnType, value, idArg))
          : filterRows(context, returnType, result, idArg);
      }
    : resolve;
  if (isPublicField(typeName, fieldName)) return proceed;

  const deny = (context: PolicyContext): null => {
    if (isRoot) {
      throw new HubError(
        ErrorCode.FORBIDDEN,
        context.viewer.kind === 'public'
          ? `Sign in to use ${fieldName}.`
          : `Your roles do not allow ${fieldName}.`,
      );
    }
    context.access.recordRedaction(typeName, fieldName, rule);
    return null;
  };
  return ((root, args, context, info) => {
    const allowed = context.access.canReadFieldNow(typeName, fieldName, root);
    if (allowed === true) return proceed(root, args, context, info);
    if (allowed === false) return deny(context);
    return context.access
      .canReadField(typeName, fieldName, root)
      .then((ok) => (ok ? proceed(root, args, context, info) : deny(context)));
  }) satisfies Resolver;
}

/** `_entities` answers a list of promises, one per reference: settle them for the row check. */
function settle(value: unknown): unknown {
  if (isPromise(value)) return Promise.resolve(value).then(settle);
  return Array.isArray(value) && value.some(isPromise) ? Promise.all(value) : value;
}

function rootId(info: GraphQLResolveInfo): string | undefined {
  const args = info.fieldNodes[0]?.arguments ?? [];
  const idArg = args.find((a) => a.name.value === 'id');
  if (!idArg) return undefined;
  if (idArg.value.kind === Kind.STRING) return idArg.value.value;
  if (idArg.value.kind === Kind.VARIABLE) return String(info.variableValues[idArg.value.name.value] ?? '');
  return undefined;
}

async function filterRows(
  context: PolicyContext,
  type: GraphQLOutputType,
  value: unknown,
  rootIdArg?: string,
): Promise<unknown> {
  const namedType = getNamedType(type);
  // Behind an interface (node(id): Node) the object's own type decides; entity class = GraphQL type name.
  const typeOf = (row: unknown): string =>
    isAbstractType(namedType) ? ((row as object | null)?.constructor?.name ?? '') : namedType.name;
  const guardedRow = (row: unknown) => policy[typeOf(row)]?.rows !== undefined;
  if (value == null) return value;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    if (!value.some(guardedRow)) return value;
    const visible = await Promise.all(value.map((row) => context.access.canSeeRow(typeOf(row), row)));
    return value.filter((_, i) => visible[i]);
  }
  if (!guardedRow(value) || (await context.access.canSeeRow(typeOf(value), value))) return value;
  const named = typeOf(value);
  // At the root (node(id), case(id)) an object the viewer may not see looks exactly like a missing one.
  if (rootIdArg !== undefined) throw notFound(named, rootIdArg);
  return null;
}
