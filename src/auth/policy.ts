import { FieldGroup } from '../domain/enums.js';
import {
  PeriodGranularity,
  StatisticsAudience,
  StatisticsDimension,
  StatisticsMeasure,
} from '../domain/statistics.js';

/**
 * THE permission policy: every GraphQL type and field (and every mutation) → who may read or run it.
 * Its enforcement (auth/enforce-policy.ts: every field of every operation, over HTTP and WebSocket), the
 * services' row checks and the audit-detail filter read this one table; a schema field without an entry
 * is denied, and a test fails on it.
 *
 * Owners: each type says which organisation an object belongs to (`owner`). For root fields (Query,
 * Mutation) the owner is the viewer's own organisation: a root rule says which viewers may ask at all,
 * and the service scopes rows to what the viewer's organisation may touch.
 */
export enum Access {
  /** Everyone, also without a token. */
  PUBLIC = 'PUBLIC',
  /** Any signed-in partner (any role). */
  ALLIANCE = 'ALLIANCE',
  /** Accounts of the owning organisation. */
  OWNER = 'OWNER',
  /** Accounts of the owning organisation, and the coordinator (KI). */
  OWNER_OR_COORDINATOR = 'OWNER_OR_COORDINATOR',
  /** PARTNER_EDITORs of the owning organisation. */
  EDITOR_OF_OWNER = 'EDITOR_OF_OWNER',
  /** CASE_MANAGERs of the owning organisation. */
  CASE_MANAGER_OF_OWNER = 'CASE_MANAGER_OF_OWNER',
  /** ADMIN accounts. */
  ADMIN = 'ADMIN',
  /** Accounts with the COORDINATOR role (the KI), whichever organisation owns the object. */
  COORDINATOR = 'COORDINATOR',
  /**
   * The one account an object belongs to (a saved search), not its colleagues: for actions whose owner
   * is an account (policy-actions.ts, owner `account`), judged against the account id.
   */
  ACCOUNT_HOLDER = 'ACCOUNT_HOLDER',
}

/** Which organisation owns an object; AccessControl.ownerOf resolves each key. */
export type OwnerKey =
  | 'self'
  | 'organisation'
  | 'offerOrganisation'
  | 'reservationProvider'
  | 'reservationCaseOrganisation'
  | 'managingOrganisation'
  | 'auditOrganisation'
  | 'eventCaseOrganisation'
  | 'viewer'
  | 'none';

/** One way to be allowed: an access level, judged against the type's owner or another one. */
export interface Grant {
  access: Access;
  owner?: OwnerKey;
}

export interface FieldRule {
  /** Any of these grants allows reading (or running) the field. */
  read: Grant[];
  /** The owner may share this field beyond `read`, as part of this field group (sharingGrant). */
  sharedAs?: FieldGroup;
  /** The entity property behind the field when its name differs (audit details name properties). */
  stored?: string;
}

export interface TypeRule {
  owner: OwnerKey;
  /** Row-level rule: objects of this type reach only these viewers, by every path (list, node, nested). */
  rows?: Grant[];
  fields: Record<string, FieldRule>;
}

const rule = (access: Access, extra: Omit<FieldRule, 'read'> = {}): FieldRule => ({
  read: [{ access }],
  ...extra,
});
const fields = (access: Access, names: string[]): Record<string, FieldRule> =>
  Object.fromEntries(names.map((n) => [n, rule(access)]));
const PUBLIC = (...names: string[]) => fields(Access.PUBLIC, names);

/** Relay wrappers carry no data of their own; what they hold is judged by the node's type. */
const connection = (node: string): Record<string, TypeRule> => ({
  [`${node}Connection`]: { owner: 'none', fields: PUBLIC('edges', 'nodes', 'pageInfo', 'totalCount') },
  [`${node}Edge`]: { owner: 'none', fields: PUBLIC('node', 'cursor') },
});

