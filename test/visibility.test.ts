import { describe, expect, it } from 'vitest';
import { AccessControl, type PolicyLookups } from '../src/auth/access-control.js';
import { policy } from '../src/auth/policy.js';
import type { Viewer } from '../src/auth/viewer.js';
import { VISIBILITY_FIELDS, visibilityClass } from '../src/auth/visibility.js';
import { Role } from '../src/domain/enums.js';

const OWNER = 'org-owner';

/** Any object the policy may look at: every relation leads to the owner organisation. */
const root: Record<string, unknown> = new Proxy(
  {},
  {
    get: (_target, key) => {
      if (key === 'id' || key === 'organisationId') return OWNER;
      if (typeof key === 'symbol' || key === 'then') return undefined;
      return root;
    },
  },
);
const lookups: PolicyLookups = {
  offerOrganisation: async () => OWNER,
  capacityPeriodOrganisation: async () => OWNER,
  caseOrganisation: async () => OWNER,
  fieldGroupsSharedWith: async () => [],
};

/** The viewer behind a proxy that notes every property the policy reads. */
function watched(viewer: Viewer, read: Set<string>): Viewer {
  return new Proxy(viewer, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

/** Every decision the policy can make for this viewer, in a fixed order. */
async function decisions(viewer: Viewer): Promise<boolean[]> {
  const access = new AccessControl(viewer, lookups);
  const out: boolean[] = [];
  for (const [typeName, type] of Object.entries(policy)) {
    out.push(await access.canSeeRow(typeName, root));
    for (const fieldName of Object.keys(type.fields)) {
      out.push(await access.canReadField(typeName, fieldName, root));
      out.push(await access.canReadFieldOfOwner(typeName, fieldName, OWNER));
      out.push(await access.canReadFieldOfOwner(typeName, fieldName, 'org-other'));
    }
  }
  return out;
}

const account = (organisationId: string, roles: Role[], accountId: string): Viewer => ({
  kind: 'account',
  accountId,
  organisationId,
  roles: new Set(roles),
  tokenExpiresAt: Date.now() + 60_000,
});

describe('visibility classes (one result per class in a subscription fan-out)', () => {
  it('the policy reads nothing of a viewer but what its class is made of', async () => {
    const read = new Set<string>();
    const viewers: Viewer[] = [
      { kind: 'public' },
      ...Object.values(Role).flatMap((role) => [
        account(OWNER, [role], 'a1'),
        account('org-other', [role], 'a2'),
      ]),
      account(OWNER, Object.values(Role), 'a3'),
    ];
    for (const viewer of viewers) await decisions(watched(viewer, read));
    expect(read.size).toBeGreaterThan(0);
    expect([...read].filter((key) => !VISIBILITY_FIELDS.includes(key))).toEqual([]);
  });

  it('viewers of one class are allowed the same; another organisation or role is another class', async () => {
    const a = account(OWNER, [Role.PARTNER_STAFF, Role.CASE_MANAGER], 'account-a');
    const b = account(OWNER, [Role.CASE_MANAGER, Role.PARTNER_STAFF], 'account-b');
    expect(visibilityClass(a)).toBe(visibilityClass(b));
    expect(await decisions(a)).toEqual(await decisions(b));

    const otherOrg = account('org-other', [Role.PARTNER_STAFF, Role.CASE_MANAGER], 'account-a');
    const otherRoles = account(OWNER, [Role.PARTNER_STAFF], 'account-a');
    expect(new Set([a, otherOrg, otherRoles, { kind: 'public' } as Viewer].map(visibilityClass)).size).toBe(
      4,
    );
    expect(await decisions(otherOrg)).not.toEqual(await decisions(a));
    expect(await decisions(otherRoles)).not.toEqual(await decisions(a));
  });
});
