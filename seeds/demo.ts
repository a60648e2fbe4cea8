import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { hashPassword } from '../src/modules/account/passwords.js';
import { buildDemoData } from './demo-data.js';

/** Password of every demo account (demo data only; README lists the accounts). */
export const DEMO_PASSWORD = 'buendnis-demo-2026';

/**
 * Transaction-scoped advisory lock key for seeding: two hub instances starting together serialise
 * here, and the second one finds the data already present.
 */
export const DEMO_SEED_LOCK_KEY = '727264202611010001';

/** Tables never truncated by a reset: the migration history. */
const KEEP_TABLES = new Set(['mikro_orm_migrations']);

/** Seeds the demo data unless the database already has organisations; null when nothing was done. */
export async function seedDemoIfEmpty(orm: MikroORM): Promise<Record<string, number> | null> {
  return seedDemo(orm, { reset: false });
}

/**
 * Loads the demo data in one transaction. `reset` first empties every table of the hub (TRUNCATE …
 * CASCADE, same transaction); without it the call is idempotent and returns null if data exists.
 */
export async function seedDemo(
  orm: MikroORM,
  { reset }: { reset: boolean },
): Promise<Record<string, number> | null> {
  // Hashed before the transaction: argon2 takes ~100 ms and needs no lock.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return orm.em.fork().transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${DEMO_SEED_LOCK_KEY})`);
    if (reset) await truncateAll(em);
    else if (await hasOrganisations(em)) return null;
    const counts = buildDemoData(em, { passwordHash });
    await em.flush();
    return counts;
  });
}

async function hasOrganisations(em: EntityManager): Promise<boolean> {
  const rows = await em.execute<{ found: boolean }[]>('select exists (select 1 from organisation) as found');
  return rows[0]?.found === true;
}

/** TRUNCATE every table of the current schema except the migration history, restarting sequences. */
async function truncateAll(em: EntityManager): Promise<void> {
  const rows = await em.execute<{ tablename: string }[]>(
    'select tablename from pg_tables where schemaname = current_schema() order by tablename',
  );
  const tables = rows.map((r) => r.tablename).filter((t) => !KEEP_TABLES.has(t));
  if (tables.length === 0) return;
  await em.execute(
    `truncate table ${tables.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')} restart identity cascade`,
  );
}