/** Who may change an organisation's offers, locations and places: its editors, and admins. */
export const EDITORS: readonly Grant[] = [{ access: Access.EDITOR_OF_OWNER }, { access: Access.ADMIN }];
const editRule: FieldRule = { read: [...EDITORS] };
/** Version numbers for optimistic concurrency: for those who may edit. */
const versionRule: FieldRule = { read: [{ access: Access.OWNER }, { access: Access.ADMIN }] };

/**
 * How long a period's waiting list is: its provider and the coordinator, or whom the provider shares its
 * places detail with. A waiting-list entry's position tells the same (the last one to join learns the
 * length), so CapacityPeriod.waitingList and WaitingListEntry.position share this one rule.
 */
const WAITING_LIST_LENGTH: FieldRule = rule(Access.OWNER_OR_COORDINATOR, {
  sharedAs: FieldGroup.PLACES_DETAIL,
});

const RESERVATION_PARTIES: Grant[] = [
  { access: Access.OWNER },
  { access: Access.CASE_MANAGER_OF_OWNER, owner: 'reservationCaseOrganisation' },
];

export const policy: Readonly<Record<string, TypeRule>> = {
  // ── Apollo Federation 2 ───────────────────────────────────────────────────────────────────────────
  // What the subgraph schema adds (src/graphql/federation.ts). `_service { sdl }` is the SDL that gateways
  // and routers read, without a user's token: as public as introspection, which the hub allows anyway.
  // `_entities` resolves references to Organisation, Location, Offer and CapacityPeriod by global id; what
  // it returns is judged by those types' own rules below (fields redacted, row rules as null), exactly as
  // on every other path. The union `_Entity` and the scalars `_Any`, `federation__FieldSet`,
  // `link__Import` carry no data of their own and need no entry.
  _Service: { owner: 'none', fields: PUBLIC('sdl') },
  Query: {
    owner: 'viewer',
    fields: {
      _service: rule(Access.PUBLIC),
      _entities: rule(Access.PUBLIC),
      // ── end of Apollo Federation 2 ──────────────────────────────────────────────────────────────────────
      ...PUBLIC('node', 'organisations', 'organisation', 'offers', 'offer', 'me'),
      // Every audience; what each may ask (measures, dimensions, k, periods) is STATISTICS_TIERS below.
      caseStatistics: rule(Access.PUBLIC),
      cases: rule(Access.CASE_MANAGER_OF_OWNER),
      case: rule(Access.CASE_MANAGER_OF_OWNER),
      incomingCaseHandovers: rule(Access.CASE_MANAGER_OF_OWNER),
      webhookEndpoints: rule(Access.EDITOR_OF_OWNER),
      // The viewer's own saved searches only (action savedSearch.manage).
      savedSearches: rule(Access.ALLIANCE),
    },
  },
  Mutation: {
    owner: 'viewer',
    fields: {
      login: rule(Access.PUBLIC),
      createSignInInvitation: rule(Access.ADMIN),
      grantSharing: rule(Access.EDITOR_OF_OWNER),
      revokeSharing: rule(Access.EDITOR_OF_OWNER),
      createOffer: editRule,
      updateOffer: editRule,
      archiveOffer: editRule,
      setEligibilityRule: editRule,
      createLocation: editRule,
      updateLocation: editRule,
      archiveLocation: editRule,
      createCapacityPeriod: editRule,
      setCapacityTotal: editRule,
      createCase: rule(Access.CASE_MANAGER_OF_OWNER),
      updateCase: rule(Access.CASE_MANAGER_OF_OWNER),
      closeCase: rule(Access.CASE_MANAGER_OF_OWNER),
      handOverCase: rule(Access.CASE_MANAGER_OF_OWNER),
      acceptCaseHandover: rule(Access.CASE_MANAGER_OF_OWNER),
      reservePlace: rule(Access.CASE_MANAGER_OF_OWNER),
      joinWaitingList: rule(Access.CASE_MANAGER_OF_OWNER),
      confirmReservation: editRule,
      releasePlace: { read: [...EDITORS, { access: Access.CASE_MANAGER_OF_OWNER }] },
      createWebhookEndpoint: rule(Access.EDITOR_OF_OWNER),
      updateWebhookEndpoint: rule(Access.EDITOR_OF_OWNER),
      deleteWebhookEndpoint: rule(Access.EDITOR_OF_OWNER),
      // Accounts for themselves; the public with an e-mail that must confirm (double opt-in).
      saveSearch: rule(Access.PUBLIC),
      updateSavedSearch: rule(Access.ALLIANCE),
      deleteSavedSearch: rule(Access.ALLIANCE),
    },
  },
  Subscription: {
    owner: 'viewer',
    fields: {
      ...PUBLIC('placesAvailable', 'placesChanged', 'statisticsUpdated'),
      // Which offer: checked against the offer's organisation when subscribing (OWNER_OR_COORDINATOR).
      capacityChanged: rule(Access.ALLIANCE),
    },
  },
  PlacesEvent: { owner: 'none', fields: PUBLIC('offer', 'capacityPeriod', 'changedAt', 'reason') },
  StatisticsUpdate: { owner: 'none', fields: PUBLIC('changedAt', 'statistics') },
  // Figures that passed disclosure control (STATISTICS_TIERS); raw cases never reach these types.
  StatisticsTable: {
    owner: 'none',
    fields: PUBLIC(
      'measure',
      'stage',
      'dimensions',
      'categories',
      'period',
      'granularity',
      'closed',
      'audience',
      'minimumCellSize',
      'roundingBase',
      'cells',
      'total',
      'suppressedCells',
      'asOf',
      'computedAt',
    ),
  },
  StatisticsCell: { owner: 'none', fields: PUBLIC('key', 'value', 'status') },
  StatisticsCategories: { owner: 'none', fields: PUBLIC('dimension', 'values') },
  Organisation: {
    owner: 'self',
    fields: {
      ...PUBLIC('id', 'name', 'kind', 'description', 'website', 'isCoordinator', 'locations', 'offers'),
      contactPersons: rule(Access.ALLIANCE),
      sharingGrants: rule(Access.OWNER),
      auditTrail: rule(Access.OWNER_OR_COORDINATOR),
      // What an organisation took out of its lists: for those who keep them (as Offer.version).
      archivedOffers: versionRule,
    },
  },
  Location: {
    owner: 'organisation',
    fields: {
      version: versionRule,
      ...PUBLIC(
        'id',
        'name',
        'street',
        'postalCode',
        'city',
        'district',
        'wheelchairAccessible',
        'accessibilityNote',
        'organisation',
        'active',
      ),
    },
  },
  ContactPerson: {
    owner: 'organisation',
    fields: fields(Access.ALLIANCE, ['name', 'function', 'email', 'phone']),
  },
  Offer: {
    owner: 'organisation',
    fields: {
      ...PUBLIC(
        'id',
        'title',
        'kind',
        'description',
        'languages',
        'requiredGermanLevel',
        'schedule',
        'costCents',
        'organisation',
        'location',
        'capacityPeriods',
        'currentCapacityPeriod',
        'availability',
        'eligibility',
        'eligibilityRules',
        'active',
      ),
      version: versionRule,
      // How the provider runs its queue: for those who set it, as the version they edit.
      autoOfferFromWaitingList: versionRule,
      internalNote: rule(Access.OWNER, { sharedAs: FieldGroup.INTERNAL_NOTES, stored: 'internalNotes' }),
      fundingProgramme: rule(Access.OWNER_OR_COORDINATOR, { sharedAs: FieldGroup.FUNDING }),
      costPerPlaceCents: rule(Access.OWNER_OR_COORDINATOR, { sharedAs: FieldGroup.FUNDING }),
    },
  },
  EligibilityRule: {
    owner: 'none',
    fields: PUBLIC(
      'version',
      'residenceStatuses',
      'minAge',
      'maxAge',
      'minGermanLevel',
      'legalBasisNote',
      'validFrom',
      'validTo',
    ),
  },
  FundingProgramme: {
    owner: 'none',
    fields: PUBLIC('code', 'name', 'funder', 'validFrom', 'validTo'),
  },
  CapacityPeriod: {
    owner: 'offerOrganisation',
    fields: {
      ...PUBLIC('id', 'label', 'startsOn', 'endsOn', 'availability', 'offer'),
      total: rule(Access.ALLIANCE),
      available: rule(Access.ALLIANCE),
      version: versionRule,
      occupied: rule(Access.OWNER_OR_COORDINATOR, { sharedAs: FieldGroup.PLACES_DETAIL }),
      reserved: rule(Access.OWNER_OR_COORDINATOR, { sharedAs: FieldGroup.PLACES_DETAIL }),
      waitingList: WAITING_LIST_LENGTH,
      // Rows are filtered by the Reservation rule: the provider sees all, a case manager their cases'.
      reservations: {
        read: [{ access: Access.OWNER }, { access: Access.CASE_MANAGER_OF_OWNER, owner: 'viewer' }],
      },
      // The same for who waits: rows filtered by the WaitingListEntry rule.
      waitingListEntries: {
        read: [{ access: Access.OWNER }, { access: Access.CASE_MANAGER_OF_OWNER, owner: 'viewer' }],
      },
    },
  },
  Reservation: {
    owner: 'reservationProvider',
    // Which case holds a place: the providing organisation, and the case managers of the case's organisation.
    rows: RESERVATION_PARTIES,
    fields: {
      ...Object.fromEntries(
        ['id', 'status', 'holdUntil', 'fromWaitingList', 'createdAt', 'capacityPeriod'].map((n) => [
          n,
          { read: RESERVATION_PARTIES },
        ]),
      ),
      case: { read: [{ access: Access.CASE_MANAGER_OF_OWNER, owner: 'reservationCaseOrganisation' }] },
    },
  },
  Case: {
    owner: 'managingOrganisation',
    // Raw cases: only the managing organisation's case managers, by every path. Never shareable.
    rows: [{ access: Access.CASE_MANAGER_OF_OWNER }],
    fields: fields(Access.CASE_MANAGER_OF_OWNER, [
      'id',
      'intakeDate',
      'ageBand',
      'gender',
      'nationalityGroup',
      'residenceStatus',
      'schoolLevel',
      'germanLevel',
      'stage',
      'closedOn',
      'managingOrganisation',
      'version',
      'handoverTo',
      'events',
      // Rows filtered by Reservation's and WaitingListEntry's rules (the case's case managers read them).
      'reservations',
      'waitingListEntries',
    ]),
  },
  CaseEvent: {
    owner: 'eventCaseOrganisation',
    rows: [{ access: Access.CASE_MANAGER_OF_OWNER }],
    fields: fields(Access.CASE_MANAGER_OF_OWNER, [
      'kind',
      'occurredOn',
      'fromStage',
      'toStage',
      'fromStatus',
      'toStatus',
    ]),
  },
  CaseHandover: {
    // Listed only to the receiving organisation's case managers (scoped in the query).
    owner: 'viewer',
    fields: fields(Access.CASE_MANAGER_OF_OWNER, ['caseId', 'requestedAt']),
  },
  WaitingListEntry: {
    owner: 'reservationProvider',
    rows: RESERVATION_PARTIES,
    fields: {
      ...Object.fromEntries(
        ['id', 'status', 'createdAt', 'capacityPeriod'].map((n) => [n, { read: RESERVATION_PARTIES }]),
      ),
      // Both entry and period belong to the provider (reservationProvider), so the rule reads the same.
      position: WAITING_LIST_LENGTH,
      case: { read: [{ access: Access.CASE_MANAGER_OF_OWNER, owner: 'reservationCaseOrganisation' }] },
    },
  },
  // Reached only as createSignInInvitation's answer (ADMIN), once: that root rule is the gate.
  SignInInvitation: { owner: 'none', fields: PUBLIC('url', 'expiresAt', 'email') },
  // Where an organisation's systems are told of events, and what was sent: its editors only (the URLs
  // name internal systems; the secret is shown once, in the create payload, never as a field).
  WebhookEndpoint: {
    owner: 'organisation',
    rows: [{ access: Access.EDITOR_OF_OWNER }],
    fields: fields(Access.EDITOR_OF_OWNER, ['id', 'url', 'events', 'paused', 'createdAt', 'deliveries']),
  },
  WebhookDelivery: {
    owner: 'organisation',
    rows: [{ access: Access.EDITOR_OF_OWNER }],
    fields: fields(Access.EDITOR_OF_OWNER, [
      'id',
      'event',
      'status',
      'attempts',
      'lastStatusCode',
      'lastError',
      'nextAttemptAt',
      'deliveredAt',
      'createdAt',
    ]),
  },
  // Reached only through createWebhookEndpoint, which its own rule and `webhook.manage` already guard
  // (as LoginResult through login): the secret is shown here once, to who just created the endpoint.
  CreateWebhookEndpointPayload: { owner: 'none', fields: PUBLIC('endpoint', 'secret') },
  Me: { owner: 'viewer', fields: PUBLIC('account', 'organisation', 'roles', 'actions') },
  Account: { owner: 'organisation', fields: fields(Access.OWNER, ['id', 'email', 'displayName', 'roles']) },
  LoginResult: { owner: 'none', fields: PUBLIC('token', 'expiresAt') },
  SharingGrant: {
    owner: 'organisation',
    rows: [{ access: Access.OWNER }],
    fields: fields(Access.OWNER, [
      'id',
      'fieldGroup',
      'audience',
      'audienceOrganisation',
      'validFrom',
      'validTo',
      'revokedAt',
      'createdAt',
      'active',
    ]),
  },
  AuditEntry: {
    owner: 'auditOrganisation',
    rows: [{ access: Access.OWNER_OR_COORDINATOR }],
    fields: fields(Access.OWNER_OR_COORDINATOR, [
      'id',
      'occurredAt',
      'action',
      'entityType',
      'entityId',
      'actorAccountId',
      'actor',
      'details',
    ]),
  },
  // Reached only as the viewer's own (savedSearches, the saved-search mutations' answers to their author).
  SavedSearch: {
    // One account's, not an organisation's: no organisation owner to judge fields by.
    owner: 'none',
    fields: PUBLIC(
      'id',
      'name',
      'filter',
      'notify',
      'digestIntervalMinutes',
      'paused',
      'confirmed',
      'lastMailedAt',
      'createdAt',
    ),
  },
  PageInfo: { owner: 'none', fields: PUBLIC('hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor') },
  ...connection('Organisation'),
  // Search highlights and suggestions are cut from public texts only (titles, descriptions, organisation
  // and location names, districts, kind labels): public like them.
  OfferConnection: {
    owner: 'none',
    fields: PUBLIC('edges', 'nodes', 'pageInfo', 'totalCount', 'searchSuggestions'),
  },
  OfferEdge: { owner: 'none', fields: PUBLIC('node', 'cursor', 'searchHighlights') },
  OfferSearchHighlight: { owner: 'none', fields: PUBLIC('field', 'fragments') },
  TextFragment: { owner: 'none', fields: PUBLIC('text', 'matched') },
  ...connection('Case'),
  ...connection('AuditEntry'),
};

