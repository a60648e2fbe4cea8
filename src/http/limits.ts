import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  BREAK,
  type DocumentNode,
  GraphQLError,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  type ValidationContext,
  type ValidationRule,
  visit,
} from 'graphql';
import { type ComplexityEstimatorArgs, getComplexity } from 'graphql-query-complexity';
import { ErrorCode, HubError } from '../errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../graphql/relay.js';
import type { QueryLimits } from '../hardening.config.js';

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'batch' | 'variables';

/** One error shape for every limit: code QUERY_LIMIT_EXCEEDED, which limit, its maximum, what was asked. */
export function limitExceeded(
  limit: LimitName,
  maximum: number,
  actual: number | undefined,
  message: string,
) {
  return new HubError(ErrorCode.QUERY_LIMIT_EXCEEDED, message, {
    limit,
    maximum,
    ...(actual === undefined ? {} : { actual }),
    http: { status: 400 },
  });
}

/**
 * graphql-armor's depth, alias and directive rules (each counts through fragments, once per fragment),
 * reporting our error shape instead of throwing armor's "Syntax Error: …". Introspection's own nesting
 * (__schema) does not count towards the depth.
 */
export function limitRules(limits: QueryLimits): ValidationRule[] {
  const report =
    (limit: LimitName, maximum: number) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      const found = /found (\d+)/.exec(error.message);
      const actual = found ? Number(found[1]) : undefined;
      const text = error.message.replace(/^Syntax Error: /, '');
      const formatted = limitExceeded(limit, maximum, actual, text);
      // graphql-js validation errors cannot carry extensions.http; Apollo answers them with 400 anyway.
      const { http: _http, ...extensions } = formatted.extensions;
      context?.reportError(new GraphQLError(text, { extensions }));
    };
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthRule({
      ...common,
      n: limits.maxDepth,
      ignoreIntrospection: true,
      onReject: [report('depth', limits.maxDepth)],
    }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [report('aliases', limits.maxAliases)] }),
    maxDirectivesRule({
      ...common,
      n: limits.maxDirectives,
      onReject: [report('directives', limits.maxDirectives)],
    }),
  ];
}

/**
 * What a field costs: leaves (scalars, enums) nothing — they come with their row; every object field 1
 * plus its children, times how many items it may return. A connection returns `first`/`last` items
 * (capped at MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when neither is given); `_entities` as many as its
 * representations; any other list of objects (capacity periods of an offer, locations of an
 * organisation, …) is assumed to hold LIST_SIZE_ESTIMATE items; the lists inside a connection
 * (`nodes`, `edges`) are already counted by the connection.
 */
export const LIST_SIZE_ESTIMATE = 10;

function fieldCost({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  const returned = getNullableType(field.type);
  if (isLeafType(getNamedType(returned))) return 0;
  return 1 + itemsOf(type.name, field.name, returned, args) * childComplexity;
}

function itemsOf(
  parent: string,
  name: string,
  returned: GraphQLOutputType,
  args: Record<string, unknown>,
): number {
  const size = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(Math.max(value, 0), MAX_PAGE_SIZE) : 0;
  if (typeof args.first === 'number' || typeof args.last === 'number') {
    return Math.max(size(args.first), size(args.last));
  }
  if (name === '_entities' && Array.isArray(args.representations)) return args.representations.length;
  const namedReturn = getNamedType(returned).name;
  if (namedReturn.endsWith('Connection')) return DEFAULT_PAGE_SIZE;
  if (isListType(returned)) return parent.endsWith('Connection') ? 1 : LIST_SIZE_ESTIMATE;
  return 1;
}

/**
 * The cost of the operation with these variables. Wrong variables give no cost (execution reports them as
 * BAD_USER_INPUT without running anything); a document too large to count (more than
 * graphql-query-complexity's 10,000 evaluated nodes, e.g. fragments spreading fragments) is over the limit.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | undefined {
  // The same document with the same (small) variables costs the same: counted once, not per request.
  const key = costKey(operationName, variables);
  let costs = knownCosts.get(document);
  const known = key === undefined ? undefined : costs?.get(key);
  if (known !== undefined || (key !== undefined && costs?.has(key))) return known;
  const cost = countCost(schema, document, variables, operationName);
  if (key !== undefined) {
    if (!costs) {
      costs = new Map();
      knownCosts.set(document, costs);
    }
    if (costs.size >= COSTS_PER_DOCUMENT) costs.delete(costs.keys().next().value!);
    costs.set(key, cost);
  }
  return cost;
}

const knownCosts = new WeakMap<DocumentNode, Map<string, number | undefined>>();
const COSTS_PER_DOCUMENT = 64;

function costKey(operationName: string | undefined, variables: Record<string, unknown> | undefined) {
  const text = JSON.stringify(variables ?? {});
  return text.length > 2_000 ? undefined : `${operationName ?? ''}\u0000${text}`;
}

function countCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName,
      estimators: [fieldCost],
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Variable "')) return undefined;
    return Number.POSITIVE_INFINITY;
  }
}

export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  limits: QueryLimits,
): number | undefined {
  const cost = operationCost(schema, document, variables, operationName);
  if (cost !== undefined && cost > limits.maxCost) {
    const counted = Number.isFinite(cost);
    throw limitExceeded(
      'cost',
      limits.maxCost,
      counted ? cost : undefined,
      `Query cost limit of ${limits.maxCost} exceeded${counted ? `, found ${cost}` : ' (too many fields to count)'}: ask for smaller pages (first/last) or fewer nested lists.`,
    );
  }
  return cost;
}

/**
 * Text with U+0000 cannot be stored or compared by PostgreSQL (and breaks the wire protocol where a
 * statement carries it inline): refused as BAD_USER_INPUT, wherever it appears in the request.
 */
/** Whether a document's own strings hold a NUL: once per parsed document (Apollo reuses them). */
const nulInDocument = new WeakMap<DocumentNode, boolean>();

function documentHasNul(document: DocumentNode): boolean {
  let found = nulInDocument.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    nulInDocument.set(document, found);
  }
  return found;
}

export function checkText(document: DocumentNode, variables: unknown): void {
  if (containsNul(variables, 0) || documentHasNul(document)) {
    throw new HubError(ErrorCode.BAD_USER_INPUT, 'Text must not contain the NUL character (U+0000).', {
      http: { status: 400 },
    });
  }
}

function containsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > MAX_VARIABLES_NESTING) return false;
  return Object.entries(value).some(
    ([key, child]) => key.includes('\u0000') || containsNul(child, depth + 1),
  );
}

/**
 * Variables are bounded in nesting (JSON scalars) and in size (the body limit is for everything). Nesting
 * is checked first and without recursion: JSON.parse accepts any depth, and JSON.stringify (for the size)
 * overflows the stack on a value a few thousand levels deep.
 */
export function checkVariables(variables: unknown, limits: QueryLimits): void {
  if (variables === undefined || variables === null) return;
  if (nestsDeeperThan(variables, MAX_VARIABLES_NESTING)) {
    throw limitExceeded(
      'variables',
      limits.maxVariablesBytes,
      undefined,
      `Variables may nest at most ${MAX_VARIABLES_NESTING} levels deep.`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(variables));
  if (bytes > limits.maxVariablesBytes) {
    throw limitExceeded(
      'variables',
      limits.maxVariablesBytes,
      bytes,
      `Variables limit of ${limits.maxVariablesBytes} bytes exceeded, found ${bytes}.`,
    );
  }
}

const MAX_VARIABLES_NESTING = 32;

/** Depth-first with an explicit stack, stopping at the first value below `max` levels. */
function nestsDeeperThan(root: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= max) return true;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}
