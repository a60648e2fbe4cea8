import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Child, freePort, waitReady } from './lib/children.js';
import { createScratchDatabase } from './lib/scratch-database.js';

/**
 * `npm run -s bench:answers -- --hub DIR --out FILE`: what a built hub (DIR holds dist/src/main.js) answers
 * to the dashboards' queries, as every kind of viewer, on a fresh demo database — written as JSON, so two
 * builds (before and after a refactoring) can be diffed answer by answer. Mutations that change nothing
 * for good (errors) and a few that do (an edit, a total, an import) are part of it, followed by the audit
 * trails they leave. Values that differ run by run (timestamps, tokens, new ids) are replaced by their
 * kind.
 */
const USAGE = 'usage: npm run -s bench:answers -- --hub <checkout with dist/> --out <file.json>';
const { values } = parseArgs({ options: { hub: { type: 'string' }, out: { type: 'string' } } });
if (!values.hub || !values.out) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'buendnis-demo-2026';

const database = await createScratchDatabase(serverUrl);
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const hub = new Child('hub', [path.resolve(values.hub, 'dist/src/main.js')], {
  ...process.env,
  NODE_ENV: 'development',
  DATABASE_URL: database.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  SEED_DEMO: 'true',
  AUTH_JWT_SECRET: 'answers-diff-secret-answers-diff-secret',
  STATISTICS_WARM: 'false',
  LOG_LEVEL: 'warn',
});
const answers: Record<string, unknown> = {};