/** Field groups an organisation may share at all: exactly those some field declares. Cases never do. */
export const SHAREABLE_FIELD_GROUPS: ReadonlySet<FieldGroup> = new Set(
  Object.values(policy).flatMap((t) =>
    Object.values(t.fields).flatMap((f) => (f.sharedAs ? [f.sharedAs] : [])),
  ),
);

/**
 * The fields an audit entry's before/after values are redacted by, per entity type and stored property:
 * the shareable ones, i.e. exactly the data an organisation restricts and may choose to share. The
 * trail itself reaches the owner and the coordinator (AuditEntry below); a value of such a field is
 * shown only to whom the field's own rule (and the owner's sharing grants) would show it today.
 */
export const AUDIT_DETAIL_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> =
  Object.fromEntries(
    Object.entries(policy).flatMap(([typeName, type]) => {
      const guarded = Object.entries(type.fields).filter(([, f]) => f.sharedAs);
      return guarded.length
        ? [[typeName, Object.fromEntries(guarded.map(([name, f]) => [f.stored ?? name, name]))]]
        : [];
    }),
  );

export function fieldRule(typeName: string, fieldName: string): FieldRule | undefined {
  return policy[typeName]?.fields[fieldName];
}

/** True when a field is readable by everyone: its resolver is then left unwrapped (enforce-policy.ts). */
export function isPublicField(typeName: string, fieldName: string): boolean {
  const r = fieldRule(typeName, fieldName);
  return r?.read.some((g) => g.access === Access.PUBLIC) ?? false;
}

