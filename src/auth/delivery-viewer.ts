import { Role } from '../domain/enums.js';
import type { AccountViewer } from './viewer.js';

/** No account signs in as this viewer; the id only fills the shape (the policy never reads it). */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

/**
 * Who reads what is pushed to an organisation's own systems (webhook payloads): its least-privileged
 * member — staff, no editing, no cases, no coordinator or admin rights — so a payload never carries more
 * than every account of the organisation may read, whoever set the endpoint up.
 */
export function leastPrivilegedMemberOf(organisationId: string): AccountViewer {
  return { kind: 'account', accountId: NO_ACCOUNT, organisationId, roles: new Set([Role.PARTNER_STAFF]) };
}
