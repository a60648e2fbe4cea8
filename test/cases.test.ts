import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../src/domain/calendar.js';
import { createPartnerFixture, type PartnerFixture } from './helpers/fixtures.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let f: PartnerFixture;
let cm: string;
let otherCm: string;
let staff: string;

beforeAll(async () => {
  t = await startTestHub('cases', { seed: false });
  f = await createPartnerFixture(t.database.url, 'cases');
  cm = await f.token(f.accounts.ownerCaseManager);
  otherCm = await f.token(f.accounts.otherCaseManager);
  staff = await f.token(f.accounts.ownerStaff);
});

afterAll(async () => {
  await t?.stop();
});

// The hub's dates are German local dates: around midnight the UTC date is another day.
const iso = (daysFromToday: number) => today(new Date(Date.now() + daysFromToday * 86_400_000));
const code = (res: any) => res.errors?.[0]?.extensions?.code;
const CASE_FIELDS =
  'id version stage residenceStatus closedOn managingOrganisation { id } events { kind occurredOn fromStage toStage fromStatus toStatus }';
const CREATE = `mutation($i: CreateCaseInput!) { createCase(input: $i) { ${CASE_FIELDS} } }`;
const UPDATE = `mutation($i: UpdateCaseInput!) { updateCase(input: $i) { ${CASE_FIELDS} } }`;

const newCase = async (token = cm) =>
  (
    await t.gql<any>(
      CREATE,
      {
        i: {
          intakeDate: iso(-40),
          ageBand: 'AGE_21_24',
          gender: 'F',
          nationalityGroup: 'ER',
          residenceStatus: 'GESTATTUNG',
          schoolLevel: 'LOWER_SECONDARY',
          germanLevel: 'A1',
        },
      },
      { token },
    )
  ).data.createCase;