// ---- Statistics: what each audience may ask of the anonymised case statistics ---------------------

/** Disclosure-control parameters and the measures and dimensions an audience may use (docs/domain.md). */
export interface StatisticsTier {
  measures: readonly StatisticsMeasure[];
  dimensions: readonly StatisticsDimension[];
  /** Asked dimensions + filters (+1 for a period below the year) — filters are dimensions too. */
  maxDimensions: number;
  /** Primary suppression: a cell with 0 < n < k is hidden. */
  minimumCellSize: number;
  /** A table crossing these dimensions needs a larger k. */
  sensitiveCrossings: readonly { dimensions: readonly StatisticsDimension[]; minimumCellSize: number }[];
  minimumGranularity: PeriodGranularity;
  /** Published counts are rounded to this base (consistently: the same cell, the same figure). */
  roundingBase: number | null;
}

const ALL_DIMENSIONS = Object.values(StatisticsDimension);
const PARTNER_TIER: StatisticsTier = {
  measures: Object.values(StatisticsMeasure),
  dimensions: ALL_DIMENSIONS,
  // Two, like the public: every three-way table of ~200 cases is made of ones and twos, and with all
  // 56 of them beside the two-way tables nearly every two-way cell would have to be hidden as well.
  maxDimensions: 2,
  minimumCellSize: 3,
  sensitiveCrossings: [],
  minimumGranularity: PeriodGranularity.MONTH,
  roundingBase: null,
};

