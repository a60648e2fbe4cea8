import { type GraphQLSchema, isListType, isNonNullType, isObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { Access, policy, SHAREABLE_FIELD_GROUPS } from '../src/auth/policy.js';
import { FieldGroup } from '../src/domain/enums.js';
import { buildHubSchema } from '../src/schema.js';

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await buildHubSchema();
});

const objectTypes = () =>
  Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__')) as ReturnType<
    GraphQLSchema['getQueryType']
  >[];

describe('the permission policy covers the schema exactly', () => {
  it('has an entry for every field of every object type, query and mutation', () => {
    const missing: string[] = [];
    for (const type of objectTypes()) {
      for (const field of Object.keys(type!.getFields())) {
        if (!policy[type!.name]?.fields[field]) missing.push(`${type!.name}.${field}`);
      }
    }
    expect(missing, 'add these fields to src/auth/policy.ts').toEqual([]);
  });

  it('has no entry for a type or field the schema does not have', () => {
    const stale: string[] = [];
    for (const [typeName, rule] of Object.entries(policy)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      for (const field of Object.keys(rule.fields))
        if (!type.getFields()[field]) stale.push(`${typeName}.${field}`);
    }
    expect(stale).toEqual([]);
  });

  it('makes every restricted field nullable, so that redaction is a null and never an error', () => {
    const offenders: string[] = [];
    for (const [typeName, rule] of Object.entries(policy)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type) || ['Query', 'Mutation', 'Subscription'].includes(typeName)) continue;
      const rowRule = JSON.stringify(rule.rows ?? [{ access: Access.PUBLIC }]);
      for (const [field, fieldRule] of Object.entries(rule.fields)) {
        const isPublic = fieldRule.read.some((g) => g.access === Access.PUBLIC);
        // A field exactly as restricted as its row never needs redacting: the row is not there at all.
        const asRow = JSON.stringify(fieldRule.read) === rowRule;
        const gqlField = type.getFields()[field];
        if (!isPublic && !asRow && gqlField && isNonNullType(gqlField.type))
          offenders.push(`${typeName}.${field}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('never lets cases, reservations or accounts be shared, and shares only real field groups', () => {
    for (const typeName of ['Case', 'Reservation', 'Account', 'SharingGrant']) {
      for (const rule of Object.values(policy[typeName]!.fields)) expect(rule.sharedAs).toBeUndefined();
    }
    expect([...SHAREABLE_FIELD_GROUPS].sort()).toEqual(
      [FieldGroup.FUNDING, FieldGroup.INTERNAL_NOTES, FieldGroup.PLACES_DETAIL].sort(),
    );
  });

  it('guards raw cases by a row rule, and every path to a case is a nullable field or a filtered list', () => {
    expect(policy.Case!.rows).toEqual([{ access: Access.CASE_MANAGER_OF_OWNER }]);
    for (const type of objectTypes()) {
      // CaseEdge.node lives only under Query.cases, which scopes rows in SQL to the viewer's own cases.
      if (type!.name === 'CaseEdge') continue;
      // Mutations act on the caller's own cases by construction (and the row rule still applies to them).
      if (type!.name === 'Mutation') continue;
      for (const field of Object.values(type!.getFields())) {
        let t = field.type;
        if (isNonNullType(t)) t = t.ofType;
        if (isListType(t)) continue;
        if (String(t) === 'Case')
          expect(isNonNullType(field.type), `${type!.name}.${field.name}`).toBe(false);
      }
    }
  });
});

describe('the policy keeps docs/domain.md’s default visibility', () => {
  const accessOf = (type: string, field: string) => policy[type]!.fields[field]!.read.map((g) => g.access);
  it.each([
    ['Organisation', 'name', Access.PUBLIC],
    ['Organisation', 'contactPersons', Access.ALLIANCE],
    ['Offer', 'title', Access.PUBLIC],
    ['Offer', 'availability', Access.PUBLIC],
    ['Offer', 'internalNote', Access.OWNER],
    ['Offer', 'fundingProgramme', Access.OWNER_OR_COORDINATOR],
    ['Offer', 'costPerPlaceCents', Access.OWNER_OR_COORDINATOR],
    ['CapacityPeriod', 'availability', Access.PUBLIC],
    ['CapacityPeriod', 'total', Access.ALLIANCE],
    ['CapacityPeriod', 'available', Access.ALLIANCE],
    ['CapacityPeriod', 'occupied', Access.OWNER_OR_COORDINATOR],
    ['CapacityPeriod', 'reserved', Access.OWNER_OR_COORDINATOR],
    ['CapacityPeriod', 'waitingList', Access.OWNER_OR_COORDINATOR],
    ['Case', 'residenceStatus', Access.CASE_MANAGER_OF_OWNER],
    ['Mutation', 'grantSharing', Access.EDITOR_OF_OWNER],
  ])('%s.%s is %s', (type, field, access) => {
    expect(accessOf(type, field)).toEqual([access]);
  });

  it('keeps the coordinator away from reservations and raw cases', () => {
    const grants = [...policy.Reservation!.rows!, ...policy.Case!.rows!].map((g) => g.access);
    expect(grants).not.toContain(Access.OWNER_OR_COORDINATOR);
    expect(grants).not.toContain(Access.ALLIANCE);
  });
});

it('docs/permissions.md is the policy as enforced (npm run policy:print)', async () => {
  const { readFile } = await import('node:fs/promises');
  const { renderPolicyDocument } = await import('../src/auth/policy-document.js');
  const actual = await readFile(new URL('../docs/permissions.md', import.meta.url), 'utf8');
  expect(actual).toBe(renderPolicyDocument());
});
