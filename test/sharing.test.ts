import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let f: PartnerFixture;
let editor: string;
let other: string;

beforeAll(async () => {
  t = await startTestHub('sharing', { seed: false });
  f = await createPartnerFixture(t.database.url, 'sharing');
  editor = await f.token(f.accounts.ownerEditor);
  other = await f.token(f.accounts.otherStaff);
});

afterAll(async () => {
  await t?.stop();
});

const GRANT = `mutation($input: GrantSharingInput!) { grantSharing(input: $input) { id fieldGroup audience audienceOrganisation { id } validFrom validTo active } }`;
const OCCUPIED = 'query($p: ID!) { node(id: $p) { ... on CapacityPeriod { occupied waitingList } } }';

describe('sharing grants', () => {
  it('take effect on the next request, are audited, and end when revoked', async () => {
    const before = await t.gql<any>(OCCUPIED, { p: f.gid.period }, { token: other });
    expect(before.data.node).toEqual({ occupied: null, waitingList: null });

    const granted = await t.gql<any>(
      GRANT,
      {
        input: {
          fieldGroup: 'PLACES_DETAIL',
          audience: 'ORGANISATION',
          organisationId: f.gid.otherOrg,
          validTo: '2099-12-31',
        },
      },
      { token: editor },
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data.grantSharing).toMatchObject({
      fieldGroup: 'PLACES_DETAIL',
      audience: 'ORGANISATION',
      audienceOrganisation: { id: f.gid.otherOrg },
      validTo: '2099-12-31',
      active: true,
    });
    const during = await t.gql<any>(OCCUPIED, { p: f.gid.period }, { token: other });
    expect(during.data.node).toEqual({ occupied: 3, waitingList: 1 });

    const revoked = await t.gql<any>(
      'mutation($id: ID!) { revokeSharing(id: $id) { active revokedAt } }',
      { id: granted.data.grantSharing.id },
      { token: editor },
    );
    expect(revoked.data.revokeSharing.active).toBe(false);
    const after = await t.gql<any>(OCCUPIED, { p: f.gid.period }, { token: other });
    expect(after.data.node).toEqual({ occupied: null, waitingList: null });

    const audit = await t.hub.database.orm.em
      .fork()
      .execute(
        `select action, actor_account_id, actor_organisation_id, details from audit_entry where entity_type = 'SharingGrant' order by id`,
      );
    expect(audit.map((a: any) => a.action)).toEqual(['sharing_grant.created', 'sharing_grant.revoked']);
    expect(audit[0]).toMatchObject({
      actor_account_id: f.accounts.ownerEditor.id,
      actor_organisation_id: f.ids.ownerOrg,
      details: {
        fieldGroup: 'PLACES_DETAIL',
        audience: 'ORGANISATION',
        audienceOrganisationId: f.ids.otherOrg,
      },
    });
  });

  it('shares with the whole alliance', async () => {
    const granted = await t.gql<any>(
      GRANT,
      { input: { fieldGroup: 'INTERNAL_NOTES', audience: 'ALLIANCE' } },
      { token: editor },
    );
    expect(granted.errors).toBeUndefined();
    const note = await t.gql<any>(
      'query($id: ID!) { offer(id: $id) { internalNote } }',
      { id: f.gid.offer },
      { token: other },
    );
    expect(note.data.offer.internalNote).toBe('nur intern: Dozentin fällt aus');
    const publicNote = await t.gql<any>('query($id: ID!) { offer(id: $id) { internalNote } }', {
      id: f.gid.offer,
    });
    expect(publicNote.data.offer.internalNote).toBeNull();
  });

  it('lists an organisation’s grants to its own accounts only', async () => {
    const query = 'query($id: ID!) { organisation(id: $id) { sharingGrants { fieldGroup active } } }';
    const own = await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: editor });
    expect(own.data.organisation.sharingGrants.length).toBeGreaterThanOrEqual(5);
    const foreign = await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: other });
    expect(foreign.data.organisation.sharingGrants).toBeNull();
  });

  it('refuses what the policy never allows and bad input, with clear codes', async () => {
    const code = async (input: Record<string, unknown>) =>
      (await t.gql<any>(GRANT, { input }, { token: editor })).errors?.[0]?.extensions?.code;
    expect(await code({ fieldGroup: 'CASES', audience: 'ALLIANCE' })).toBe('BAD_USER_INPUT'); // not even in the enum
    expect(await code({ fieldGroup: 'CONTACTS', audience: 'ALLIANCE' })).toBe('BAD_USER_INPUT');
    expect(await code({ fieldGroup: 'FUNDING', audience: 'ORGANISATION' })).toBe('BAD_USER_INPUT');
    expect(
      await code({ fieldGroup: 'FUNDING', audience: 'ORGANISATION', organisationId: f.gid.ownerOrg }),
    ).toBe('BAD_USER_INPUT');
    expect(await code({ fieldGroup: 'FUNDING', audience: 'ALLIANCE', organisationId: f.gid.otherOrg })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code({ fieldGroup: 'FUNDING', audience: 'ALLIANCE', validTo: '2020-01-01' })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code({ fieldGroup: 'FUNDING', audience: 'ALLIANCE', validTo: 'bald' })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await code({
        fieldGroup: 'FUNDING',
        audience: 'ORGANISATION',
        organisationId: Buffer.from('Organisation:00000000-0000-4000-8000-000000000000').toString(
          'base64url',
        ),
      }),
    ).toBe('NOT_FOUND');
  });

  it('revokes only its own organisation’s grants, once', async () => {
    const granted = await t.gql<any>(
      GRANT,
      { input: { fieldGroup: 'FUNDING', audience: 'ALLIANCE' } },
      { token: editor },
    );
    const id = granted.data.grantSharing.id;
    const foreign = await t.gql<any>(
      'mutation($id: ID!) { revokeSharing(id: $id) { id } }',
      { id },
      { token: await f.token(f.accounts.otherEditor) },
    );
    // Another organisation's grant looks like a missing one, and stays in force.
    expect(foreign.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const first = await t.gql<any>(
      'mutation($id: ID!) { revokeSharing(id: $id) { active } }',
      { id },
      { token: editor },
    );
    expect(first.errors).toBeUndefined();
    const again = await t.gql<any>(
      'mutation($id: ID!) { revokeSharing(id: $id) { active } }',
      { id },
      { token: editor },
    );
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
  });
});
