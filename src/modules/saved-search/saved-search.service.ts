import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../auth/actor.js';
import { UUID } from '../../domain/ids.js';
import { fieldError, forbidden, HubError, notFound } from '../../errors.js';
import { Account } from '../account/account.entity.js';
import type { OfferFilter } from '../search/offer-filter.types.js';
import { plan } from '../search/plan.js';
import { offerSearchOptions } from '../search/search-options.js';
import { DIGEST_MINUTES, SavedSearch, SavedSearchNotify } from './saved-search.entity.js';
import type { SaveSearchInput, UpdateSavedSearchInput } from './saved-search.types.js';
import { SavedSearchHit } from './saved-search-hit.entity.js';

/** What saving without an account needs beside the database: the limits and the confirmation mail. */
export interface PublicSaving {
  admit(email: string, address: string): Promise<void>;
  /** After the commit, not awaited by the answer; failures are logged (the search stays unconfirmed). */
  sendConfirmation(search: SavedSearch): Promise<void>;
}

/**
 * The filter checked by the offer search's own planner (global ids, date order, search text), as
 * `offers(filter)` checks it, its problems named as the input's fields (filter.…); stored as plain JSON.
 */
function checkedFilter(filter: OfferFilter, options: ReturnType<typeof offerSearchOptions>) {
  try {
    plan({ filter, first: 1 }, options);
  } catch (error) {
    const argument = error instanceof HubError ? error.extensions.argument : undefined;
    if (typeof argument === 'string' && error instanceof HubError) {
      throw fieldError(argument, error.message);
    }
    throw error;
  }
  return JSON.parse(JSON.stringify(filter)) as Record<string, unknown>;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 120) throw fieldError('name', 'must be 1–120 characters');
  return trimmed;
}

function checkedInterval(minutes: number | undefined): number {
  const value = minutes ?? DIGEST_MINUTES.default;
  if (!Number.isInteger(value) || value < DIGEST_MINUTES.min || value > DIGEST_MINUTES.max) {
    throw fieldError(
      'digestIntervalMinutes',
      `must be a whole number of minutes from ${DIGEST_MINUTES.min} to ${DIGEST_MINUTES.max}`,
    );
  }
  return value;
}

const ownAccount = (actor: Actor) => (actor.viewer.kind === 'account' ? actor.viewer.accountId : null);

export async function listSavedSearches(em: EntityManager, actor: Actor): Promise<SavedSearch[]> {
  const viewer = actor.assert('savedSearch.manage', { account: ownAccount(actor) });
  return em.find(SavedSearch, { account: viewer.accountId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export async function saveSearch(
  em: EntityManager,
  actor: Actor,
  input: SaveSearchInput & { clientAddress: string },
  publicSaving: PublicSaving,
): Promise<SavedSearch> {
  const name = checkedName(input.name);
  const digestIntervalMinutes = checkedInterval(input.digestIntervalMinutes);
  const filter = checkedFilter(input.filter, offerSearchOptions(actor.viewer));
  const common = { name, filter, notify: input.notify as SavedSearchNotify, digestIntervalMinutes };
  if (actor.viewer.kind === 'account') {
    const viewer = actor.assert('savedSearch.create', { account: actor.viewer.accountId });
    // Accounts are mailed at their account's address (read when mailing): no second address to keep.
    if (input.email !== undefined && input.email !== null) {
      throw fieldError('email', 'is only for saving without an account; you are mailed at your account’s');
    }
    const search = em.create(SavedSearch, {
      ...common,
      account: em.getReference(Account, viewer.accountId),
      confirmedAt: new Date(),
    });
    await em.flush();
    return search;
  }
  if (!actor.may('savedSearch.createByEmail', { account: null })) {
    throw forbidden('Saving a search with an e-mail address is not open here.');
  }
  const email = input.email?.trim();
  if (!email) throw fieldError('email', 'is required without an account (where to mail)');
  await publicSaving.admit(email, input.clientAddress);
  const search = em.create(SavedSearch, { ...common, email });
  await em.flush();
  await publicSaving.sendConfirmation(search);
  return search;
}

/** The viewer's own search; anyone else's answers exactly like an unknown id. */
async function ownSearch(em: EntityManager, actor: Actor, id: string): Promise<SavedSearch> {
  const search = UUID.test(id) ? await em.findOne(SavedSearch, { id: id.toLowerCase() }) : null;
  if (!search?.account || !actor.may('savedSearch.manage', { account: search.account.id })) {
    throw notFound('SavedSearch', id);
  }
  return search;
}

export async function updateSavedSearch(
  em: EntityManager,
  actor: Actor,
  input: UpdateSavedSearchInput,
): Promise<SavedSearch> {
  actor.assert('savedSearch.manage', { account: ownAccount(actor) });
  const search = await ownSearch(em, actor, input.id);
  if (input.name != null) search.name = checkedName(input.name);
  if (input.filter != null) search.filter = checkedFilter(input.filter, offerSearchOptions(actor.viewer));
  if (input.notify != null) search.notify = input.notify;
  if (input.digestIntervalMinutes != null) {
    search.digestIntervalMinutes = checkedInterval(input.digestIntervalMinutes);
  }
  if (input.paused != null) search.paused = input.paused;
  await em.flush();
  // What waited when it was paused is stale once it resumes: a resumed search starts afresh.
  if (search.paused || search.notify === SavedSearchNotify.NONE) {
    await em.nativeDelete(SavedSearchHit, { savedSearch: search.id, mailedAt: null });
  }
  return search;
}

export async function deleteSavedSearch(em: EntityManager, actor: Actor, id: string): Promise<string> {
  actor.assert('savedSearch.manage', { account: ownAccount(actor) });
  const search = await ownSearch(em, actor, id);
  // Its hits go with it (foreign key on delete cascade).
  await em.remove(search).flush();
  return id;
}
