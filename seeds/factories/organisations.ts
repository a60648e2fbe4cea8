import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContactPerson } from '../../src/modules/organisation/contact-person.entity.js';
import { Location } from '../../src/modules/organisation/location.entity.js';
import { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import { CITY, DISTRICTS } from './districts.js';
import { ORGANISATIONS, type OrganisationSpec } from './organisation-catalogue.js';
import { asciiLower, chance, int } from './random.js';
import { stamp } from './stamps.js';

export interface SeededOrganisation {
  spec: OrganisationSpec;
  entity: Organisation;
  locations: Location[];
}

export interface OrganisationSeed {
  organisations: SeededOrganisation[];
  bySlug: Map<string, SeededOrganisation>;
  contactPersons: ContactPerson[];
}

export const websiteOf = (slug: string): string => `https://www.${slug}.example`;

/** A German landline number in the district's dialling area. */
export const phoneIn = (faker: Faker, prefix: string): string =>
  `${prefix} ${faker.string.numeric({ length: 1, allowLeadingZeros: false })}${faker.string.numeric(prefix.length === 4 ? 5 : 4)}`;

export function seedOrganisations(em: EntityManager, faker: Faker): OrganisationSeed {
  const organisations: SeededOrganisation[] = [];
  const contactPersons: ContactPerson[] = [];
  ORGANISATIONS.forEach((spec, index) => {
    const entity = em.create(Organisation, {
      id: faker.string.uuid(),
      name: spec.name,
      kind: spec.kind,
      description: spec.description,
      website: spec.slug === 'malerbetrieb-kaya' ? undefined : websiteOf(spec.slug),
      isCoordinator: spec.isCoordinator ?? false,
      active: spec.active ?? true,
      ...stamp('2025-09-01', index),
    });
    const locations = spec.locations.map((l, i) =>
      em.create(Location, {
        id: faker.string.uuid(),
        organisation: entity,
        name: l.name,
        street: l.street,
        postalCode: DISTRICTS[l.district].postalCode,
        city: CITY,
        district: l.district,
        wheelchairAccessible: l.wheelchairAccessible,
        accessibilityNote: l.accessibilityNote,
        ...stamp('2025-09-01', index * 10 + i),
      }),
    );
    const prefix = DISTRICTS[spec.locations[0]!.district].phonePrefix;
    spec.contactFunctions.forEach((fn, i) => {
      const sex = chance(faker, 0.55) ? 'female' : 'male';
      const firstName = faker.person.firstName(sex);
      const lastName = faker.person.lastName();
      const phoneOnly = chance(faker, 0.1);
      contactPersons.push(
        em.create(ContactPerson, {
          id: faker.string.uuid(),
          organisation: entity,
          name: `${firstName} ${lastName}`,
          function: fn,
          email: phoneOnly
            ? undefined
            : `${asciiLower(firstName)}.${asciiLower(lastName)}@${spec.slug}.example`,
          phone: chance(faker, 0.85) || phoneOnly ? phoneIn(faker, prefix) : undefined,
          ...stamp('2025-09-02', index * 10 + i + int(faker, 0, 3)),
        }),
      );
    });
    organisations.push({ spec, entity, locations });
  });
  return { organisations, bySlug: new Map(organisations.map((o) => [o.spec.slug, o])), contactPersons };
}
