import { Access } from './policy.js';

/**
 * What a viewer may DO, beside what they may read (policy.ts): every mutation, subscription and
 * operator route that changes or follows an organisation's data asks AccessControl for one of these
 * actions, naming the organisations the action concerns. The root field rules in policy.ts say who may
 * ask at all; an action says whether this viewer may do it to these objects.
 *
 * An action's owners are named, because some actions concern two organisations: a place is released by
 * the provider's editors or by the case managers of the case's organisation.
 */
export type ActionOwner =
  /** The organisation whose offer, location, case or sharing grant it is (or is created for). */
  | 'organisation'
  /** The organisation that provides the place (owns the offer of the capacity period). */
  | 'provider'
  /** The organisation that manages the case a place is reserved for. */
  | 'caseOrganisation'
  /** The account an object of one person belongs to (a saved search): judged by ACCOUNT_HOLDER. */
  | 'account';

export interface ActionGrant {
  access: Access;
  owner: ActionOwner;
}

export interface ActionRule {
  /** Any of these allows the action. */
  allow: readonly ActionGrant[];
  /** The FORBIDDEN message when none does (says who may, never what exists). */
  denied: string;
  /** The root fields (`Mutation.x`, `Subscription.x`) and routes that perform it. */
  via: readonly string[];
}

const editorsOf = <O extends ActionOwner>(owner: O) =>
  [
    { access: Access.EDITOR_OF_OWNER, owner },
    { access: Access.ADMIN, owner },
  ] as const;
const caseManagersOf = <O extends ActionOwner>(owner: O) =>
  [{ access: Access.CASE_MANAGER_OF_OWNER, owner }] as const;

const EDIT_DENIED = 'Only editors of the owning organisation (or admins) may change this.';
const CASES_DENIED = 'Only case managers of the case’s organisation may do this.';

export const ACTIONS = {
  'offer.create': { allow: editorsOf('organisation'), denied: EDIT_DENIED, via: ['Mutation.createOffer'] },
  'offer.update': { allow: editorsOf('organisation'), denied: EDIT_DENIED, via: ['Mutation.updateOffer'] },
  'offer.archive': { allow: editorsOf('organisation'), denied: EDIT_DENIED, via: ['Mutation.archiveOffer'] },
  'offer.setEligibilityRule': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.setEligibilityRule'],
  },
  'offer.import': {
    allow: editorsOf('organisation'),
    denied: 'Only editors of the organisation (or admins) may import its offers.',
    via: ['POST /import/offers', 'npm run import'],
  },
  'location.create': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.createLocation'],
  },
  'location.update': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.updateLocation'],
  },
  'location.archive': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.archiveLocation'],
  },
  'capacity.createPeriod': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.createCapacityPeriod'],
  },
  'capacity.setTotal': {
    allow: editorsOf('organisation'),
    denied: EDIT_DENIED,
    via: ['Mutation.setCapacityTotal'],
  },
  'capacity.follow': {
    allow: [{ access: Access.OWNER_OR_COORDINATOR, owner: 'provider' }],
    denied: 'Only the providing organisation and the coordinator follow an offer’s places.',
    via: ['Subscription.capacityChanged'],
  },
  'place.reserve': {
    allow: caseManagersOf('caseOrganisation'),
    denied: 'Places can only be reserved for cases your organisation manages.',
    via: ['Mutation.reservePlace'],
  },
  'place.joinWaitingList': {
    allow: caseManagersOf('caseOrganisation'),
    denied: 'Places can only be reserved for cases your organisation manages.',
    via: ['Mutation.joinWaitingList'],
  },
  'place.confirm': {
    allow: editorsOf('provider'),
    denied: 'Only editors of the providing organisation confirm places.',
    via: ['Mutation.confirmReservation'],
  },
  'place.release': {
    allow: [...editorsOf('provider'), ...caseManagersOf('caseOrganisation')],
    denied: 'Only the provider’s editors or the case’s case managers release a place.',
    via: ['Mutation.releasePlace'],
  },
  'case.create': {
    allow: caseManagersOf('organisation'),
    denied: CASES_DENIED,
    via: ['Mutation.createCase'],
  },
  'case.update': {
    allow: caseManagersOf('organisation'),
    denied: CASES_DENIED,
    via: ['Mutation.updateCase'],
  },
  'case.close': { allow: caseManagersOf('organisation'), denied: CASES_DENIED, via: ['Mutation.closeCase'] },
  'case.handOver': {
    allow: caseManagersOf('organisation'),
    denied: CASES_DENIED,
    via: ['Mutation.handOverCase'],
  },
  /** `organisation`: the receiving one. */
  'case.acceptHandover': {
    allow: caseManagersOf('organisation'),
    denied: CASES_DENIED,
    via: ['Mutation.acceptCaseHandover'],
  },
  'sharing.grant': {
    allow: [{ access: Access.EDITOR_OF_OWNER, owner: 'organisation' }],
    denied: 'Only editors of the organisation share its fields.',
    via: ['Mutation.grantSharing'],
  },
  'sharing.revoke': {
    allow: [{ access: Access.EDITOR_OF_OWNER, owner: 'organisation' }],
    denied: 'Only editors of the organisation share its fields.',
    via: ['Mutation.revokeSharing'],
  },
  'webhook.manage': {
    allow: [{ access: Access.EDITOR_OF_OWNER, owner: 'organisation' }],
    denied: 'Only editors of the organisation manage its webhook endpoints.',
    via: [
      'Query.webhookEndpoints',
      'Mutation.createWebhookEndpoint',
      'Mutation.updateWebhookEndpoint',
      'Mutation.deleteWebhookEndpoint',
    ],
  },
  /** `organisation`: the invited account's. */
  'account.inviteSignIn': {
    allow: [{ access: Access.ADMIN, owner: 'organisation' }],
    denied: 'Only admins invite accounts to sign in with the city’s identity provider.',
    via: ['Mutation.createSignInInvitation'],
  },
  'savedSearch.create': {
    allow: [{ access: Access.ALLIANCE, owner: 'account' }],
    denied: 'Sign in to save a search for your account.',
    via: ['Mutation.saveSearch'],
  },
  /** Without an account: mailed only after the address confirmed it, rate-limited per address and e-mail. */
  'savedSearch.createByEmail': {
    allow: [{ access: Access.PUBLIC, owner: 'account' }],
    denied: 'Saving a search with an e-mail address is not open here.',
    via: ['Mutation.saveSearch'],
  },
  /** `account`: the one the saved search belongs to; others' searches answer like unknown ones. */
  'savedSearch.manage': {
    allow: [{ access: Access.ACCOUNT_HOLDER, owner: 'account' }],
    denied: 'Only the account that saved a search may change it.',
    via: ['Query.savedSearches', 'Mutation.updateSavedSearch', 'Mutation.deleteSavedSearch'],
  },
} as const satisfies Record<string, ActionRule>;

export type ActionName = keyof typeof ACTIONS;

/** The organisations an action is judged against, by name: exactly the owners its grants name. */
export type OwnersOf<A extends ActionName> = {
  [K in (typeof ACTIONS)[A]['allow'][number]['owner']]: string | null;
};
