import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../domain/calendar.js';
import type { FieldGroup } from '../../domain/enums.js';

/** Active grants whose audience includes `organisationId` (the whole alliance or it by name), today. */
export async function fieldGroupsSharedWith(
  em: EntityManager,
  organisationId: string,
): Promise<{ owner: string; fieldGroup: FieldGroup }[]> {
  const rows = await em.getConnection().execute<{ organisation_id: string; field_group: FieldGroup }[]>(
    `select organisation_id, field_group from sharing_grant
      where revoked_at is null and valid_from <= ? and (valid_to is null or valid_to >= ?)
        and (audience = 'ALLIANCE' or audience_organisation_id = ?)`,
    [today(), today(), organisationId],
  );
  return rows.map((r) => ({ owner: r.organisation_id, fieldGroup: r.field_group }));
}
