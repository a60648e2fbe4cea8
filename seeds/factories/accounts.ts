import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../src/domain/enums.js';
import { Account } from '../../src/modules/account/account.entity.js';
import type { OrganisationSeed } from './organisations.js';
import { chance } from './random.js';
import { stamp } from './stamps.js';

/**
 * Predictable demo accounts: `<role-word>@<slug>.example`, numbered from the second one on
 * (`casemanager2@kja-leverkusen.example`). Role words and the roles they carry:
 */
export const ACCOUNT_ROLES = {
  staff: [Role.PARTNER_STAFF],
  editor: [Role.PARTNER_STAFF, Role.PARTNER_EDITOR],
  casemanager: [Role.PARTNER_STAFF, Role.CASE_MANAGER],
  coordinator: [Role.PARTNER_STAFF, Role.COORDINATOR],
  admin: [Role.ADMIN],
} as const satisfies Record<string, readonly Role[]>;

export type RoleWord = keyof typeof ACCOUNT_ROLES;

export const demoAccountEmail = (roleWord: RoleWord, slug: string, n = 1): string =>
  `${roleWord}${n > 1 ? n : ''}@${slug}.example`;

/** First and last name, without the academic or courtesy prefixes faker sometimes adds. */
export const personName = (faker: Faker): string =>
  `${faker.person.firstName(chance(faker, 0.55) ? 'female' : 'male')} ${faker.person.lastName()}`;

/** Extra accounts beyond the per-organisation plan (slug, role word, how many in total). */
const EXTRA: readonly (readonly [string, RoleWord, number])[] = [
  ['ki-leverkusen', 'coordinator', 2],
  ['ki-leverkusen', 'admin', 1],
  ['vhs-leverkusen', 'editor', 2],
  ['kolping-leverkusen', 'editor', 2],
];

/** Accounts that left their organisation (kept for the audit trail, cannot sign in). */
const INACTIVE = new Set(['staff3@vhs-leverkusen.example']);

export interface AccountSeed {
  accounts: Account[];
  byEmail: Map<string, Account>;
  /** CASE_MANAGER accounts per organisation slug. */
  caseManagers: Map<string, Account[]>;
}

export function seedAccounts(
  em: EntityManager,
  faker: Faker,
  orgs: OrganisationSeed,
  passwordHash?: string,
): AccountSeed {
  const accounts: Account[] = [];
  const caseManagers = new Map<string, Account[]>();
  let seq = 0;
  for (const { spec, entity } of orgs.organisations) {
    const plan: [RoleWord, number][] = [
      ['staff', 1 + (spec.extraStaff ?? 0)],
      ['editor', 1],
      ['casemanager', spec.caseManagers ?? 0],
    ];
    for (const [slug, word, n] of EXTRA) {
      if (slug !== spec.slug) continue;
      const planned = plan.find(([w]) => w === word);
      if (planned) planned[1] = Math.max(planned[1], n);
      else plan.push([word, n]);
    }
    for (const [word, count] of plan) {
      for (let n = 1; n <= count; n++) {
        const email = demoAccountEmail(word, spec.slug, n);
        const account = em.create(Account, {
          id: faker.string.uuid(),
          organisation: entity,
          email,
          displayName: personName(faker),
          roles: [...ACCOUNT_ROLES[word]],
          // One argon2id hash of DEMO_PASSWORD for all demo accounts: hashing 70 times would slow every start.
          passwordHash,
          active: !INACTIVE.has(email),
          ...stamp('2025-09-15', seq++),
        });
        accounts.push(account);
        if (word === 'casemanager')
          caseManagers.set(spec.slug, [...(caseManagers.get(spec.slug) ?? []), account]);
      }
    }
  }
  return { accounts, byEmail: new Map(accounts.map((a) => [a.email, a])), caseManagers };
}
