import { z } from 'zod';
import { Role } from './domain/enums.js';
import { UUID } from './domain/ids.js';

/**
 * Sign-in with the city's identity provider (OpenID Connect) and the hub's own sessions: the settings,
 * validated with the rest of the configuration (config.ts) so that a wrong value stops the start with
 * a message naming it.
 */
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .default(fallback)
    .transform((v) => v === 'true' || v === '1');

const serviceAccount = z.strictObject({
  account: z
    .string()
    .min(1)
    .refine((v) => UUID.test(v) || v.includes('@'), 'must be an account id (UUID) or an e-mail address'),
  roles: z
    .array(z.enum(Object.values(Role) as [Role, ...Role[]]))
    .min(1)
    .optional(),
});

export const oidcSchema = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/, message: 'must be the http(s) URL of the issuer' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .refine(
      (v) => new URL(v).pathname === '/auth/callback' && !new URL(v).search && !new URL(v).hash,
      'must be the hub’s own …/auth/callback, exactly (no query, no fragment)',
    )
    .optional(),
  OIDC_POST_LOGOUT_REDIRECT_URI: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .optional(),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'must be scopes separated by spaces')
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  OIDC_ROLES_CLAIM: z
    .string()
    .regex(/^[\w.:/-]{1,200}$/, 'must be a claim name (letters, digits, _ . : / -), dots for nesting')
    .optional(),
  OIDC_SERVICE_ACCOUNTS: z.string().optional(),
  PASSWORD_LOGIN: flag('true'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_MAX_AGE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(300, 'must be at least 300 (5 minutes)')
    .max(7 * 86_400, 'must be at most 604800 (a week)')
    .default(8 * 3_600),
  OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(0)
    .max(300, 'must be at most 300: a larger skew means clocks need fixing, not tolerance')
    .default(30),
});

export type OidcEnv = z.infer<typeof oidcSchema>;

export interface ServiceAccountMapping {
  /** Account id (UUID) or e-mail address of the hub account the client acts as. */
  account: string;
  /** Roles of that account the client may use; all of them when undefined. */
  roles?: Role[];
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Undefined: a public client (PKCE only, token_endpoint_auth_method none). */
  clientSecret?: string;
  redirectUri: string;
  postLogoutRedirectUri?: string;
  scopes: string;
  /** Roles from this claim of the ID token (dots walk into objects), never more than the account holds. */
  rolesClaim?: string;
  /** Plain http to the issuer: only outside production (tests, a local Keycloak). */
  allowInsecure: boolean;
  clockToleranceSeconds: number;
}

export interface SessionConfig {
  /** Unset: derived from AUTH_JWT_SECRET. Encrypts the sign-in flow cookie and the provider's refresh tokens at rest; keys the CSRF tokens. */
  secret?: string;
  maxAgeSeconds: number;
  /** The hub's built-in e-mail + password sign-in (`login`). */
  passwordLogin: boolean;
}

/** Problems with the OIDC and session settings, one line each, for the start-up message. */
export function oidcProblems(
  e: OidcEnv,
  context: { production: boolean; authAudience?: string; authJwksUrl?: string; authJwtSecret?: string },
): string[] {
  const problems: string[] = [];
  const oidcNames = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI'] as const;
  const given = oidcNames.filter((n) => e[n] !== undefined);
  if (given.length > 0 && given.length < oidcNames.length) {
    const missing = oidcNames.filter((n) => e[n] === undefined);
    problems.push(
      `${missing.join(', ')}: needed with ${given.join(', ')} (sign-in with the identity provider)`,
    );
  }
  const oidc = given.length === oidcNames.length;
  if (!oidc) {
    for (const n of [
      'OIDC_CLIENT_SECRET',
      'OIDC_POST_LOGOUT_REDIRECT_URI',
      'OIDC_ROLES_CLAIM',
      'OIDC_SERVICE_ACCOUNTS',
    ] as const) {
      if (e[n] !== undefined && given.length === 0)
        problems.push(`${n}: needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URI`);
    }
  }
  if (e.OIDC_ISSUER && new URL(e.OIDC_ISSUER).protocol === 'http:' && context.production) {
    problems.push('OIDC_ISSUER: must be https:// in production');
  }
  if (e.OIDC_REDIRECT_URI && new URL(e.OIDC_REDIRECT_URI).protocol === 'http:' && context.production) {
    problems.push('OIDC_REDIRECT_URI: must be https:// in production (the session cookie is Secure)');
  }
  if (e.OIDC_POST_LOGOUT_REDIRECT_URI && e.OIDC_REDIRECT_URI) {
    if (new URL(e.OIDC_POST_LOGOUT_REDIRECT_URI).origin !== new URL(e.OIDC_REDIRECT_URI).origin) {
      problems.push(
        'OIDC_POST_LOGOUT_REDIRECT_URI: must be a page of the hub (the origin of OIDC_REDIRECT_URI)',
      );
    }
  }
  if (e.OIDC_SERVICE_ACCOUNTS !== undefined) {
    const parsed = parseServiceAccounts(e.OIDC_SERVICE_ACCOUNTS);
    if (typeof parsed === 'string') problems.push(`OIDC_SERVICE_ACCOUNTS: ${parsed}`);
    else {
      if (e.OIDC_CLIENT_ID && parsed.has(e.OIDC_CLIENT_ID)) {
        problems.push(
          'OIDC_SERVICE_ACCOUNTS: must not list OIDC_CLIENT_ID (the hub’s own client signs people in, it is no service account)',
        );
      }
      if (!context.authAudience) {
        problems.push(
          'OIDC_SERVICE_ACCOUNTS: needs AUTH_AUDIENCE: client-credentials tokens are accepted only when minted for this hub',
        );
      }
    }
  }
  if (!e.PASSWORD_LOGIN && !oidc && !context.authJwksUrl) {
    problems.push(
      'PASSWORD_LOGIN: false needs OIDC_ISSUER (or AUTH_JWKS_URL): otherwise nobody could sign in on the pages',
    );
  }
  if (oidc && context.production && !e.SESSION_SECRET && !context.authJwtSecret) {
    problems.push(
      'SESSION_SECRET: must be set in production with OIDC_ISSUER (at least 32 random characters, e.g. `openssl rand -base64 48`)',
    );
  }
  return problems;
}

/** OIDC_SERVICE_ACCOUNTS: `{"<client id>": {"account": "<id or e-mail>", "roles": [..]}}`; a message when wrong. */
export function parseServiceAccounts(raw: string): Map<string, ServiceAccountMapping> | string {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return 'must be JSON: {"<client id>": {"account": "<account id or e-mail>", "roles": ["PARTNER_STAFF"]}}';
  }
  const result = z.record(z.string().min(1).max(255), serviceAccount).safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return `${issue.path.join('.') || '(top)'}: ${issue.message}`;
  }
  return new Map(Object.entries(result.data));
}

export function toOidcConfig(e: OidcEnv, production: boolean): OidcConfig | undefined {
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_REDIRECT_URI) return undefined;
  return {
    // The issuer identifier is compared exactly (discovery and every token): no trailing slash games.
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri: e.OIDC_REDIRECT_URI,
    postLogoutRedirectUri: e.OIDC_POST_LOGOUT_REDIRECT_URI,
    scopes: e.OIDC_SCOPES,
    rolesClaim: e.OIDC_ROLES_CLAIM,
    allowInsecure: !production && new URL(e.OIDC_ISSUER).protocol === 'http:',
    clockToleranceSeconds: e.OIDC_CLOCK_TOLERANCE_SECONDS,
  };
}
