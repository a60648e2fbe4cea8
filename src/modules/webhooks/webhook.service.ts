import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, ownOrganisation } from '../../auth/actor.js';
import type { Ref } from '../../domain/ref.js';
import { conflict, fieldError, notFound } from '../../errors.js';
import { Account } from '../account/account.entity.js';
import { recordAudit } from '../audit/audit.service.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import type { WebhookEvent } from './webhook-events.js';
import { type TargetRules, validateTargetUrl } from './webhook-target.js';

/** Enough for every partner system of an organisation; bounds the rows one event can fan out to. */
export const MAX_ENDPOINTS_PER_ORGANISATION = 100;
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A secret as Standard Webhooks libraries read it: whsec_ + base64 of 24 to 64 bytes. */
export function validateSecret(secret: string): string {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const bytes = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (bytes.length < 24 || bytes.length > 64 || bytes.toString('base64') !== encoded) {
    throw fieldError('secret', 'must be whsec_ followed by the base64 of 24 to 64 random bytes');
  }
  return secret;
}

/**
 * The audit trail names the receiving host only: the trail reaches every member and the coordinator,
 * and a webhook URL's path or query often carries the receiver's own token.
 */
const hostOf = (url: string) => new URL(url).host;

const newSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

function validEvents(events: readonly WebhookEvent[]): string[] {
  if (events.length === 0) throw fieldError('events', 'must name at least one event');
  return [...new Set(events)].sort();
}

/** The endpoints of the viewer's organisation (editors only). */
export function listEndpoints(em: EntityManager, actor: Actor): Promise<WebhookEndpoint[]> {
  const viewer = actor.assert('webhook.manage', { organisation: ownOrganisation(actor) });
  return em.find(WebhookEndpoint, { organisation: viewer.organisationId }, { orderBy: { createdAt: 'asc' } });
}

export interface NewEndpoint {
  url: string;
  events: WebhookEvent[];
  secret?: string;
}

export async function createEndpoint(
  em: EntityManager,
  actor: Actor,
  rules: TargetRules,
  input: NewEndpoint,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const viewer = actor.assert('webhook.manage', { organisation: ownOrganisation(actor) });
  const url = validateTargetUrl(input.url, rules);
  const events = validEvents(input.events);
  const secret =
    input.secret === undefined || input.secret === null ? newSecret() : validateSecret(input.secret);
  return em.transactional(async (em) => {
    // Serialises creations of one organisation, so the limit holds under concurrent requests.
    await em.execute('select 1 from organisation where id = ? for update', [viewer.organisationId]);
    const count = await em.count(WebhookEndpoint, { organisation: viewer.organisationId });
    if (count >= MAX_ENDPOINTS_PER_ORGANISATION) {
      throw conflict(`An organisation has at most ${MAX_ENDPOINTS_PER_ORGANISATION} webhook endpoints.`);
    }
    const endpoint = em.create(WebhookEndpoint, {
      organisation: em.getReference(Organisation, viewer.organisationId),
      url,
      events,
      secret,
      createdBy: em.getReference(Account, viewer.accountId),
    });
    recordAudit(em, viewer, {
      action: 'webhook_endpoint.created',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      organisationId: viewer.organisationId,
      after: { host: hostOf(url), events },
    });
    return { endpoint, secret };
  });
}

/** An endpoint the viewer may manage; any other (unknown or another organisation's) is NOT_FOUND alike. */
async function manageable(em: EntityManager, actor: Actor, ref: Ref): Promise<WebhookEndpoint> {
  const endpoint = await em.findOne(WebhookEndpoint, { id: ref.id });
  if (!endpoint || !actor.may('webhook.manage', { organisation: endpoint.organisation.id })) {
    throw notFound('WebhookEndpoint', ref.sent);
  }
  return endpoint;
}

export interface EndpointChanges {
  endpoint: Ref;
  url?: string | null;
  events?: WebhookEvent[] | null;
  paused?: boolean | null;
}

export async function updateEndpoint(
  em: EntityManager,
  actor: Actor,
  rules: TargetRules,
  input: EndpointChanges,
): Promise<WebhookEndpoint> {
  const viewer = actor.assert('webhook.manage', { organisation: ownOrganisation(actor) });
  const url = input.url == null ? undefined : validateTargetUrl(input.url, rules);
  const events = input.events == null ? undefined : validEvents(input.events);
  return em.transactional(async (em) => {
    const endpoint = await manageable(em, actor, input.endpoint);
    const before = { host: hostOf(endpoint.url), events: endpoint.events, paused: endpoint.paused };
    if (url !== undefined) endpoint.url = url;
    if (events !== undefined) endpoint.events = events;
    if (input.paused != null) endpoint.paused = input.paused;
    recordAudit(em, viewer, {
      action: 'webhook_endpoint.updated',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      organisationId: endpoint.organisation.id,
      before,
      after: { host: hostOf(endpoint.url), events: endpoint.events, paused: endpoint.paused },
    });
    return endpoint;
  });
}

export async function deleteEndpoint(
  em: EntityManager,
  actor: Actor,
  input: { endpoint: Ref },
): Promise<void> {
  const viewer = actor.assert('webhook.manage', { organisation: ownOrganisation(actor) });
  await em.transactional(async (em) => {
    const endpoint = await manageable(em, actor, input.endpoint);
    recordAudit(em, viewer, {
      action: 'webhook_endpoint.deleted',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      organisationId: endpoint.organisation.id,
      before: { host: hostOf(endpoint.url), events: endpoint.events },
    });
    // Its deliveries go with it (foreign key on delete cascade).
    em.remove(endpoint);
  });
}

/** The endpoint's newest deliveries (the field's row rule already limits endpoints to their editors). */
export function recentDeliveries(em: EntityManager, endpoint: WebhookEndpoint, first: number) {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw fieldError('first', 'must be 1 to 100');
  return em.find(
    WebhookDelivery,
    { endpoint: endpoint.id },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first },
  );
}
