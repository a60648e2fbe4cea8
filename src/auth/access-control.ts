import { FieldGroup, Role } from '../domain/enums.js';
import type { StatisticsAudience } from '../domain/statistics.js';
import { forbidden } from '../errors.js';
import type { Actor } from './actor.js';
import {
  Access,
  type FieldRule,
  type Grant,
  type OwnerKey,
  policy,
  SHAREABLE_FIELD_GROUPS,
  STATISTICS_AUDIENCES,
} from './policy.js';
import { ACTIONS, type ActionName, type OwnersOf } from './policy-actions.js';
import { type AccountViewer, hasRole, type Viewer } from './viewer.js';

// biome-ignore lint/suspicious/noExplicitAny: roots are entities of many types; ownerHeld knows their shapes.
type Root = any;

/**
 * What the policy must look up to decide: owners not held by the object itself, and the sharing grants
 * that reach an organisation. The features implement it with the request's loaders
 * (src/modules/policy-lookups.ts); the policy knows no table and no loader.
 */
export interface PolicyLookups {
  /** The organisation that owns the offer; null when there is no such offer. */
  offerOrganisation(offerId: string): Promise<string | null>;
  /** The organisation that owns the capacity period's offer. */
  capacityPeriodOrganisation(capacityPeriodId: string): Promise<string | null>;
  /** The organisation that manages the case. */
  caseOrganisation(caseId: string): Promise<string | null>;
  /** The field groups other organisations share with `organisationId` today, by owning organisation. */
  fieldGroupsSharedWith(organisationId: string): Promise<{ owner: string; fieldGroup: FieldGroup }[]>;
}

export interface Redaction {
  field: string;
  rule: string;
  count: number;
}

/** Access levels whose answer does not depend on who owns the object. */
const OWNER_INDEPENDENT: ReadonlySet<Access> = new Set([Access.ALLIANCE, Access.ADMIN, Access.COORDINATOR]);

const UNKNOWN = Symbol('owner not held by the object');

/** The owner when the object itself (or the viewer) tells it; UNKNOWN when a loader must be asked. */
function ownerHeld(key: OwnerKey, root: Root, viewer: Viewer): string | null | typeof UNKNOWN {
  switch (key) {
    case 'none':
      return null;
    case 'viewer':
      return viewer.kind === 'account' ? viewer.organisationId : null;
    case 'self':
      return root.id;
    case 'organisation':
      return root.organisation?.id ?? null;
    case 'managingOrganisation':
      return root.managingOrganisation?.id ?? null;
    case 'auditOrganisation':
      return root.organisationId ?? null;
    default:
      return UNKNOWN;
  }
}

/** Does `viewer` satisfy `access` for objects owned by `ownerId` (null: owned by no organisation)? */
export function satisfies(viewer: Viewer, access: Access, ownerId: string | null): boolean {
  if (access === Access.PUBLIC) return true;
  if (viewer.kind !== 'account') return false;
  const owns = ownerId !== null && ownerId === viewer.organisationId;
  switch (access) {
    case Access.ALLIANCE:
      return true;
    case Access.OWNER:
      return owns;
    case Access.OWNER_OR_COORDINATOR:
      return owns || viewer.roles.has(Role.COORDINATOR);
    case Access.EDITOR_OF_OWNER:
      return owns && viewer.roles.has(Role.PARTNER_EDITOR);
    case Access.CASE_MANAGER_OF_OWNER:
      return owns && viewer.roles.has(Role.CASE_MANAGER);
    case Access.ADMIN:
      return hasRole(viewer, Role.ADMIN);
    case Access.COORDINATOR:
      return hasRole(viewer, Role.COORDINATOR);
    case Access.ACCOUNT_HOLDER:
      // Here the owner is an account, not an organisation (actions with owner `account`).
      return ownerId !== null && ownerId === viewer.accountId;
  }
}

/** May `viewer` read `typeName.fieldName` whoever owns the object (a grant that does not depend on the owner)? */
export function canReadFieldOfEveryOwner(viewer: Viewer, typeName: string, fieldName: string): boolean {
  const rule = policy[typeName]?.fields[fieldName];
  return (
    rule?.read.some(
      (g) =>
        (g.access === Access.PUBLIC || OWNER_INDEPENDENT.has(g.access)) && satisfies(viewer, g.access, null),
    ) ?? false
  );
}

/** The policy's band rule: exact free places for who may read CapacityPeriod.available anywhere, else bands. */
export const seesExactPlaces = (viewer: Viewer) =>
  canReadFieldOfEveryOwner(viewer, 'CapacityPeriod', 'available');

/** The statistics audience `viewer` asks as: the first of STATISTICS_AUDIENCES that admits them. */
export function statisticsAudienceOf(viewer: Viewer): StatisticsAudience {
  const found = STATISTICS_AUDIENCES.find((a) => a.grants.some((g) => satisfies(viewer, g.access, null)));
  if (!found) throw new Error('STATISTICS_AUDIENCES admits no audience for this viewer');
  return found.audience;
}