describe('cases', () => {
  it('creates a pseudonymous case with its intake event, and records stage and status changes as dated events', async () => {
    const created = await newCase();
    expect(created).toMatchObject({ stage: 'INTAKE', residenceStatus: 'GESTATTUNG', version: 1 });
    expect(created.events).toEqual([
      {
        kind: 'INTAKE',
        occurredOn: iso(-40),
        fromStage: null,
        toStage: 'INTAKE',
        fromStatus: null,
        toStatus: 'GESTATTUNG',
      },
    ]);
    const updated = await t.gql<any>(
      UPDATE,
      {
        i: {
          id: created.id,
          version: 1,
          stage: 'LANGUAGE',
          residenceStatus: 'DULDUNG',
          occurredOn: iso(-10),
        },
      },
      { token: cm },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateCase.events.slice(1)).toEqual([
      {
        kind: 'STAGE_CHANGE',
        occurredOn: iso(-10),
        fromStage: 'INTAKE',
        toStage: 'LANGUAGE',
        fromStatus: null,
        toStatus: null,
      },
      {
        kind: 'STATUS_CHANGE',
        occurredOn: iso(-10),
        fromStage: null,
        toStage: null,
        fromStatus: 'GESTATTUNG',
        toStatus: 'DULDUNG',
      },
    ]);
    const closed = await t.gql<any>(
      `mutation($i: CloseCaseInput!) { closeCase(input: $i) { stage closedOn events { kind } } }`,
      { i: { id: created.id, version: updated.data.updateCase.version, finalStage: 'AUSBILDUNG' } },
      { token: cm },
    );
    expect(closed.data.closeCase).toMatchObject({ stage: 'AUSBILDUNG', closedOn: iso(0) });
    expect(closed.data.closeCase.events.map((e: any) => e.kind)).toEqual([
      'INTAKE',
      'STAGE_CHANGE',
      'STATUS_CHANGE',
      'STAGE_CHANGE',
      'CLOSED',
    ]);
  });

  it('rejects future, too-old and out-of-order dates, unknown attributes and stale versions', async () => {
    const c = await newCase();
    const at = async (occurredOn: string) =>
      t.gql<any>(
        UPDATE,
        { i: { id: c.id, version: c.version, stage: 'ORIENTATION', occurredOn } },
        { token: cm },
      );
    for (const day of [iso(1), iso(-400), iso(-50)]) {
      const res = await at(day);
      expect(code(res), day).toBe('BAD_USER_INPUT');
      expect((res.errors as any)[0].extensions.fields[0].field).toBe('occurredOn');
    }
    const unknown = await t.gql<any>(
      CREATE.replace('$i: CreateCaseInput!', '$i: CreateCaseInput!'),
      {
        i: {
          intakeDate: iso(-1),
          ageBand: 'AGE_18_20',
          gender: 'M',
          nationalityGroup: 'SY',
          residenceStatus: 'DULDUNG',
          schoolLevel: 'NONE',
          germanLevel: 'A0',
          name: 'Max',
        },
      },
      { token: cm },
    );
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(unknown)).not.toContain('Max"');
    const badNationality = await t.gql<any>(
      CREATE,
      {
        i: {
          intakeDate: iso(-1),
          ageBand: 'AGE_18_20',
          gender: 'M',
          nationalityGroup: 'Syrien',
          residenceStatus: 'DULDUNG',
          schoolLevel: 'NONE',
          germanLevel: 'A0',
        },
      },
      { token: cm },
    );
    expect((badNationality.errors as any)[0].extensions.fields[0].field).toBe('nationalityGroup');
    expect((await at(iso(-5))).errors).toBeUndefined();
    expect(code(await at(iso(-4)))).toBe('CONFLICT');
  });

  it('shows cases only to the managing organisation’s case managers, by every path', async () => {
    const c = await newCase();
    for (const token of [staff, undefined]) {
      expect(
        code(await t.gql<any>('query($id: ID!) { case(id: $id) { id } }', { id: c.id }, { token })),
      ).toBe('FORBIDDEN');
      expect(code(await t.gql<any>('{ cases(first: 5) { totalCount } }', {}, { token }))).toBe('FORBIDDEN');
      expect(
        code(await t.gql<any>('query($id: ID!) { node(id: $id) { id } }', { id: c.id }, { token })),
      ).toBe('NOT_FOUND');
    }
    expect(
      code(await t.gql<any>('query($id: ID!) { case(id: $id) { id } }', { id: c.id }, { token: otherCm })),
    ).toBe('NOT_FOUND');
    expect(
      code(await t.gql<any>(UPDATE, { i: { id: c.id, version: 1, stage: 'EQ' } }, { token: otherCm })),
    ).toBe('NOT_FOUND');
    const own = await t.gql<any>(
      '{ cases(first: 100, filter: { open: true }) { totalCount nodes { id } } }',
      {},
      { token: cm },
    );
    expect(own.data.cases.nodes.map((n: any) => n.id)).toContain(c.id);
  });

  it('hands a case over: the receiver accepts, the history goes along, the sender loses access', async () => {
    const c = await newCase();
    const offered = await t.gql<any>(
      'mutation($i: HandOverCaseInput!) { handOverCase(input: $i) { handoverTo { id } } }',
      { i: { id: c.id, toOrganisationId: f.gid.otherOrg } },
      { token: cm },
    );
    expect(offered.data.handOverCase.handoverTo.id).toBe(f.gid.otherOrg);
    const incoming = await t.gql<any>(
      '{ incomingCaseHandovers { caseId requestedAt } }',
      {},
      { token: otherCm },
    );
    expect(incoming.data.incomingCaseHandovers.map((h: any) => h.caseId)).toContain(c.id);
    // Before acceptance the receiver still cannot read the case.
    expect(
      code(await t.gql<any>('query($id: ID!) { case(id: $id) { id } }', { id: c.id }, { token: otherCm })),
    ).toBe('NOT_FOUND');
    const accepted = await t.gql<any>(
      `mutation($id: ID!) { acceptCaseHandover(input: { id: $id }) { managingOrganisation { id } events { kind } } }`,
      { id: c.id },
      { token: otherCm },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptCaseHandover.managingOrganisation.id).toBe(f.gid.otherOrg);
    expect(accepted.data.acceptCaseHandover.events.map((e: any) => e.kind)).toEqual(['INTAKE', 'HANDOVER']);
    expect(
      code(await t.gql<any>('query($id: ID!) { case(id: $id) { id } }', { id: c.id }, { token: cm })),
    ).toBe('NOT_FOUND');
    // Accepting someone else's handover, or twice, finds nothing.
    expect(
      code(
        await t.gql<any>(
          `mutation($id: ID!) { acceptCaseHandover(input: { id: $id }) { id } }`,
          { id: c.id },
          { token: otherCm },
        ),
      ),
    ).toBe('NOT_FOUND');
  });
});
