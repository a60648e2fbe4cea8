import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/domain/enums.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { tokenFor } from './helpers/tokens.js';

let t: TestHub;
let f: PartnerFixture;
let editor: string;
let staff: string;
let otherEditor: string;
let admin: string;
let coordinator: string;

beforeAll(async () => {
  t = await startTestHub('offer_edits');
  f = await createPartnerFixture(t.database.url, 'edits');
  editor = await f.token(f.accounts.ownerEditor);
  staff = await f.token(f.accounts.ownerStaff);
  otherEditor = await f.token(f.accounts.otherEditor);
  admin = (await tokenFor(t.hub.database.orm, [Role.ADMIN])).token;
  coordinator = (await tokenFor(t.hub.database.orm, [Role.COORDINATOR])).token;
});

afterAll(async () => {
  await t?.stop();
});

const auditCount = async () =>
  (
    (await t.hub.database.orm.em
      .fork()
      .execute('select count(*)::int as n from audit_entry where organisation_id = ?', [f.ids.ownerOrg])) as {
      n: number;
    }[]
  )[0]!.n;

const CREATE_OFFER = `mutation($input: CreateOfferInput!) { createOffer(input: $input) {
  id version title kind languages location { id } eligibility { version residenceStatuses minAge maxAge } } }`;
const UPDATE_OFFER =
  'mutation($input: UpdateOfferInput!) { updateOffer(input: $input) { id version title schedule } }';