/**
 * The policy applied to one request's viewer. Owner look-ups go through the request's loaders, and the
 * sharing grants that reach the viewer's organisation are read once per request, only when needed.
 */
export class AccessControl implements Actor {
  private readonly redacted = new Map<string, Redaction>();
  private grants?: Promise<Map<string, Set<FieldGroup>>>;
  /** The grants once read (canReadFieldNow decides with them without waiting). */
  private grantsRead?: Map<string, Set<FieldGroup>>;

  constructor(
    readonly viewer: Viewer,
    private readonly lookups: PolicyLookups,
  ) {}

  /** May the viewer read `typeName.fieldName` of `root`? Unknown fields are denied. */
  async canReadField(typeName: string, fieldName: string, root: Root): Promise<boolean> {
    const type = policy[typeName];
    const rule = type?.fields[fieldName];
    if (!type || !rule) return false;
    if (await this.anyGrant(rule.read, type.owner, root)) return true;
    return this.sharedWithViewer(rule, type.owner, root);
  }

  /**
   * canReadField when it can be decided without I/O (public fields, owner-independent grants, owners held
   * by the object itself, grants already read); undefined when an owner or the sharing grants must be
   * loaded first — then ask canReadField. Never a different answer than canReadField.
   */
  canReadFieldNow(typeName: string, fieldName: string, root: Root): boolean | undefined {
    const type = policy[typeName];
    const rule = type?.fields[fieldName];
    if (!type || !rule) return false;
    let undecided = false;
    for (const grant of rule.read) {
      if (grant.access === Access.PUBLIC) return true;
      if (this.viewer.kind !== 'account') continue;
      if (OWNER_INDEPENDENT.has(grant.access)) {
        if (this.satisfies(grant.access, null)) return true;
        continue;
      }
      const owner = ownerHeld(grant.owner ?? type.owner, root, this.viewer);
      if (owner === UNKNOWN) undecided = true;
      else if (this.satisfies(grant.access, owner)) return true;
    }
    if (undecided) return undefined;
    if (!rule.sharedAs || this.viewer.kind !== 'account') return false;
    const owner = ownerHeld(type.owner, root, this.viewer);
    if (owner === UNKNOWN || !this.grantsRead) return undefined;
    return owner !== null && (this.grantsRead.get(owner)?.has(rule.sharedAs) ?? false);
  }

  /**
   * What the viewer may read of `typeName.fieldName` whatever object it is asked of: true (for every
   * owner), false (for none: redacted everywhere), 'per-owner' (the owning organisation decides: ask
   * canReadFieldOfOwnerNow per object), or undefined when the field has no rule or a grant judged
   * against another owner than the type's (then only canReadField can answer). Read plans decide with
   * it once per document instead of once per field and row.
   */
  fieldAnswer(typeName: string, fieldName: string): boolean | 'per-owner' | undefined {
    const type = policy[typeName];
    const rule = type?.fields[fieldName];
    if (!type || !rule) return undefined;
    if (rule.read.some((g) => g.owner !== undefined && g.owner !== type.owner)) return undefined;
    // Being the owner only ever adds: a grant met for no owner at all is met for every owner.
    if (rule.read.some((g) => this.satisfies(g.access, null))) return true;
    const viewer = this.viewer;
    if (viewer.kind !== 'account') return false;
    const asOwner = rule.read.some((g) => this.satisfies(g.access, viewer.organisationId));
    return asOwner || rule.sharedAs ? 'per-owner' : false;
  }

  /**
   * What fieldAnswer's answers depend on: signed in or not, and the roles. Requests of one class get
   * the same answers, so a read plan made for one serves them all.
   */
  get answerClass(): string {
    const viewer = this.viewer;
    if (viewer.kind !== 'account') return 'public';
    return Object.values(Role)
      .filter((r) => viewer.roles.has(r))
      .join(',');
  }

  /**
   * canReadFieldOfOwner without waiting: undefined only while the sharing grants it needs are not read
   * yet (await grantsRead() first). For fields whose fieldAnswer is 'per-owner'.
   */
  canReadFieldOfOwnerNow(typeName: string, fieldName: string, ownerId: string | null): boolean | undefined {
    const rule = policy[typeName]?.fields[fieldName];
    if (!rule) return false;
    if (rule.read.some((g) => this.satisfies(g.access, ownerId))) return true;
    if (!rule.sharedAs || this.viewer.kind !== 'account' || ownerId === null) return false;
    if (!this.grantsRead) return undefined;
    return this.grantsRead.get(ownerId)?.has(rule.sharedAs) ?? false;
  }

  /** Reads the sharing grants that reach the viewer (once per request), for the synchronous checks. */
  async readGrants(): Promise<void> {
    if (this.viewer.kind !== 'account') return;
    this.grants ??= this.loadGrants();
    await this.grants;
  }

