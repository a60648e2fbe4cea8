import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors.js';
import { type Connection, type ConnectionArgs, checkPageArgs } from '../../graphql/relay.js';
import { AuditEntry } from './audit-entry.entity.js';

const PREFIX = 'audit:';

/** An opaque cursor naming one entry by its sequence number. */
const cursorOf = (entry: AuditEntry) => Buffer.from(`${PREFIX}${entry.id}`, 'utf8').toString('base64url');

function entryIdOf(cursor: string, argument: 'after' | 'before'): string {
  const decoded = cursor.length <= 100 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = decoded.startsWith(PREFIX) ? decoded.slice(PREFIX.length) : '';
  if (!/^\d{1,19}$/.test(id))
    throw badInput('The cursor is malformed or belongs to another list.', { argument });
  return id;
}

/**
 * One page of an organisation's trail, newest first (occurredAt, then id). The generic keyset paging
 * (relay.ts `paginate`) cannot key on a timestamp: MikroORM reads it back with milliseconds while
 * PostgreSQL keeps microseconds. Here the cursor names an entry, and PostgreSQL compares with that
 * entry's exact (occurred_at, id), so no row of the same millisecond is skipped or repeated.
 */
export async function auditTrailPage(
  em: EntityManager,
  where: { organisationId: string; entityId?: string },
  args: ConnectionArgs,
): Promise<Connection<AuditEntry>> {
  const page = checkPageArgs(args);
  const backwards = page.last != null;
  const size = (backwards ? page.last : page.first) ?? 0;
  const anchor = args.after
    ? entryIdOf(args.after, 'after')
    : args.before
      ? entryIdOf(args.before, 'before')
      : null;

  const qb = em.createQueryBuilder(AuditEntry, 'ae').where(where);
  if (anchor) {
    qb.andWhere(
      `(ae.occurred_at, ae.id) ${backwards ? '>' : '<'} (select x.occurred_at, x.id from audit_entry x where x.id = ?)`,
      [anchor],
    );
  }
  const direction = backwards ? 'asc' : 'desc';
  const rows = await qb
    .orderBy({ occurredAt: direction, id: direction })
    .limit(size + 1)
    .getResult();
  const more = rows.length > size;
  const nodes = rows.slice(0, size);
  if (backwards) nodes.reverse();
  const totalCount = await em.count(AuditEntry, where);
  return {
    nodes,
    edges: nodes.map((node) => ({ node, cursor: cursorOf(node) })),
    totalCount,
    pageInfo: {
      hasNextPage: backwards ? !!anchor : more,
      hasPreviousPage: backwards ? more : !!anchor,
      startCursor: nodes[0] ? cursorOf(nodes[0]) : null,
      endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]!) : null,
    },
  } as Connection<AuditEntry>;
}
