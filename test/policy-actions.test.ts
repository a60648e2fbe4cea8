import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type GraphQLSchema, isObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessControl } from '../src/auth/access-control.js';
import { ownOrganisationActions } from '../src/auth/own-actions.js';
import { ACTIONS, type ActionName } from '../src/auth/policy-actions.js';
import type { Viewer } from '../src/auth/viewer.js';
import { Role } from '../src/domain/enums.js';
import { buildHubSchema } from '../src/schema.js';

/** Root fields that act on nobody's data: no action to ask (the field rule alone decides). */
const NOT_ACTIONS = new Set([
  'Mutation.login',
  'Subscription.placesAvailable',
  'Subscription.placesChanged',
  'Subscription.statisticsUpdated',
]);

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildHubSchema();
});

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const account = (organisationId: string, ...roles: Role[]): Viewer => ({
  kind: 'account',
  accountId: '00000000-0000-4000-8000-0000000000ff',
  organisationId,
  roles: new Set(roles),
});
/** The policy's answers need no database for actions: loaders and em are never touched. */
const access = (viewer: Viewer) => new AccessControl(viewer, undefined as never);

describe('actions (src/auth/policy-actions.ts)', () => {
  it('cover every mutation and subscription that acts on an organisation’s data, and name only real ones', () => {
    const roots: string[] = [];
    for (const typeName of ['Mutation', 'Subscription']) {
      const type = schema.getType(typeName);
      if (type && isObjectType(type))
        for (const f of Object.keys(type.getFields())) roots.push(`${typeName}.${f}`);
    }
    const via = new Set<string>(Object.values(ACTIONS).flatMap((a) => a.via));
    const uncovered = roots.filter((r) => !NOT_ACTIONS.has(r) && !via.has(r));
    expect(uncovered, 'give these root fields an action in policy-actions.ts').toEqual([]);
    const stale = [...via].filter((v) => /^(Mutation|Subscription)\./.test(v) && !roots.includes(v));
    expect(stale).toEqual([]);
  });

  it('are each asked by the code (an action nobody asks for is a rule that protects nothing)', async () => {
    const sources = await sourceFiles(path.resolve('src'));
    const text = (
      await Promise.all(
        sources.filter((f) => !f.includes(`${path.sep}auth${path.sep}`)).map((f) => readFile(f, 'utf8')),
      )
    ).join('\n');
    const unasked = (Object.keys(ACTIONS) as ActionName[]).filter((name) => !text.includes(`'${name}'`));
    expect(unasked).toEqual([]);
  });

  it('decide as docs/domain.md says: editors and admins edit, case managers book for their own cases', () => {
    const editorA = access(account(ORG_A, Role.PARTNER_EDITOR));
    const staffA = access(account(ORG_A, Role.PARTNER_STAFF));
    const caseManagerA = access(account(ORG_A, Role.CASE_MANAGER));
    const coordinatorB = access(account(ORG_B, Role.COORDINATOR));
    const adminB = access(account(ORG_B, Role.ADMIN));
    const pub = access({ kind: 'public' });

    expect(editorA.may('offer.update', { organisation: ORG_A })).toBe(true);
    expect(editorA.may('offer.update', { organisation: ORG_B })).toBe(false);
    expect(staffA.may('offer.update', { organisation: ORG_A })).toBe(false);
    expect(adminB.may('offer.update', { organisation: ORG_A })).toBe(true);
    expect(coordinatorB.may('offer.update', { organisation: ORG_A })).toBe(false);
    expect(pub.may('offer.create', { organisation: ORG_A })).toBe(false);

    expect(caseManagerA.may('place.reserve', { caseOrganisation: ORG_A })).toBe(true);
    expect(caseManagerA.may('place.reserve', { caseOrganisation: ORG_B })).toBe(false);
    expect(editorA.may('place.reserve', { caseOrganisation: ORG_A })).toBe(false);
    // Two owners: the provider's editors, or the case's case managers.
    expect(editorA.may('place.release', { provider: ORG_A, caseOrganisation: ORG_B })).toBe(true);
    expect(caseManagerA.may('place.release', { provider: ORG_B, caseOrganisation: ORG_A })).toBe(true);
    expect(caseManagerA.may('place.release', { provider: ORG_A, caseOrganisation: ORG_B })).toBe(false);
    expect(coordinatorB.may('capacity.follow', { provider: ORG_A })).toBe(true);
    expect(staffA.may('capacity.follow', { provider: ORG_A })).toBe(true);
    expect(editorA.may('capacity.follow', { provider: ORG_B })).toBe(false);
    expect(adminB.may('sharing.grant', { organisation: ORG_A })).toBe(false);

    expect(() => caseManagerA.assert('place.confirm', { provider: ORG_A })).toThrow(
      ACTIONS['place.confirm'].denied,
    );
    expect(() => pub.assert('case.create', { organisation: null })).toThrow(ACTIONS['case.create'].denied);
  });

  it('tell a page what its viewer may do to their own organisation (Me.actions)', () => {
    const own = (viewer: Viewer) => ownOrganisationActions(access(viewer), ORG_A);
    const editor = own(account(ORG_A, Role.PARTNER_EDITOR));
    expect(editor).toEqual(expect.arrayContaining(['offer.create', 'capacity.setTotal', 'place.confirm']));
    expect(editor).not.toContain('case.create');
    const caseManager = own(account(ORG_A, Role.CASE_MANAGER));
    expect(caseManager).toEqual(expect.arrayContaining(['case.create', 'place.reserve', 'place.release']));
    expect(caseManager).not.toContain('offer.update');
    expect(own(account(ORG_A, Role.PARTNER_STAFF))).not.toContain('offer.update');
    // Exactly what `may` answers, in a stable order.
    expect([...editor].sort()).toEqual(editor);
  });

  it('derive the statistics audience and the band rule from the policy', () => {
    expect(access({ kind: 'public' }).statisticsAudience()).toBe('PUBLIC');
    expect(access(account(ORG_A, Role.PARTNER_STAFF)).statisticsAudience()).toBe('PARTNER');
    expect(access(account(ORG_B, Role.COORDINATOR)).statisticsAudience()).toBe('COORDINATOR');
    expect(access({ kind: 'public' }).canReadFieldOfEveryOwner('CapacityPeriod', 'available')).toBe(false);
    expect(
      access(account(ORG_A, Role.PARTNER_STAFF)).canReadFieldOfEveryOwner('CapacityPeriod', 'available'),
    ).toBe(true);
    expect(
      access(account(ORG_A, Role.PARTNER_EDITOR)).canReadFieldOfEveryOwner('CapacityPeriod', 'occupied'),
    ).toBe(false);
  });
});

describe('roles are the policy’s words', () => {
  it('no file of src/ outside src/auth decides by a role name', async () => {
    const offenders: string[] = [];
    // Where role and audience names are listed (the enums, their GraphQL registration, the schema's history).
    const lists = new Set(['src/domain/enums.ts', 'src/domain/statistics.ts', 'src/graphql/enums.ts']);
    for (const file of await sourceFiles(path.resolve('src'))) {
      const relative = path.relative(process.cwd(), file).split(path.sep).join('/');
      if (
        relative.startsWith('src/auth/') ||
        relative.startsWith('src/db/migrations/') ||
        lists.has(relative)
      )
        continue;
      const text = await readFile(file, 'utf8');
      for (const [i, line] of text.split('\n').entries()) {
        if (
          /\bRole\.[A-Z_]+|\bhasRole\(|roles\.has\(|'(PARTNER_STAFF|PARTNER_EDITOR|CASE_MANAGER|COORDINATOR|ADMIN)'/.test(
            line,
          )
        )
          offenders.push(`${relative}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(offenders, 'ask the policy (an action or a field rule) instead').toEqual([]);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}