/** Which audience a viewer asks as: the first whose grants the viewer satisfies. */
export const STATISTICS_AUDIENCES: readonly { audience: StatisticsAudience; grants: readonly Grant[] }[] = [
  { audience: StatisticsAudience.COORDINATOR, grants: [{ access: Access.COORDINATOR }] },
  { audience: StatisticsAudience.PARTNER, grants: [{ access: Access.ALLIANCE }] },
  { audience: StatisticsAudience.PUBLIC, grants: [{ access: Access.PUBLIC }] },
];

/** Audiences: no token → PUBLIC; a COORDINATOR role → COORDINATOR; any other partner role → PARTNER. */
export const STATISTICS_TIERS: Readonly<Record<StatisticsAudience, StatisticsTier>> = {
  [StatisticsAudience.PUBLIC]: {
    measures: [StatisticsMeasure.CASES, StatisticsMeasure.TRANSITIONS],
    // Organisation kinds are few: a kind's caseload would tell one organisation's figures.
    dimensions: ALL_DIMENSIONS.filter((d) => d !== StatisticsDimension.ORGANISATION_KIND),
    maxDimensions: 2,
    minimumCellSize: 5,
    sensitiveCrossings: [
      {
        dimensions: [StatisticsDimension.RESIDENCE_STATUS, StatisticsDimension.NATIONALITY_GROUP],
        minimumCellSize: 10,
      },
    ],
    minimumGranularity: PeriodGranularity.QUARTER,
    roundingBase: 5,
  },
  [StatisticsAudience.PARTNER]: PARTNER_TIER,
  [StatisticsAudience.COORDINATOR]: PARTNER_TIER,
};
