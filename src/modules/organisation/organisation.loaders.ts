import type { EntityManager } from '@mikro-orm/postgresql';
import { byId, manyBy } from '../../graphql/loader-kit.js';
import { ContactPerson } from './contact-person.entity.js';
import { Location } from './location.entity.js';
import { Organisation } from './organisation.entity.js';

export function organisationLoaders(em: EntityManager) {
  return {
    organisation: byId(em, Organisation),
    location: byId(em, Location),
    locationsByOrganisation: manyBy(em, Location, 'organisation', (l) => l.organisation.id, {
      name: 'asc',
      id: 'asc',
    }),
    contactPersonsByOrganisation: manyBy(em, ContactPerson, 'organisation', (c) => c.organisation.id, {
      name: 'asc',
      id: 'asc',
    }),
  };
}

type OrganisationLoaders = ReturnType<typeof organisationLoaders>;
declare module '../../context.js' {
  interface Loaders extends OrganisationLoaders {}
}