  /** As canReadField, for an object known only by its owning organisation (audit details). */
  async canReadFieldOfOwner(typeName: string, fieldName: string, ownerId: string): Promise<boolean> {
    const rule = policy[typeName]?.fields[fieldName];
    if (!rule) return false;
    if (rule.read.some((g) => this.satisfies(g.access, ownerId))) return true;
    if (!rule.sharedAs || this.viewer.kind !== 'account') return false;
    this.grants ??= this.loadGrants();
    return (await this.grants).get(ownerId)?.has(rule.sharedAs) ?? false;
  }

  /** May the viewer see this object at all (row-level rule of its type)? */
  async canSeeRow(typeName: string, root: Root): Promise<boolean> {
    const type = policy[typeName];
    if (!type?.rows) return true;
    return this.anyGrant(type.rows, type.owner, root);
  }

  /** Does the viewer satisfy `access` for objects owned by `ownerId` (null: owned by no organisation)? */
  satisfies(access: Access, ownerId: string | null): boolean {
    return satisfies(this.viewer, access, ownerId);
  }

  /** May the viewer do `action` to objects of these organisations (policy-actions.ts)? */
  may<A extends ActionName>(action: A, owners: OwnersOf<A>): boolean {
    const named = owners as Record<string, string | null>;
    return ACTIONS[action].allow.some((g) => this.satisfies(g.access, named[g.owner] ?? null));
  }

  /** As `may`, failing with the action's FORBIDDEN message; the account that acts when it may. */
  assert<A extends ActionName>(action: A, owners: OwnersOf<A>): AccountViewer {
    if (this.viewer.kind !== 'account' || !this.may(action, owners)) throw forbidden(ACTIONS[action].denied);
    return this.viewer;
  }

  /** May the viewer read this field whoever owns the object (a grant that does not depend on the owner)? */
  canReadFieldOfEveryOwner(typeName: string, fieldName: string): boolean {
    return canReadFieldOfEveryOwner(this.viewer, typeName, fieldName);
  }

  /** The statistics audience the viewer asks as. */
  statisticsAudience(): StatisticsAudience {
    return statisticsAudienceOf(this.viewer);
  }

  recordRedaction(typeName: string, fieldName: string, rule: FieldRule, count = 1): void {
    const key = `${typeName}.${fieldName}`;
    const entry = this.redacted.get(key);
    if (entry) entry.count += count;
    else this.redacted.set(key, { field: key, rule: rule.read.map((g) => g.access).join(' | '), count });
  }

  get redactions(): Redaction[] {
    return [...this.redacted.values()];
  }

  async ownerOf(key: OwnerKey, root: Root): Promise<string | null> {
    const held = ownerHeld(key, root, this.viewer);
    if (held !== UNKNOWN) return held;
    switch (key) {
      case 'offerOrganisation':
        return this.lookups.offerOrganisation(root.offer.id);
      case 'reservationProvider':
        return this.lookups.capacityPeriodOrganisation(root.capacityPeriod.id);
      case 'reservationCaseOrganisation':
        // Waiting-list entries of the provider's own clients have no case.
        return root.case ? this.lookups.caseOrganisation(root.case.id) : null;
      case 'eventCaseOrganisation':
        return this.lookups.caseOrganisation(root.case.id);
      default:
        return null;
    }
  }

  private async anyGrant(grants: Grant[], typeOwner: OwnerKey, root: Root): Promise<boolean> {
    for (const grant of grants) {
      if (grant.access === Access.PUBLIC) return true;
      if (this.viewer.kind !== 'account') continue;
      // No owner look-up (a loader call, maybe a statement) where the answer cannot depend on it.
      if (OWNER_INDEPENDENT.has(grant.access)) {
        if (this.satisfies(grant.access, null)) return true;
        continue;
      }
      if (this.satisfies(grant.access, await this.ownerOf(grant.owner ?? typeOwner, root))) return true;
    }
    return false;
  }

  private async sharedWithViewer(rule: FieldRule, typeOwner: OwnerKey, root: Root): Promise<boolean> {
    if (!rule.sharedAs || this.viewer.kind !== 'account') return false;
    const owner = await this.ownerOf(typeOwner, root);
    if (!owner) return false;
    this.grants ??= this.loadGrants();
    return (await this.grants).get(owner)?.has(rule.sharedAs) ?? false;
  }

  /** The grants that reach the viewer's organisation: one look-up per request. */
  private async loadGrants(): Promise<Map<string, Set<FieldGroup>>> {
    const viewer = this.viewer;
    const byOwner = new Map<string, Set<FieldGroup>>();
    if (viewer.kind !== 'account') return byOwner;
    for (const { owner, fieldGroup } of await this.lookups.fieldGroupsSharedWith(viewer.organisationId)) {
      if (!SHAREABLE_FIELD_GROUPS.has(fieldGroup)) continue;
      const groups = byOwner.get(owner) ?? new Set<FieldGroup>();
      groups.add(fieldGroup);
      byOwner.set(owner, groups);
    }
    this.grantsRead = byOwner;
    return byOwner;
  }
}
