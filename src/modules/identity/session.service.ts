import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LRUCache } from 'lru-cache';
import * as client from 'openid-client';
import { type AccountAccessCache, readAccountAccess } from '../../auth/account-access.js';
import { heldRoles, type SessionAuthenticator } from '../../auth/authenticate.js';
import type { OidcIssuer } from '../../auth/oidc-issuer.js';
import { unauthenticated } from '../../auth/tokens.js';
import type { AccountViewer } from '../../auth/viewer.js';
import type { Role } from '../../domain/enums.js';
import { ErrorCode, HubError } from '../../errors.js';
import type { EventBus } from '../../events/event-bus.js';
import type { Logger } from '../../logger.js';
import { cookieValue, type SessionCookies } from './cookies.js';
import { hashSecret, newSecret, type SessionKeys, sameText } from './session-keys.js';

/** Written to the outbox when a session ends, so every instance closes its WebSockets and forgets it. */
export const SESSION_ENDED = 'hub_session.ended';

/** The provider's access token is renewed this long before it runs out (a request in flight keeps working). */
const RENEW_MARGIN_MS = 10_000;

interface SessionRow {
  id: string;
  tokenHash: string;
  /** Its CSRF token, computed once per instance (an HMAC per request was most of a cookie's cost). */
  csrfToken: string;
  accountId: string;
  roles: Role[] | null;
  expiresAt: number;
  accessExpiresAt: number | null;
  refreshable: boolean;
}

interface SessionRecord {
  id: string;
  token_hash: string;
  account_id: string;
  roles: Role[] | null;
  expires_at: Date;
  access_expires_at: Date | null;
  refreshable: boolean;
}

const COLUMNS = `id, token_hash, account_id, roles, expires_at, access_expires_at,
  refresh_token_encrypted is not null as refreshable`;

const toRow = (r: SessionRecord, keys: SessionKeys): SessionRow => ({
  id: r.id,
  tokenHash: r.token_hash,
  csrfToken: keys.csrfToken(r.token_hash),
  accountId: r.account_id,
  roles: r.roles,
  expiresAt: new Date(r.expires_at).getTime(),
  accessExpiresAt: r.access_expires_at ? new Date(r.access_expires_at).getTime() : null,
  refreshable: r.refreshable,
});

/** When the session must next be looked at: its end, or the renewal of the provider's tokens. */
const deadlineOf = (s: SessionRow) =>
  s.refreshable && s.accessExpiresAt !== null
    ? Math.min(s.expiresAt, s.accessExpiresAt - RENEW_MARGIN_MS)
    : s.expiresAt;

export const csrfRefused = () =>
  new HubError(
    ErrorCode.FORBIDDEN,
    'Requests with the hub session cookie must send its CSRF token (header X-CSRF-Token, or csrfToken in connectionParams).',
    { http: { status: 403 } },
  );

export interface NewSession {
  accountId: string;
  issuer: string;
  subject: string;
  providerSid?: string;
  roles?: Role[];
  idToken: string;
  refreshToken?: string;
  /** Seconds the provider's access token lives (expires_in). */
  accessExpiresIn?: number;
}

/**
 * The hub's sessions (token handler): a cookie's secret → the session row (remembered per instance
 * until it ends, like AccountAccessCache, and forgotten on every instance through the outbox when it
 * does), the account behind it checked on every request exactly as for a bearer token. When the
 * provider's access token runs out, its refresh token is redeemed — one instance at a time, under the
 * row's lock — and a refused refresh (the provider's session ended, the person was disabled) ends the
 * hub session at once.
 */
