import {
  type GraphQLOutputType,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  Kind,
} from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { Context } from '../context.js';
import { ErrorCode, HubError, notFound } from '../errors.js';
import { fieldRule, isPublicField, policy } from './policy.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Runs on every field of every operation (type-graphql global middleware): the one place where the
 * policy is enforced. A restricted field the viewer may not read resolves to null and is reported
 * once in `extensions.redactions`; a root field they may not use fails with FORBIDDEN; objects of
 * row-guarded types (cases, reservations, grants) never reach a viewer the type's row rule excludes.
 */
export const enforcePolicy: MiddlewareFn<Context> = async ({ root, info, context }, next) => {
  const typeName = info.parentType.name;
  const fieldName = info.fieldName;
  if (fieldName.startsWith('__') || typeName.startsWith('__')) return next();
  const rule = fieldRule(typeName, fieldName);
  if (!rule) {
    // Deny by default: a field nobody wrote a rule for is never served.
    throw new HubError(
      ErrorCode.FORBIDDEN,
      `${typeName}.${fieldName} is not covered by the permission policy.`,
    );
  }
  const isRoot = ROOT_TYPES.has(typeName);
  if (
    !isPublicField(typeName, fieldName) &&
    !(await context.access.canReadField(typeName, fieldName, root))
  ) {
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
  }
  const result = await next();
  return filterRows(context, info.returnType, result, isRoot ? rootId(info) : undefined);
};

function rootId(info: Parameters<MiddlewareFn<Context>>[0]['info']): string | undefined {
  const args = info.fieldNodes[0]?.arguments ?? [];
  const idArg = args.find((a) => a.name.value === 'id');
  if (!idArg) return undefined;
  if (idArg.value.kind === Kind.STRING) return idArg.value.value;
  if (idArg.value.kind === 'Variable') return String(info.variableValues[idArg.value.name.value] ?? '');
  return undefined;
}

async function filterRows(
  context: Context,
  type: GraphQLOutputType,
  value: unknown,
  rootIdArg?: string,
): Promise<unknown> {
  const namedType = getNamedType(type);
  // Behind an interface (node(id): Node) the object's own type decides; entity class = GraphQL type name.
  const typeOf = (row: unknown): string =>
    isAbstractType(namedType) ? ((row as object | null)?.constructor?.name ?? '') : namedType.name;
  const guarded = (row: unknown) => policy[typeOf(row)]?.rows !== undefined;
  if (value == null) return value;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    if (!value.some(guarded)) return value;
    const visible = await Promise.all(value.map((row) => context.access.canSeeRow(typeOf(row), row)));
    return value.filter((_, i) => visible[i]);
  }
  if (!guarded(value) || (await context.access.canSeeRow(typeOf(value), value))) return value;
  const named = typeOf(value);
  // At the root (node(id), case(id)) an object the viewer may not see looks exactly like a missing one.
  if (rootIdArg !== undefined) throw notFound(named, rootIdArg);
  return null;
}