describe('offer edits', () => {
  it('lets an editor create a location, an offer with its first eligibility rule and a period', async () => {
    const location = await t.gql<any>(
      'mutation($i: CreateLocationInput!) { createLocation(input: $i) { id version district active } }',
      {
        i: {
          name: 'Lernwerkstatt',
          street: 'Hauptstraße 5',
          postalCode: '51379',
          city: 'Leverkusen',
          district: 'Opladen',
        },
      },
      { token: editor },
    );
    expect(location.errors).toBeUndefined();
    expect(location.data.createLocation).toMatchObject({ version: 1, district: 'Opladen', active: true });

    const created = await t.gql<any>(
      CREATE_OFFER,
      {
        input: {
          title: 'Einstiegsqualifizierung Gärtnerei',
          description: 'Sechs bis zwölf Monate im Betrieb, mit Berufsschule.',
          kind: 'EQ',
          locationId: location.data.createLocation.id,
          languages: ['de', 'ar'],
          eligibility: {
            residenceStatuses: ['DULDUNG', 'GESTATTUNG'],
            minAge: 18,
            maxAge: 27,
            legalBasisNote: '§ 54a SGB III',
          },
        },
      },
      { token: editor },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createOffer).toMatchObject({
      version: 1,
      kind: 'EQ',
      languages: ['de', 'ar'],
      eligibility: { version: 1, residenceStatuses: ['DULDUNG', 'GESTATTUNG'], minAge: 18, maxAge: 27 },
    });
    const period = await t.gql<any>(
      'mutation($i: CreateCapacityPeriodInput!) { createCapacityPeriod(input: $i) { total available version } }',
      { i: { offerId: created.data.createOffer.id, startsOn: '2027-02-01', endsOn: '2027-07-31', total: 4 } },
      { token: editor },
    );
    expect(period.data.createCapacityPeriod).toEqual({ total: 4, available: 4, version: 1 });
    // The search finds it at once (German stemming: "Gärtnereien" → "Gärtnerei").
    const found = await t.gql<any>('{ offers(filter: { search: "Gärtnereien" }) { nodes { title } } }');
    expect(found.data.offers.nodes.map((n: any) => n.title)).toContain('Einstiegsqualifizierung Gärtnerei');
  });

  it('names the wrong field in validation errors', async () => {
    const res = await t.gql<any>(
      CREATE_OFFER,
      {
        input: {
          title: 'x',
          description: 'd',
          kind: 'EQ',
          locationId: f.gid.location,
          languages: ['deutsch'],
        },
      },
      { token: editor },
    );
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((res.errors![0]!.extensions!.fields as any).map((x: any) => x.field).sort()).toEqual([
      'languages',
      'title',
    ]);
    const foreignLocation = await t.gql<any>(
      CREATE_OFFER,
      { input: { title: 'Kurs', description: 'd', kind: 'EQ', locationId: f.gid.location } },
      { token: otherEditor },
    );
    expect((foreignLocation.errors![0]!.extensions!.fields as any)[0].field).toBe('locationId');
    const postal = await t.gql<any>(
      'mutation($i: CreateLocationInput!) { createLocation(input: $i) { id } }',
      { i: { name: 'Haus', street: 'Weg 1', postalCode: '5137', city: 'Leverkusen', district: 'Opladen' } },
      { token: editor },
    );
    expect((postal.errors![0]!.extensions!.fields as any)[0].field).toBe('postalCode');
    const missing = await t.gql<any>(
      CREATE_OFFER,
      { input: { title: 'Ohne Ort', description: 'd', kind: 'EQ' } },
      { token: editor },
    );
    expect((missing.errors![0]!.extensions!.fields as any)[0].field).toBe('locationId');
  });

  it('refuses non-editors and other organisations’ editors, changing nothing; admins may edit', async () => {
    const before = await auditCount();
    for (const token of [undefined, staff, coordinator]) {
      const res = await t.gql<any>(
        UPDATE_OFFER,
        { input: { id: f.gid.offer, version: 1, title: 'Gekapert' } },
        { token },
      );
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    const other = await t.gql<any>(
      UPDATE_OFFER,
      { input: { id: f.gid.offer, version: 1, title: 'Gekapert' } },
      { token: otherEditor },
    );
    expect(other.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(await auditCount()).toBe(before);
    const title = await t.gql<any>('query($id: ID!) { offer(id: $id) { title } }', { id: f.gid.offer });
    expect(title.data.offer.title).toBe('Berufssprachkurs B2 Test');
    const byAdmin = await t.gql<any>(
      UPDATE_OFFER,
      { input: { id: f.gid.offer, version: 1, schedule: 'Mo–Do' } },
      { token: admin },
    );
    expect(byAdmin.data.updateOffer).toMatchObject({ version: 2, schedule: 'Mo–Do' });
  });

  it('fails a stale version with CONFLICT instead of overwriting, also when two editors race', async () => {
    const current = (
      await t.gql<any>(
        'query($id: ID!) { offer(id: $id) { version } }',
        { id: f.gid.offer },
        { token: editor },
      )
    ).data.offer.version;
    const race = await Promise.all(
      ['Kurs A', 'Kurs B'].map((title) =>
        t.gql<any>(UPDATE_OFFER, { input: { id: f.gid.offer, version: current, title } }, { token: editor }),
      ),
    );
    const ok = race.filter((r) => !r.errors);
    const conflicts = race.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.errors![0]!.extensions).toMatchObject({
      currentVersion: current + 1,
      yourVersion: current,
      changedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const stale = await t.gql<any>(
      UPDATE_OFFER,
      { input: { id: f.gid.offer, version: current, title: 'Kurs C' } },
      { token: editor },
    );
    expect(stale.errors![0]!.extensions!.code).toBe('CONFLICT');
    const final = await t.gql<any>('query($id: ID!) { offer(id: $id) { title } }', { id: f.gid.offer });
    expect(final.data.offer.title).toBe(ok[0]!.data.updateOffer.title);
  });

  it('never sets a total below occupied + reserved', async () => {
    const read = async () =>
      (
        await t.gql<any>(
          'query($id: ID!) { node(id: $id) { ... on CapacityPeriod { total occupied reserved version } } }',
          { id: f.gid.period },
          { token: editor },
        )
      ).data.node;
    const period = await read();
    expect(period).toMatchObject({ total: 10, occupied: 3, reserved: 1 });
    const SET = 'mutation($i: SetCapacityTotalInput!) { setCapacityTotal(input: $i) { total available } }';
    const low = await t.gql<any>(
      SET,
      { i: { capacityPeriodId: f.gid.period, total: 3, version: period.version } },
      { token: editor },
    );
    expect(low.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      occupied: 3,
      reserved: 1,
      minimum: 4,
    });
    const ok = await t.gql<any>(
      SET,
      { i: { capacityPeriodId: f.gid.period, total: 4, version: period.version } },
      { token: editor },
    );
    expect(ok.data.setCapacityTotal).toEqual({ total: 4, available: 0 });
    const negative = await t.gql<any>(
      SET,
      { i: { capacityPeriodId: f.gid.period, total: -1, version: period.version + 1 } },
      { token: editor },
    );
    expect(negative.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('versions eligibility rules: the old one ends the day before, history stays, overlaps are refused', async () => {
    const SET = `mutation($i: SetEligibilityRuleInput!) { setEligibilityRule(input: $i) { version validFrom validTo } }`;
    const v2 = await t.gql<any>(
      SET,
      {
        i: {
          offerId: f.gid.offer,
          residenceStatuses: ['DULDUNG_AUSBILDUNG', 'AE_CHANCEN'],
          minAge: 18,
          maxAge: 30,
          validFrom: '2030-01-01',
        },
      },
      { token: editor },
    );
    expect(v2.errors).toBeUndefined();
    expect(v2.data.setEligibilityRule).toEqual({ version: 2, validFrom: '2030-01-01', validTo: null });
    const history = await t.gql<any>(
      'query($id: ID!) { offer(id: $id) { eligibility { version } eligibilityRules { version validFrom validTo } } }',
      {
        id: f.gid.offer,
      },
    );
    expect(history.data.offer.eligibility.version).toBe(1);
    expect(history.data.offer.eligibilityRules).toEqual([
      { version: 2, validFrom: '2030-01-01', validTo: null },
      { version: 1, validFrom: '2020-01-01', validTo: '2029-12-31' },
    ]);
    const overlap = await t.gql<any>(
      SET,
      {
        i: {
          offerId: f.gid.offer,
          residenceStatuses: ['DULDUNG'],
          minAge: 18,
          maxAge: 27,
          validFrom: '2029-06-01',
        },
      },
      { token: editor },
    );
    expect(overlap.errors![0]!.extensions!.code).toBe('CONFLICT');
    const ages = await t.gql<any>(
      SET,
      {
        i: {
          offerId: f.gid.offer,
          residenceStatuses: ['DULDUNG'],
          minAge: 30,
          maxAge: 20,
          validFrom: '2031-01-01',
        },
      },
      { token: editor },
    );
    expect((ages.errors![0]!.extensions!.fields as any)[0].field).toBe('maxAge');
  });

  it('archives offers out of the lists and refuses to archive a location still in use', async () => {
    const archiveLocation = await t.gql<any>(
      'mutation($id: ID!) { archiveLocation(id: $id, version: 1) { active } }',
      { id: f.gid.location },
      { token: editor },
    );
    expect(archiveLocation.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', activeOffers: 1 });
    const version = (
      await t.gql<any>(
        'query($id: ID!) { offer(id: $id) { version } }',
        { id: f.gid.offer },
        { token: editor },
      )
    ).data.offer.version;
    const archived = await t.gql<any>(
      'mutation($id: ID!, $v: Int!) { archiveOffer(id: $id, version: $v) { id } }',
      { id: f.gid.offer, v: version },
      { token: editor },
    );
    expect(archived.errors).toBeUndefined();
    const listed = await t.gql<any>(
      'query($o: [ID!]) { offers(filter: { organisationIds: $o }) { nodes { id } } }',
      { o: [f.gid.ownerOrg] },
    );
    expect(listed.data.offers.nodes.map((n: any) => n.id)).not.toContain(f.gid.offer);
    const ARCHIVE =
      'query($id: ID!) { organisation(id: $id) { archivedOffers { id active autoOfferFromWaitingList } } }';
    const own = await t.gql<any>(ARCHIVE, { id: f.gid.ownerOrg }, { token: editor });
    expect(own.data.organisation.archivedOffers).toContainEqual({
      id: f.gid.offer,
      active: false,
      autoOfferFromWaitingList: true,
    });
    const byAdmin = await t.gql<any>(ARCHIVE, { id: f.gid.ownerOrg }, { token: admin });
    expect(byAdmin.data.organisation.archivedOffers).toContainEqual({
      id: f.gid.offer,
      active: false,
      autoOfferFromWaitingList: true,
    });
    for (const token of [otherEditor, undefined]) {
      const foreign = await t.gql<any>(ARCHIVE, { id: f.gid.ownerOrg }, { token });
      expect(foreign.data.organisation.archivedOffers).toBeNull();
    }
  });

  it('keeps an audit trail with before/after, readable by the owner and the coordinator only', async () => {
    const query =
      'query($id: ID!) { organisation(id: $id) { auditTrail(first: 50) { totalCount nodes { action entityType actorAccountId details } } } }';
    const own = await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: staff });
    const entries = own.data.organisation.auditTrail.nodes;
    const titleChange = entries.find((e: any) => e.action === 'offer.updated' && e.details.after?.title);
    expect(titleChange.details.before.title).toEqual(expect.any(String));
    expect(titleChange.actorAccountId).toBe(f.accounts.ownerEditor.id);
    expect(entries.map((e: any) => e.action)).toEqual(
      expect.arrayContaining([
        'location.created',
        'offer.created',
        'capacity_period.created',
        'capacity_period.total_set',
        'offer.eligibility_rule_set',
        'offer.archived',
      ]),
    );
    const coordinatorView = await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: coordinator });
    expect(coordinatorView.data.organisation.auditTrail.totalCount).toBe(
      own.data.organisation.auditTrail.totalCount,
    );
    const foreign = await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: otherEditor });
    expect(foreign.data.organisation.auditTrail).toBeNull();
    // Who made a change, by name to the organisation's own accounts; one object's changes on their own.
    const ACTORS = `query($id: ID!, $object: ID) { organisation(id: $id) {
      auditTrail(first: 100, object: $object) { nodes { entityType entityId actorAccountId actor { displayName } } } } }`;
    const named = await t.gql<any>(ACTORS, { id: f.gid.ownerOrg, object: f.gid.offer }, { token: staff });
    const ofOffer = named.data.organisation.auditTrail.nodes;
    expect(ofOffer.length).toBeGreaterThan(1);
    expect(ofOffer.every((e: any) => e.entityType === 'Offer' && e.entityId === f.ids.offer)).toBe(true);
    expect(
      ofOffer.some(
        (e: any) =>
          e.actorAccountId === f.accounts.ownerEditor.id && typeof e.actor?.displayName === 'string',
      ),
    ).toBe(true);
    const fromOutside = await t.gql<any>(
      ACTORS,
      { id: f.gid.ownerOrg, object: f.gid.offer },
      { token: coordinator },
    );
    const byOwnerEditor = fromOutside.data.organisation.auditTrail.nodes.filter(
      (e: any) => e.actorAccountId === f.accounts.ownerEditor.id,
    );
    expect(byOwnerEditor.length).toBeGreaterThan(0);
    expect(byOwnerEditor.every((e: any) => !e.actor?.displayName)).toBe(true);
  });

  it('pages through the audit trail forwards and backwards without skipping or repeating an entry', async () => {
    const ALL =
      'query($id: ID!) { organisation(id: $id) { auditTrail(first: 100) { totalCount nodes { id } } } }';
    const all = (await t.gql<any>(ALL, { id: f.gid.ownerOrg }, { token: editor })).data.organisation
      .auditTrail;
    expect(all.totalCount).toBeGreaterThan(3);
    const PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      organisation(id: $id) { auditTrail(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } } }`;
    const forwards: string[] = [];
    let after: string | null = null;
    let last: any;
    do {
      const result: any = await t.gql<any>(PAGE, { id: f.gid.ownerOrg, first: 2, after }, { token: editor });
      expect(result.errors).toBeUndefined();
      last = result.data.organisation.auditTrail;
      expect(last.totalCount).toBe(all.totalCount);
      forwards.push(...last.nodes.map((n: any) => n.id));
      after = last.pageInfo.endCursor;
    } while (last.pageInfo.hasNextPage);
    expect(forwards).toEqual(all.nodes.map((n: any) => n.id));

    const back = await t.gql<any>(
      PAGE,
      { id: f.gid.ownerOrg, last: 2, before: last.pageInfo.startCursor },
      {
        token: editor,
      },
    );
    expect(back.data.organisation.auditTrail.nodes.map((n: any) => n.id)).toEqual(
      forwards.slice(forwards.length - last.nodes.length - 2, forwards.length - last.nodes.length),
    );
    const forged = await t.gql<any>(
      PAGE,
      { id: f.gid.ownerOrg, first: 2, after: 'bm90LWEtY3Vyc29y' },
      {
        token: editor,
      },
    );
    expect(forged.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('never shows a restricted value through the audit trail', async () => {
    const offer = (
      await t.gql<any>(
        CREATE_OFFER,
        {
          input: {
            title: 'Beratung mit Notiz',
            description: 'd',
            kind: 'COUNSELLING',
            locationId: f.gid.location,
            internalNote: 'GEHEIM-123',
          },
        },
        { token: editor },
      )
    ).data.createOffer;
    expect(offer).toBeTruthy();
    const query =
      'query($id: ID!) { organisation(id: $id) { auditTrail(first: 100) { nodes { action details } } } }';
    const forCoordinator = JSON.stringify(
      await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: coordinator }),
    );
    expect(forCoordinator).not.toContain('GEHEIM-123');
    expect(forCoordinator).toContain('[restricted]');
    expect(JSON.stringify(await t.gql<any>(query, { id: f.gid.ownerOrg }, { token: staff }))).toContain(
      'GEHEIM-123',
    );
  });
});
