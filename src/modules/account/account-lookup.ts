import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../../domain/enums.js';
import { Account } from './account.entity.js';

/**
 * An active account of an active organisation holding all `roles` (of `organisationId` when given),
 * chosen deterministically (organisation name, then e-mail). For the token CLI and test suites.
 */
export async function findAccountWithRoles(
  em: EntityManager,
  roles: Role[],
  organisationId?: string,
): Promise<Account | null> {
  const qb = em
    .createQueryBuilder(Account, 'a')
    .joinAndSelect('a.organisation', 'o')
    .where('a.active and o.active and a.roles @> ?::text[]', [`{${roles.join(',')}}`])
    .orderBy({ 'o.name': 'asc', 'a.email': 'asc' })
    .limit(1);
  if (organisationId) qb.andWhere({ organisation: organisationId });
  return qb.getSingleResult();
}