export class SessionService implements SessionAuthenticator {
  private readonly cache?: LRUCache<string, SessionRow>;
  private generation = 0;
  private readonly renewing = new Map<string, Promise<SessionRow | undefined>>();
  private readonly endedListeners = new Set<(sessionId: string) => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly deps: {
      orm: MikroORM;
      bus: EventBus;
      issuer: OidcIssuer;
      keys: SessionKeys;
      cookies: SessionCookies;
      maxAgeSeconds: number;
      cacheTtlMs: number;
      logger: Logger;
    },
  ) {
    const { bus } = deps;
    if (deps.cacheTtlMs > 0) this.cache = new LRUCache({ max: 10_000, ttl: deps.cacheTtlMs });
    this.unsubscribe.push(
      bus.subscribe((event) => {
        if (event.type !== SESSION_ENDED || typeof event.payload.sessionId !== 'string') return;
        this.forget(event.payload.sessionId);
      }),
      bus.onConnectionChange(() => {
        this.generation++;
        this.cache?.clear();
      }),
    );
  }

  tokenFrom(cookieHeader: string | undefined): string | undefined {
    return cookieValue(cookieHeader, this.deps.cookies.session);
  }

  get cookies(): SessionCookies {
    return this.deps.cookies;
  }

  get keys(): SessionKeys {
    return this.deps.keys;
  }

  /** Calls `listener` with the id of every session that ends, here or on another instance. */
  onEnded(listener: (sessionId: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  async authenticate(
    token: string,
    csrfToken: string | undefined,
    em: EntityManager,
    accounts?: AccountAccessCache,
  ): Promise<AccountViewer> {
    const hash = hashSecret(token);
    const found = await this.find(hash, em);
    // Unknown and ended sessions are refused alike, CSRF token or not: nothing to protect there.
    if (found && !sameText(found.csrfToken, csrfToken)) throw csrfRefused();
    const session = found && deadlineOf(found) <= Date.now() ? await this.renew(found.id) : found;
    if (!session) throw unauthenticated('The session has ended or expired: sign in again.');
    const account = accounts
      ? await accounts.get(em, session.accountId)
      : await readAccountAccess(em, session.accountId);
    if (!account?.active) throw unauthenticated('The account of this session is unknown or deactivated.');
    return {
      kind: 'account',
      accountId: session.accountId,
      organisationId: account.organisationId,
      roles: heldRoles(session.roles ?? account.roles, account),
      tokenExpiresAt: deadlineOf(session),
      sessionId: session.id,
    };
  }

  /** The open session of a cookie's secret (no CSRF check: for GET /auth/session and sign-out). */
  async current(token: string): Promise<SessionRow | undefined> {
    const hash = hashSecret(token);
    const found = await this.find(hash, this.deps.orm.em.fork());
    return found && deadlineOf(found) <= Date.now() ? await this.renew(found.id) : found;
  }

  /** A new session after a successful sign-in: the cookie's secret (only its hash is stored). */
  async create(input: NewSession): Promise<{ token: string; id: string; expiresAt: Date }> {
    const token = newSecret();
    const expiresAt = new Date(Date.now() + this.deps.maxAgeSeconds * 1000);
    const em = this.deps.orm.em.fork();
    // Sessions that ended or ran out more than a day ago are of no further use.
    await em.execute(
      `delete from hub_session where expires_at < now() - interval '1 day' or ended_at < now() - interval '1 day'`,
    );
    const [row] = await em.execute<{ id: string }[]>(
      `insert into hub_session (token_hash, account_id, issuer, subject, provider_sid, roles, id_token,
         refresh_token_encrypted, access_expires_at, expires_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
      [
        hashSecret(token),
        input.accountId,
        input.issuer,
        input.subject,
        input.providerSid ?? null,
        input.roles ? `{${input.roles.join(',')}}` : null,
        this.deps.keys.encrypt(input.idToken),
        input.refreshToken ? this.deps.keys.encrypt(input.refreshToken) : null,
        input.accessExpiresIn !== undefined ? new Date(Date.now() + input.accessExpiresIn * 1000) : null,
        expiresAt,
      ],
    );
    return { token, id: row!.id, expiresAt };
  }

  /**
   * Ends a session (sign-out, refused refresh): its row is marked, and the outbox tells every instance
   * (WebSockets of the session close with 4401). The ID token is returned for end_session_endpoint.
   */
  async end(sessionId: string, reason: string): Promise<{ idToken?: string }> {
    const em = this.deps.orm.em.fork();
    const idToken = await em.transactional(async (tx) => {
      const [row] = await tx.execute<{ id_token: string }[]>(
        `update hub_session set ended_at = now(), end_reason = ?, refresh_token_encrypted = null
          where id = ? and ended_at is null returning id_token`,
        [reason, sessionId],
      );
      if (row) {
        await tx.execute('insert into domain_event (type, payload) values (?, ?)', [
          SESSION_ENDED,
          JSON.stringify({ sessionId, reason }),
        ]);
      }
      return row?.id_token;
    });
    // Here at once; the outbox brings it to the other instances (and here again, which changes nothing).
    this.forget(sessionId);
    return { idToken: idToken ? this.deps.keys.decrypt(idToken) : undefined };
  }

  /**
   * For a WebSocket at its viewer's deadline: the session renewed (its next deadline), or null when it
   * has ended (the socket closes with 4401).
   */
  async renewForSocket(sessionId: string): Promise<number | null> {
    const session = await this.renew(sessionId);
    return session ? deadlineOf(session) : null;
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.cache?.clear();
  }

  private forget(sessionId: string): void {
    this.generation++;
    if (this.cache) {
      for (const [hash, row] of this.cache.entries()) if (row.id === sessionId) this.cache.delete(hash);
    }
    for (const listener of this.endedListeners) listener(sessionId);
  }

  private async find(hash: string, em: EntityManager): Promise<SessionRow | undefined> {
    const usable = (s: SessionRow | undefined) => (s && s.expiresAt > Date.now() ? s : undefined);
    const known = this.cache && this.deps.bus.connected ? this.cache.get(hash) : undefined;
    if (known) return usable(known);
    const generation = this.generation;
    const [record] = await em.execute<SessionRecord[]>(
      `select ${COLUMNS} from hub_session where token_hash = ? and ended_at is null`,
      [hash],
    );
    const row = record && toRow(record, this.deps.keys);
    if (row && generation === this.generation && this.deps.bus.connected) this.cache?.set(hash, row);
    return usable(row);
  }

  /** One renewal per session and instance at a time; other instances wait on the row lock. */
  private renew(sessionId: string): Promise<SessionRow | undefined> {
    let running = this.renewing.get(sessionId);
    if (!running) {
      running = this.renewUnderLock(sessionId).finally(() => this.renewing.delete(sessionId));
      this.renewing.set(sessionId, running);
    }
    return running;
  }

  private async renewUnderLock(sessionId: string): Promise<SessionRow | undefined> {
    const em = this.deps.orm.em.fork();
    let refused: string | undefined;
    const renewed = await em.transactional(async (tx) => {
      const [record] = await tx.execute<(SessionRecord & { refresh_token_encrypted: string | null })[]>(
        `select ${COLUMNS}, refresh_token_encrypted from hub_session
          where id = ? and ended_at is null for update`,
        [sessionId],
      );
      if (!record) return undefined;
      const row = toRow(record, this.deps.keys);
      if (row.expiresAt <= Date.now()) return undefined;
      // Another instance renewed it while this one waited for the lock.
      if (deadlineOf(row) > Date.now() || !record.refresh_token_encrypted) return row;
      let tokens: client.TokenEndpointResponse;
      try {
        const configuration = await this.deps.issuer.discover();
        tokens = await client.refreshTokenGrant(
          configuration,
          this.deps.keys.decrypt(record.refresh_token_encrypted),
        );
      } catch (error) {
        // The provider refuses (invalid_grant: its session ended, the person was disabled) or answers
        // with tokens that fail the checks: the session ends. A 5xx or no answer is no refusal.
        const unavailable =
          (error instanceof client.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') ||
          (error instanceof client.ResponseBodyError &&
            ['server_error', 'temporarily_unavailable'].includes(error.error));
        if (
          !unavailable &&
          (error instanceof client.ResponseBodyError || error instanceof client.ClientError)
        ) {
          refused = error instanceof client.ResponseBodyError ? error.error : 'refresh_failed';
          return undefined;
        }
        // The provider is unreachable: the session goes on and is renewed with a later request.
        this.deps.logger.warn({ err: error }, 'renewing a hub session failed; trying again later');
        return { ...row, accessExpiresAt: Date.now() + 30_000 + RENEW_MARGIN_MS };
      }
      const accessExpiresAt = new Date(Date.now() + (tokens.expires_in ?? 300) * 1000);
      await tx.execute(
        `update hub_session set access_expires_at = ?, updated_at = now(),
           refresh_token_encrypted = coalesce(?, refresh_token_encrypted), id_token = coalesce(?, id_token)
         where id = ?`,
        [
          accessExpiresAt,
          tokens.refresh_token ? this.deps.keys.encrypt(tokens.refresh_token) : null,
          tokens.id_token ? this.deps.keys.encrypt(tokens.id_token) : null,
          sessionId,
        ],
      );
      return { ...row, accessExpiresAt: accessExpiresAt.getTime() };
    });
    if (refused) {
      this.deps.logger.info(
        { sessionId, reason: refused },
        'hub session ended: the provider refused to renew it',
      );
      await this.end(sessionId, 'refresh_refused');
      return undefined;
    }
    if (renewed) this.cache?.set(renewed.tokenHash, renewed);
    return renewed;
  }
}
