import type { EntityManager, EntityName, FilterQuery, FindByCursorOptions } from '@mikro-orm/postgresql';
import { DriverException } from '@mikro-orm/postgresql';
import { ArgsType, type ClassType, Directive, Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { badInput } from '../errors.js';
import { decodeCursor } from './cursor.js';
import { SHAREABLE } from './federation-directives.js';

@InterfaceType({
  description: 'An object with a global id, fetchable with `node(id)`.',
  // Resolvers return entities, whose class names are the GraphQL type names (Offer, Organisation, …).
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { description: 'Global, opaque id.' })
  id!: string;
}

@Directive(SHAREABLE)
@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `(id: ID!)`: one object by its global id. */
@ArgsType()
export class IdArgs {
  @Field(() => ID)
  id!: string;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Items after \`after\`; at most ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}.`,
  })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;

  @Field(() => Int, { nullable: true, description: `Items before \`before\`; at most ${MAX_PAGE_SIZE}.` })
  last?: number;

  @Field(() => String, { nullable: true })
  before?: string;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | Promise<number>;
}

/** Builds `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function connectionTypes<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => nodeType)
    node!: T;

    @Field(() => String)
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of items matching the query across all pages.' })
    totalCount!: number;
  }
  // The edge type too, so a feature can add fields to its edges (field resolvers on `Edge`).
  return Object.assign(ConnectionType, { Edge: EdgeType });
}

/** The page arguments every connection accepts: first/after forwards or last/before backwards, capped. */
export function checkPageArgs(args: ConnectionArgs): { first?: number; last?: number } {
  if (args.first != null && args.last != null) throw badInput('Use either "first" or "last", not both.');
  if (args.after != null && args.before != null) throw badInput('Use either "after" or "before", not both.');
  if ((args.last != null && args.after != null) || (args.first != null && args.before != null)) {
    throw badInput('Page forwards with first/after or backwards with last/before.');
  }
  for (const key of ['first', 'last'] as const) {
    const value = args[key];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badInput(`"${key}" must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`, {
        argument: key,
        maximum: MAX_PAGE_SIZE,
      });
    }
  }
  if (args.last != null) return { last: args.last };
  return { first: args.first ?? DEFAULT_PAGE_SIZE };
}

/**
 * Keyset pagination through MikroORM's cursor API. `orderBy` must end in a unique column (id) so that
 * cursors stay stable while rows are added or removed between pages.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: ConnectionArgs,
  orderBy: FindByCursorOptions<T>['orderBy'],
): Promise<Connection<T>> {
  const page = checkPageArgs(args);
  const sortKeys = Object.keys(orderBy as object).length;
  for (const argument of ['after', 'before'] as const) {
    const value = args[argument];
    if (value != null && !isCursorOfLength(value, sortKeys)) {
      throw badInput('The cursor is malformed or belongs to another list.', { argument });
    }
  }
  let cursor: Awaited<ReturnType<typeof em.findByCursor<T, never, '*', never, false>>>;
  try {
    cursor = await em.findByCursor(entity, where, {
      ...page,
      after: args.after ?? undefined,
      before: args.before ?? undefined,
      orderBy,
      // Counted only when a client selects totalCount (below): most pages do not.
      includeCount: false,
    } as FindByCursorOptions<T, never, '*', never, false>);
  } catch (error) {
    // A well-formed cursor whose values do not fit the columns (forged or from another list).
    if (
      (error instanceof DriverException || (error instanceof Error && error.name === 'CursorError')) &&
      (args.after || args.before)
    ) {
      throw badInput('The cursor is malformed or belongs to another list.', {
        argument: args.after ? 'after' : 'before',
      });
    }
    throw error;
  }
  const nodes = cursor.items as T[];
  let count: Promise<number> | undefined;
  return {
    nodes,
    edges: nodes.map((node) => ({ node, cursor: cursor.from(node) })),
    get totalCount() {
      count ??= em.count(entity, where);
      return count;
    },
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
  };
}

/**
 * A string that starts like an ISO timestamp is read back by MikroORM as a Date of millisecond precision,
 * while PostgreSQL keeps microseconds: keyed on it, the next page would skip the rest of that
 * millisecond's rows. Such a cursor is refused rather than paged wrongly; a list ordered by a timestamp
 * pages with a cursor of its own instead (the audit trail: modules/audit/audit-trail-page.ts).
 */
const READ_AS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}/;

function isCursorOfLength(value: string, length: number): boolean {
  const values = decodeCursor(
    value,
    (values) =>
      values.length === length &&
      values.every(
        (v) =>
          typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && !READ_AS_DATE.test(v)),
      ),
  );
  return values !== undefined;
}
