import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config.js';
import { Role } from '../domain/enums.js';
import { UUID } from '../domain/ids.js';
import { ErrorCode, HubError } from '../errors.js';
import type { ServiceAccountMapping } from '../oidc.config.js';
import type { OidcIssuer } from './oidc-issuer.js';

export interface TokenClaims {
  accountId: string;
  organisationId: string;
  roles: Role[];
  /** Expiry of a verified token (ms since epoch). */
  expiresAt?: number;
}

/** A client-credentials token of the OIDC issuer, for a client OIDC_SERVICE_ACCOUNTS maps to an account. */
export interface ServiceTokenClaims {
  service: ServiceAccountMapping;
  clientId: string;
  expiresAt?: number;
}

export type VerifiedToken = (TokenClaims & { service?: undefined }) | ServiceTokenClaims;

const ROLES = new Set<string>(Object.values(Role));
/** Algorithms accepted from an OIDC provider's key set; never "none", never HS* against public keys. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const DEFAULT_ISSUER = 'buendnis-hub';

export const unauthenticated = (message = 'The access token is invalid or expired.') =>
  new HubError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/**
 * Signs (HS256, for the built-in sign-in and the token CLI) and verifies access tokens: HS256 with
 * AUTH_JWT_SECRET and/or asymmetric tokens of an OIDC provider via AUTH_JWKS_URL.
 */
export class TokenService {
  private readonly secret?: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /**
   * Tokens whose signature and claims were checked, by their exact text (a changed byte is another key):
   * a dashboard sends the same token with every request, and checking the signature again each time was a
   * measurable share of a request's CPU. Expiry is checked on every use; an entry lives at most
   * a minute, so a key removed from the JWKS stops counting within that. Whether the account is active and
   * still holds the roles is checked per request all the same (authenticate.ts).
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: 5_000, ttl: 60_000 });

  constructor(
    private readonly auth: AuthConfig,
    /** The city's identity provider, whose client-credentials tokens stand for service accounts. */
    private readonly oidcIssuer?: OidcIssuer,
  ) {
    if (auth.jwtSecret) this.secret = new TextEncoder().encode(auth.jwtSecret);
    if (auth.jwksUrl) this.jwks = createRemoteJWKSet(new URL(auth.jwksUrl));
  }

  get canSign(): boolean {
    return this.secret !== undefined;
  }

  async sign(
    claims: TokenClaims,
    ttlSeconds = this.auth.tokenTtlSeconds,
  ): Promise<{ token: string; expiresAt: Date }> {
    if (!this.secret)
      throw new HubError(ErrorCode.FORBIDDEN, 'Sign-in is handled by the identity provider here.');
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const token = await new SignJWT({ org: claims.organisationId, roles: claims.roles })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.accountId)
      .setIssuer(this.auth.issuer ?? DEFAULT_ISSUER)
      .setAudience(this.auth.audience ?? DEFAULT_ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { token, expiresAt };
  }

  /** The claims of a valid token; UNAUTHENTICATED for anything else (expired, forged, alg none, …). */
  async verify(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt !== undefined && known.expiresAt <= Date.now()) {
        this.verified.delete(token);
        throw unauthenticated('The access token has expired.');
      }
      return known;
    }
    const claims = await this.verifySignedToken(token);
    this.verified.set(token, claims);
    return claims;
  }

  private async verifySignedToken(token: string): Promise<VerifiedToken> {
    if (this.oidcIssuer && this.auth.serviceAccounts.size > 0 && this.isFromOidcIssuer(token)) {
      return this.verifyServiceToken(token, this.oidcIssuer);
    }
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      const options = {
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        requiredClaims: ['exp', 'sub'],
      };
      if (alg === 'HS256' && this.secret) {
        // Our own tokens always name issuer and audience; a token minted for another service is refused.
        ({ payload } = await jwtVerify(token, this.secret, {
          ...options,
          issuer: this.auth.issuer ?? DEFAULT_ISSUER,
          audience: this.auth.audience ?? DEFAULT_ISSUER,
          algorithms: ['HS256'],
        }));
      } else if (alg && ASYMMETRIC.includes(alg) && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...options, algorithms: ASYMMETRIC }));
      } else {
        throw unauthenticated('The access token is signed in a way this hub does not accept.');
      }
    } catch (error) {
      if (error instanceof HubError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The access token has expired.');
      throw unauthenticated();
    }
    const roles = payload.roles;
    if (
      typeof payload.sub !== 'string' ||
      !UUID.test(payload.sub) ||
      typeof payload.org !== 'string' ||
      !UUID.test(payload.org) ||
      !Array.isArray(roles) ||
      roles.length === 0 ||
      !roles.every((r) => typeof r === 'string' && ROLES.has(r))
    ) {
      throw unauthenticated('The access token lacks valid sub, org or roles claims.');
    }
    return {
      accountId: payload.sub.toLowerCase(),
      organisationId: payload.org.toLowerCase(),
      roles: roles as Role[],
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    };
  }

  /** The unverified `iss` names the OIDC issuer (only picks the path; the signature decides). */
  private isFromOidcIssuer(token: string): boolean {
    try {
      return decodeJwt(token).iss === this.oidcIssuer?.config.issuer;
    } catch {
      return false;
    }
  }

  /**
   * A client-credentials access token of the OIDC issuer: signed by a key of its JWKS (refetched on an
   * unknown kid), issued by exactly that issuer, for this hub's audience (AUTH_AUDIENCE), and from a
   * client that OIDC_SERVICE_ACCOUNTS lists. `client_id` (RFC 9068), else `azp` (Keycloak) names it.
   */
  private async verifyServiceToken(token: string, issuer: OidcIssuer): Promise<ServiceTokenClaims> {
    let payload: JWTPayload;
    try {
      const keys = await issuer.keySet();
      ({ payload } = await jwtVerify(token, keys, {
        issuer: issuer.config.issuer,
        audience: this.auth.audience,
        algorithms: ASYMMETRIC,
        requiredClaims: ['exp'],
        clockTolerance: issuer.config.clockToleranceSeconds,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The access token has expired.');
      throw unauthenticated();
    }
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : payload.azp;
    const service = typeof clientId === 'string' ? this.auth.serviceAccounts.get(clientId) : undefined;
    if (!service || typeof clientId !== 'string') {
      throw unauthenticated('The access token belongs to no service account of this hub.');
    }
    return {
      service,
      clientId,
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    };
  }
}

/**
 * Without a configured key, development installations get a random HS256 key kept in the data folder
 * (so `npm run token` and the server agree across restarts). Production never gets here: the
 * configuration refuses to start without a key.
 */
export async function ensureSigningKey(auth: AuthConfig, dataDir: string): Promise<AuthConfig> {
  if (auth.jwtSecret || auth.jwksUrl) return auth;
  const file = path.resolve(dataDir, 'dev-auth-secret');
  let secret = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => '',
  );
  if (secret.length < 32) {
    secret = randomBytes(48).toString('base64url');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return { ...auth, jwtSecret: secret, jwtSecretGenerated: true };
}
