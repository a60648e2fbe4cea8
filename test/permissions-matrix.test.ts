import { type GraphQLObjectType, type GraphQLSchema, getNamedType, isLeafType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Access, type Grant, policy } from '../src/auth/policy.js';
import { Role } from '../src/domain/enums.js';
import { buildHubSchema } from '../src/schema.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

/**
 * The generated matrix: every (type, field) of the policy × eight viewers, asked through real GraphQL
 * requests; each cell must be visible or redacted exactly as the domain's rules say. The expectation
 * below is written from docs/domain.md's table, not computed by the code under test.
 */
interface ViewerCase {
  name: string;
  token?: string;
  signedIn: boolean;
  ofOwner: boolean;
  roles: Set<Role>;
  hasGrants: boolean;
}

const allows = (access: Access, v: ViewerCase, ownerIsViewer = false): boolean => {
  const own = v.signedIn && (ownerIsViewer || v.ofOwner);
  switch (access) {
    case Access.PUBLIC:
      return true;
    case Access.ALLIANCE:
      return v.signedIn;
    case Access.OWNER:
      return own;
    case Access.OWNER_OR_COORDINATOR:
      return own || v.roles.has(Role.COORDINATOR);
    case Access.EDITOR_OF_OWNER:
      return own && v.roles.has(Role.PARTNER_EDITOR);
    case Access.CASE_MANAGER_OF_OWNER:
      return own && v.roles.has(Role.CASE_MANAGER);
    case Access.ADMIN:
      return v.roles.has(Role.ADMIN);
    case Access.COORDINATOR:
      return v.roles.has(Role.COORDINATOR);
    case Access.ACCOUNT_HOLDER:
      // Only actions name an account as owner; no field rule uses it.
      return false;
  }
};
const anyAllows = (grants: Grant[], v: ViewerCase) =>
  grants.some((g) => allows(g.access, v, g.owner === 'viewer'));

function expectedVisible(typeName: string, field: string, v: ViewerCase): boolean {
  const type = policy[typeName]!;
  const rule = type.fields[field]!;
  if (type.rows && !anyAllows(type.rows, v)) return false;
  return anyAllows(rule.read, v) || (rule.sharedAs !== undefined && v.hasGrants);
}

/** How each type is reached from the root, and which field must be visible to reach it. */
type Target = 'org' | 'loc' | 'offer' | 'period' | 'case';
const paths: Record<
  string,
  { target: Target; query: (sel: string) => string; pick: (data: any) => unknown; via?: [string, string] }
> = {
  Organisation: {
    target: 'org',
    query: (s) => `organisation(id: $id) { ${s} }`,
    pick: (d) => d.organisation,
  },
  Location: {
    target: 'loc',
    query: (s) => `node(id: $id) { ... on Location { ${s} } }`,
    pick: (d) => d.node,
  },
  ContactPerson: {
    target: 'org',
    query: (s) => `organisation(id: $id) { contactPersons { ${s} } }`,
    pick: (d) => d.organisation?.contactPersons,
    via: ['Organisation', 'contactPersons'],
  },
  Offer: { target: 'offer', query: (s) => `offer(id: $id) { ${s} }`, pick: (d) => d.offer },
  FundingProgramme: {
    target: 'offer',
    query: (s) => `offer(id: $id) { fundingProgramme { ${s} } }`,
    pick: (d) => d.offer?.fundingProgramme,
    via: ['Offer', 'fundingProgramme'],
  },
  EligibilityRule: {
    target: 'offer',
    query: (s) => `offer(id: $id) { eligibility { ${s} } }`,
    pick: (d) => d.offer?.eligibility,
    via: ['Offer', 'eligibility'],
  },
  CapacityPeriod: {
    target: 'period',
    query: (s) => `node(id: $id) { ... on CapacityPeriod { ${s} } }`,
    pick: (d) => d.node,
  },
  Reservation: {
    target: 'period',
    query: (s) => `node(id: $id) { ... on CapacityPeriod { reservations { ${s} } } }`,
    pick: (d) => d.node?.reservations,
    via: ['CapacityPeriod', 'reservations'],
  },
  Case: { target: 'case', query: (s) => `node(id: $id) { ... on Case { ${s} } }`, pick: (d) => d?.node },
  AuditEntry: {
    target: 'org',
    query: (s) => `organisation(id: $id) { auditTrail(first: 50) { nodes { ${s} } } }`,
    pick: (d) => d.organisation?.auditTrail?.nodes,
    via: ['Organisation', 'auditTrail'],
  },
  SharingGrant: {
    target: 'org',
    query: (s) => `organisation(id: $id) { sharingGrants { ${s} } }`,
    pick: (d) => d.organisation?.sharingGrants,
    via: ['Organisation', 'sharingGrants'],
  },
};

let t: TestHub;
let f: PartnerFixture;
let schema: GraphQLSchema;
let viewers: ViewerCase[];

