import type { EntityManager } from '@mikro-orm/postgresql';
import { byId, manyBy } from '../../graphql/loader-kit.js';
import { SharingGrant } from './sharing-grant.entity.js';

export function sharingLoaders(em: EntityManager) {
  return {
    sharingGrant: byId(em, SharingGrant),
    sharingGrantsByOrganisation: manyBy(em, SharingGrant, 'organisation', (g) => g.organisation.id, {
      createdAt: 'desc',
      id: 'asc',
    }),
  };
}

type SharingLoaders = ReturnType<typeof sharingLoaders>;
declare module '../../context.js' {
  interface Loaders extends SharingLoaders {}
}