try {
  await waitReady(hub, `${origin}/readyz`, {});
  const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, read by key.
    return { status: response.status, body: (await response.json()) as any };
  };
  const tokenOf = async (email: string) => {
    const r = await gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: email,
      p: PASSWORD,
    });
    return r.body.data.login.token as string;
  };
  const viewers: Record<string, string | undefined> = {
    public: undefined,
    staff: await tokenOf('staff@vhs-leverkusen.example'),
    editor: await tokenOf('editor@vhs-leverkusen.example'),
    otherEditor: await tokenOf('editor@kolping-leverkusen.example'),
    caseManager: await tokenOf('casemanager@kja-leverkusen.example'),
    coordinator: await tokenOf('coordinator@ki-leverkusen.example'),
    admin: await tokenOf('admin@ki-leverkusen.example'),
  };
  const ask = async (name: string, query: string, variables: Record<string, unknown> = {}) => {
    for (const [viewer, token] of Object.entries(viewers)) {
      answers[`${name} as ${viewer}`] = await gql(query, variables, token);
    }
  };

  const PERIOD =
    'id label startsOn endsOn total available occupied reserved waitingList availability version';
  const OFFER = `id title kind description languages requiredGermanLevel schedule costCents active version
    internalNote costPerPlaceCents fundingProgramme { code name funder }
    organisation { id name kind } location { id name district city wheelchairAccessible }
    availability currentCapacityPeriod { ${PERIOD} } capacityPeriods { ${PERIOD} }
    eligibility { version residenceStatuses minAge maxAge minGermanLevel validFrom validTo }`;
  const page = (
    args: string,
  ) => `{ offers(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { ${OFFER} } } } }`;

  await ask('dashboard page of 50', page('first: 50, orderBy: { field: TITLE, direction: ASC }'));
  await ask('page by free places', page('first: 20, orderBy: { field: FREE_PLACES, direction: DESC }'));
  await ask('page by start date', page('first: 20, orderBy: { field: START_DATE, direction: ASC }'));
  await ask('search Ausbildung', page('first: 20, filter: { search: "Ausbildung" }'));
  await ask('search with minus', page('first: 20, filter: { search: "Kurs -Abend" }'));
  await ask(
    'profile filter',
    page(
      'first: 30, filter: { eligibleFor: { residenceStatus: DULDUNG, age: 22, germanLevel: A2 }, hasFreePlaces: true, kinds: [AUSBILDUNG, EQ, INTEGRATION_COURSE] }',
    ),
  );
  await ask('backwards', page('last: 5, orderBy: { field: TITLE, direction: DESC }'));
  const first = answers['dashboard page of 50 as public'] as {
    body: { data: { offers: { pageInfo: { endCursor: string } } } };
  };
  const cursor = first.body.data.offers.pageInfo.endCursor;
  await ask('second page', page(`first: 50, after: "${cursor}", orderBy: { field: TITLE, direction: ASC }`));
  await ask(
    'organisations nested',
    `{ organisations(first: 8) { totalCount nodes { id name kind description website isCoordinator
        contactPersons { name function email phone }
        locations { id name street postalCode city district version active }
        sharingGrants { fieldGroup audience audienceOrganisation { name } validFrom validTo revokedAt active }
        auditTrail(first: 5) { totalCount nodes { action entityType entityId actorAccountId details } }
        offers(first: 5) { totalCount pageInfo { hasNextPage endCursor } nodes { id title capacityPeriods { ${PERIOD}
          reservations { id status fromWaitingList case { id stage } } } } } } } }`,
  );
  await ask('me', '{ me { roles account { email displayName roles } organisation { name } } }');
  await ask(
    'cases',
    `{ cases(first: 20) { totalCount nodes { id intakeDate ageBand gender nationalityGroup residenceStatus schoolLevel
        germanLevel stage closedOn version managingOrganisation { name } events { kind occurredOn fromStage toStage } } }
      incomingCaseHandovers { caseId } }`,
  );
  await ask(
    'statistics public-sized',
    `{ caseStatistics(measure: CASES, dimensions: [STAGE, GENDER], period: { year: 2025 }) {
        audience minimumCellSize roundingBase closed categories { dimension values } cells { key value status }
        total { key value status } suppressedCells } }`,
  );
  await ask(
    'statistics partner-sized',
    `{ caseStatistics(measure: TRANSITIONS, stage: AUSBILDUNG, dimensions: [ORGANISATION_KIND, PERIOD], period: { year: 2025, granularity: QUARTER }) {
        audience cells { key value status } total { value status } } }`,
  );
  await ask('errors: page too large', page('first: 101'));
  await ask('errors: forged cursor', page('first: 5, after: "bm9wZQ"'));
  await ask('errors: node of nonsense', '{ node(id: "xyz") { id } }');

  // Ids of the seed (deterministic) for node(id) and the mutations.
  const editor = viewers.editor!;
  const own = await gql(
    `{ me { organisation { id offers(first: 3) { nodes { id version capacityPeriods { id version total occupied reserved } } } locations { id name version } } } }`,
    {},
    editor,
  );
  const org = own.body.data.me.organisation;
  const offer = org.offers.nodes[0];
  const period = offer.capacityPeriods[0];
  await ask('node offer', `{ node(id: "${offer.id}") { id ... on Offer { title internalNote } } }`);
  await ask(
    'node period',
    `{ node(id: "${period.id}") { id ... on CapacityPeriod { total available occupied } } }`,
  );

  const mutate = async (name: string, query: string, variables: Record<string, unknown>, token?: string) => {
    answers[name] = await gql(query, variables, token);
  };
  const UPDATE = `mutation($i: UpdateOfferInput!) { updateOffer(input: $i) { id title version schedule internalNote } }`;
  await mutate(
    'updateOffer as other editor (forbidden)',
    UPDATE,
    { i: { id: offer.id, version: offer.version, title: 'Xyz' } },
    viewers.otherEditor,
  );
  await mutate('updateOffer as public', UPDATE, {
    i: { id: offer.id, version: offer.version, title: 'Xyz' },
  });
  await mutate(
    'updateOffer stale version',
    UPDATE,
    { i: { id: offer.id, version: offer.version + 7, title: 'Neu' } },
    editor,
  );
  await mutate(
    'updateOffer',
    UPDATE,
    { i: { id: offer.id, version: offer.version, title: 'Neuer Titel', internalNote: 'intern' } },
    editor,
  );
  const TOTAL = `mutation($i: SetCapacityTotalInput!) { setCapacityTotal(input: $i) { id total available version } }`;
  await mutate(
    'setCapacityTotal below taken',
    TOTAL,
    { i: { capacityPeriodId: period.id, version: period.version, total: 0 } },
    editor,
  );
  await mutate(
    'setCapacityTotal',
    TOTAL,
    { i: { capacityPeriodId: period.id, version: period.version, total: period.total + 3 } },
    editor,
  );
  await mutate(
    'setCapacityTotal as admin below taken',
    TOTAL,
    { i: { capacityPeriodId: period.id, version: period.version + 1, total: 0 } },
    viewers.admin,
  );
  await mutate(
    'createOffer for another organisation',
    `mutation($i: CreateOfferInput!) { createOffer(input: $i) { id } }`,
    {
      i: {
        organisationId: 'T3JnYW5pc2F0aW9uOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA',
        title: 'Kurs',
        description: 'd',
        kind: 'COUNSELLING',
        locationId: org.locations[0].id,
      },
    },
    editor,
  );
  await mutate(
    'reservePlace for an unknown case',
    `mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }`,
    { i: { capacityPeriodId: period.id, caseId: 'Q2FzZTowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA' } },
    viewers.caseManager,
  );
  await mutate(
    'reservePlace as editor',
    `mutation($i: ReservePlaceInput!) { reservePlace(input: $i) { id } }`,
    { i: { capacityPeriodId: period.id, caseId: 'Q2FzZTowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA' } },
    editor,
  );
  await mutate(
    'archiveLocation in use',
    `mutation($id: ID!, $v: Int!) { archiveLocation(id: $id, version: $v) { id } }`,
    { id: org.locations[0].id, v: org.locations[0].version },
    editor,
  );

  // An import of one new and one changed offer: its audit entries beside the API's.
  const csv = [
    'Externe ID;Titel;Angebotsart;Beschreibung;Standort;Beginn;Ende;Plätze gesamt;Plätze belegt',
    `ANS-1;Deutsch am Abend;Integrationskurs;Ein Kurs;${org.locations[0].name};01.03.2027;30.06.2027;12;2`,
  ].join('\n');
  let digest = '';
  for (const apply of [false, true]) {
    const query = `organisationId=${encodeURIComponent(org.id)}&apply=${apply}${apply ? `&digest=${digest}` : ''}`;
    const response = await fetch(`${origin}/import/offers?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const report = (await response.json()) as { digest?: string };
    digest = report.digest ?? '';
    answers[`import apply=${apply}`] = { status: response.status, body: report };
  }
  await ask(
    'audit trail after the edits',
    `{ me { organisation { auditTrail(first: 20) { totalCount nodes { action entityType actorAccountId details } } } } }`,
  );
  const hsds = await fetch(`${origin}/hsds/services?per_page=5`);
  answers['hsds services'] = { status: hsds.status, body: await hsds.json() };
} finally {
  await hub.stop();
  await database.drop();
}

/** Values that differ run by run, replaced by their kind; everything else as answered. */
const VOLATILE =
  /^(computedAt|asOf|occurredAt|createdAt|updatedAt|expiresAt|token|changedAt|holdUntil|requestedAt|digest)$/;
function stable(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => stable(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v, k)]));
  if (typeof value === 'string' && VOLATILE.test(key)) return `<${key}>`;
  return value;
}
await writeFile(values.out, `${JSON.stringify(stable(answers), null, 1)}\n`);
process.stderr.write(`${Object.keys(answers).length} answers written to ${values.out}\n`);