beforeAll(async () => {
  t = await startTestHub('matrix');
  f = await createPartnerFixture(t.database.url, 'matrix');
  schema = await buildHubSchema();
  const orm = t.hub.database.orm;
  const v = (
    name: string,
    token: string | undefined,
    ofOwner: boolean,
    roles: Role[],
    hasGrants = false,
  ): ViewerCase => ({
    name,
    token,
    signedIn: token !== undefined,
    ofOwner,
    roles: new Set(roles),
    hasGrants,
  });
  viewers = [
    v('public', undefined, false, []),
    v('staff of another partner', await f.token(f.accounts.otherStaff), false, [Role.PARTNER_STAFF]),
    v('staff of the owner', await f.token(f.accounts.ownerStaff), true, [Role.PARTNER_STAFF]),
    v('editor of the owner', await f.token(f.accounts.ownerEditor), true, [Role.PARTNER_EDITOR]),
    v('case manager of the owner', await f.token(f.accounts.ownerCaseManager), true, [Role.CASE_MANAGER]),
    v('coordinator', (await tokenFor(orm, [Role.COORDINATOR])).token, false, [Role.COORDINATOR]),
    v('admin', (await tokenFor(orm, [Role.ADMIN])).token, false, [Role.ADMIN]),
    v('partner with a grant', await f.token(f.accounts.granteeStaff), false, [Role.PARTNER_STAFF], true),
  ];
});

afterAll(async () => {
  await t?.stop();
});

const selectionOf = (type: GraphQLObjectType, field: string) =>
  isLeafType(getNamedType(type.getFields()[field]!.type)) ? field : `${field} { __typename }`;

const present = (value: unknown) => value !== null && value !== undefined;

describe('permission matrix', () => {
  it('shows or redacts every policy field for every viewer exactly as the policy says', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const [typeName, path] of Object.entries(paths)) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      const fields = Object.keys(policy[typeName]!.fields);
      const query = `query($id: ID!) { ${path.query(fields.map((fl) => selectionOf(type, fl)).join(' '))} }`;
      const ids: Record<Target, string> = {
        org: f.gid.ownerOrg,
        loc: f.gid.location,
        offer: f.gid.offer,
        period: f.gid.period,
        case: f.gid.case,
      };
      const variables = { id: ids[path.target] };
      for (const viewer of viewers) {
        const res = await t.gql<any>(query, variables, { token: viewer.token });
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        if (codes.some((c) => c !== 'NOT_FOUND'))
          failures.push(`${typeName} as ${viewer.name}: ${JSON.stringify(res.errors)}`);
        const picked = path.pick(res.data ?? {});
        const objects = (Array.isArray(picked) ? picked : picked ? [picked] : []) as Record<
          string,
          unknown
        >[];
        const reachable = path.via ? expectedVisible(path.via[0], path.via[1], viewer) : true;
        const redactions = ((res.extensions?.redactions as { field: string }[] | undefined) ?? []).map(
          (r) => r.field,
        );
        for (const field of fields) {
          cells++;
          const expected = reachable && expectedVisible(typeName, field, viewer);
          const actual = objects.some((o) => present(o[field]));
          if (actual !== expected)
            failures.push(
              `${typeName}.${field} as ${viewer.name}: expected ${expected ? 'visible' : 'redacted'}`,
            );
          // A redacted field of an object the viewer does get is reported once in extensions.redactions.
          if (!expected && objects.length > 0 && !redactions.includes(`${typeName}.${field}`)) {
            failures.push(`${typeName}.${field} as ${viewer.name}: redacted but not reported in extensions`);
          }
        }
      }
    }
    console.info(`permission matrix: ${cells} cells asserted`);
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(400);
  });

  it('lets only case managers list cases, and only their own organisation’s', async () => {
    for (const viewer of viewers) {
      const res = await t.gql<any>(
        '{ cases(first: 100) { totalCount nodes { id managingOrganisation { id } } } }',
        {},
        { token: viewer.token },
      );
      if (viewer.roles.has(Role.CASE_MANAGER)) {
        expect(res.errors).toBeUndefined();
        expect(res.data.cases.nodes.map((n: any) => n.id)).toEqual([f.gid.case]);
        expect(res.data.cases.totalCount).toBe(1);
      } else {
        expect(res.errors?.[0]?.extensions?.code, viewer.name).toBe('FORBIDDEN');
        expect(res.data).toBeNull();
      }
    }
    // A case manager of another organisation sees none of the owner's cases.
    const other = await t.gql<any>(
      '{ cases(first: 100) { totalCount } }',
      {},
      { token: await f.token(f.accounts.otherCaseManager) },
    );
    expect(other.data.cases.totalCount).toBe(0);
  });

  it('lets only editors grant and revoke sharing, and a denied mutation changes nothing', async () => {
    const grants = async () =>
      Number(
        (
          (await t.hub.database.orm.em
            .fork()
            .execute('select count(*)::int as n from sharing_grant where organisation_id = ?', [
              f.ids.ownerOrg,
            ])) as { n: number }[]
        )[0]!.n,
      );
    for (const viewer of viewers) {
      const before = await grants();
      const res = await t.gql<any>(
        'mutation($org: ID) { grantSharing(input: { fieldGroup: FUNDING, audience: ORGANISATION, organisationId: $org }) { id fieldGroup } }',
        { org: f.gid.otherOrg },
        { token: viewer.token },
      );
      if (viewer.roles.has(Role.PARTNER_EDITOR)) {
        expect(res.errors).toBeUndefined();
        expect(await grants()).toBe(before + 1);
        const revoked = await t.gql<any>(
          'mutation($id: ID!) { revokeSharing(id: $id) { active revokedAt } }',
          { id: res.data.grantSharing.id },
          { token: viewer.token },
        );
        expect(revoked.data.revokeSharing.active).toBe(false);
      } else {
        expect(res.errors?.[0]?.extensions?.code, viewer.name).toBe('FORBIDDEN');
        expect(await grants()).toBe(before);
      }
    }
  });
});
