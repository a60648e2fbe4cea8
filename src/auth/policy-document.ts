import { Access, policy, SHAREABLE_FIELD_GROUPS, STATISTICS_AUDIENCES, STATISTICS_TIERS } from './policy.js';
import { ACTIONS, type ActionOwner } from './policy-actions.js';

const WHO: Record<Access, string> = {
  [Access.PUBLIC]: 'everyone',
  [Access.ALLIANCE]: 'any partner',
  [Access.OWNER]: 'owner',
  [Access.OWNER_OR_COORDINATOR]: 'owner, coordinator',
  [Access.EDITOR_OF_OWNER]: 'owner’s editors',
  [Access.CASE_MANAGER_OF_OWNER]: 'owner’s case managers',
  [Access.ADMIN]: 'admins',
  [Access.COORDINATOR]: 'the coordinator',
  [Access.ACCOUNT_HOLDER]: 'the account itself',
};

/** Access levels that do not depend on whose the object is. */
const ANY_OWNER: ReadonlySet<Access> = new Set([
  Access.PUBLIC,
  Access.ALLIANCE,
  Access.ADMIN,
  Access.COORDINATOR,
]);

const ACTION_OWNER: Record<ActionOwner, string> = {
  organisation: 'the organisation',
  provider: 'the providing organisation',
  caseOrganisation: 'the case’s managing organisation',
  account: 'the account it belongs to',
};

const OWNER_NOTE: Record<string, string> = {
  viewer: 'the viewer’s own organisation',
  none: '—',
  self: 'the organisation itself',
  organisation: 'its organisation',
  offerOrganisation: 'the offer’s organisation',
  reservationProvider: 'the providing organisation',
  reservationCaseOrganisation: 'the case’s managing organisation',
  managingOrganisation: 'the managing organisation',
  auditOrganisation: 'the organisation whose data changed',
  eventCaseOrganisation: 'the case’s managing organisation',
};

/** The policy as a Markdown page (docs/permissions.md), printed from the same table the hub enforces. */
export function renderPolicyDocument(): string {
  const lines = [
    '# Permission policy',
    '',
    'Generated from `src/auth/policy.ts` by `npm run policy:print`; a test fails when this page differs.',
    'Restricted fields the viewer may not read are `null`, listed once in `extensions.redactions`;',
    'root fields and mutations the viewer may not use fail with `FORBIDDEN`.',
    '',
    `Shareable field groups (sharingGrant): ${[...SHAREABLE_FIELD_GROUPS].sort().join(', ')}. Cases and reservations are never shareable.`,
    '',
  ];
  for (const [typeName, type] of Object.entries(policy)) {
    if (typeName.endsWith('Connection') || typeName.endsWith('Edge') || typeName === 'PageInfo') continue;
    lines.push(`## ${typeName}`, '', `Owner: ${OWNER_NOTE[type.owner] ?? type.owner}.`);
    if (type.rows) {
      lines.push(
        `Row rule: only ${type.rows.map((g) => `${WHO[g.access]}${g.owner ? ` (of ${OWNER_NOTE[g.owner]})` : ''}`).join(' or ')} ever receive such an object.`,
      );
    }
    lines.push('', '| field | who may read | shareable as |', '|---|---|---|');
    for (const [field, rule] of Object.entries(type.fields)) {
      const who = rule.read
        .map((g) => `${WHO[g.access]}${g.owner ? ` (of ${OWNER_NOTE[g.owner]})` : ''}`)
        .join(' or ');
      lines.push(`| ${field} | ${who} | ${rule.sharedAs ?? ''} |`);
    }
    lines.push('');
  }
  lines.push(
    'Relay wrappers (`…Connection`, `…Edge`, `PageInfo`) are public; their nodes follow their own type’s rules.',
    '',
    '## Actions',
    '',
    'What a viewer may do to objects of an organisation (`src/auth/policy-actions.ts`), asked by every service',
    'that changes or follows data, whichever way the request came; denied actions fail with `FORBIDDEN`.',
    '',
    '| action | who may | performed by |',
    '|---|---|---|',
    ...Object.entries(ACTIONS).map(
      ([name, action]) =>
        `| ${name} | ${action.allow.map((g) => `${WHO[g.access]}${ANY_OWNER.has(g.access) ? '' : ` (of ${ACTION_OWNER[g.owner]})`}`).join(' or ')} | ${action.via.join(', ')} |`,
    ),
    '',
    '## Statistics tiers (caseStatistics)',
    '',
    `Who asks decides the audience, the first that admits them: ${STATISTICS_AUDIENCES.map((a) => `${a.audience} (${a.grants.map((g) => WHO[g.access]).join(' or ')})`).join(', then ')}.`,
    'Filters count as dimensions, and so does a period below the year. Cells with 0 < n < k are suppressed, then as',
    'many more as it takes that no one with every table of the tier (and the public ones) can narrow a suppressed',
    'figure below k or recompute any, all tables of a tier protected together; every hidden cell says only',
    'SUPPRESSED (see README, "Anonymisierte Statistik").',
    '',
    '| audience | measures | dimensions | max. dimensions | k | finest period | rounding |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [audience, tier] of Object.entries(STATISTICS_TIERS)) {
    const k = [
      String(tier.minimumCellSize),
      ...tier.sensitiveCrossings.map((s) => `${s.minimumCellSize} for ${s.dimensions.join(' × ')}`),
    ].join('; ');
    lines.push(
      `| ${audience} | ${tier.measures.join(', ')} | ${tier.dimensions.join(', ')} | ${tier.maxDimensions} | ${k} | ${tier.minimumGranularity} | ${tier.roundingBase ?? '—'} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
