import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountViewer } from '../../auth/viewer.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  /**
   * Whose audit trail (API) the entry belongs to: the organisation owning the changed object; null keeps
   * the entry for operators only (case changes: raw case data never reaches the partner-facing trail).
   */
  organisationId: string | null;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

/**
 * Records a change in the caller's transaction (persisted by its flush): who, when, and before/after of
 * exactly the fields that changed. `viewer` null: the hub itself acted (e.g. an expired hold).
 */
export function recordAudit(
  em: EntityManager,
  viewer: AccountViewer | null,
  change: AuditChange,
): AuditEntry {
  const { before, after } = changedFields(change.before ?? {}, change.after ?? {});
  return em.create(AuditEntry, {
    actorAccountId: viewer?.accountId,
    actorOrganisationId: viewer?.organisationId,
    organisationId: change.organisationId ?? undefined,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    details: {
      ...(change.details ?? {}),
      ...(Object.keys(before).length ? { before } : {}),
      ...(Object.keys(after).length ? { after } : {}),
    },
  });
}

/** Only the keys whose values differ (compared as JSON, so arrays and dates compare by value). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of keys) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      if (key in before) b[key] = before[key] ?? null;
      if (key in after) a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

export function snapshot<T extends object, K extends keyof T>(
  entity: T,
  keys: readonly K[],
): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k as string, normalise(entity[k])]));
}

const normalise = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: unknown }).id;
  return value ?? null;
};
