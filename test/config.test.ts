import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** A production setting the hub accepts: a real key, a database with its own password, protected metrics. */
const PRODUCTION = {
  NODE_ENV: 'production',
  AUTH_JWT_SECRET: 'k7Qv2LmZp9XwR4tYb8NcF3hJs6DgA1eU',
  DATABASE_URL: 'postgres://hub:Wq8vTz3kLp2Xr@db.internal:5432/buendnis_hub',
  METRICS_TOKEN: 'metrics-Hk2Lq9Zr4Tw7Xp',
};

describe('configuration', () => {
  it('has working defaults: embedded database, demo seed, port 4000', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.seedDemo).toBe(true);
    expect(config.port).toBe(4000);
    expect(config.embedded.dataDir).toBe('./.data');
  });

  it('seeds demo data with DATABASE_URL only when asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('refuses to start in production without a signing key or key set', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@h/db' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ ...PRODUCTION, AUTH_JWT_SECRET: undefined })).toThrow(ConfigError);
    expect(() => loadConfig(PRODUCTION)).not.toThrow();
  });

  it('names every wrong setting in one clear message', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', AUTH_JWT_SECRET: 'short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('AUTH_JWT_SECRET');
  });
});

describe('draining', () => {
  it('drains for a few seconds by default, 0 stops at once, and refuses what is not a number of seconds', () => {
    expect(loadConfig({}).drainSeconds).toBe(5);
    expect(loadConfig({ DRAIN_SECONDS: '0' }).drainSeconds).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', '301']) {
      expect(() => loadConfig({ DRAIN_SECONDS: bad }), bad).toThrow(/DRAIN_SECONDS: must be/);
    }
  });
});

describe('read plans', () => {
  it('are on by default, off with READ_PLANS=false, and refuse anything but true or false (or 1/0)', () => {
    expect(loadConfig({}).readPlans).toBe(true);
    expect(loadConfig({ READ_PLANS: 'false' }).readPlans).toBe(false);
    // An empty value is an unset one, as for every setting: the default.
    expect(loadConfig({ READ_PLANS: '' }).readPlans).toBe(true);
    for (const bad of ['yes', 'off', 'TRUE ']) {
      expect(() => loadConfig({ READ_PLANS: bad }), bad).toThrow(/READ_PLANS: must be true or false/);
    }
  });
});

describe('the account check cache', () => {
  it('remembers accounts for 30 s by default, 0 turns it off, and refuses what is not a short time', () => {
    expect(loadConfig({}).auth.accessCacheTtlMs).toBe(30_000);
    expect(loadConfig({ AUTH_CACHE_TTL_MS: '0' }).auth.accessCacheTtlMs).toBe(0);
    expect(loadConfig({ AUTH_CACHE_TTL_MS: '5000' }).auth.accessCacheTtlMs).toBe(5_000);
    for (const bad of ['-1', '1.5', 'soon', '300001']) {
      expect(() => loadConfig({ AUTH_CACHE_TTL_MS: bad }), bad).toThrow(/AUTH_CACHE_TTL_MS: must be/);
    }
  });
});

describe('tracing', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT, on with one, and refuses what is not a collector URL', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'buendnis-hub',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:\/\/ or https:\/\/ URL of an OTLP collector/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => loadConfig({ OTEL_SERVICE_NAME: 'hub with spaces' })).toThrow(/OTEL_SERVICE_NAME: must be/);
  });
});

describe('production refuses unsafe settings, with a clear message', () => {
  const refusal = (env: Record<string, string | undefined>) => {
    try {
      loadConfig({ ...PRODUCTION, ...env });
      return '';
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('names each unsafe setting', () => {
    expect(refusal({ SEED_DEMO: 'true' })).toMatch(/SEED_DEMO=true is refused in production/);
    expect(refusal({ AUTH_JWT_SECRET: 'x'.repeat(40) })).toMatch(/AUTH_JWT_SECRET looks weak/);
    expect(refusal({ AUTH_JWT_SECRET: 'changeme-changeme-changeme-changeme-1234' })).toMatch(/weak/);
    expect(refusal({ DATABASE_URL: 'postgres://hub:hub-dev-password@postgres:5432/buendnis_hub' })).toMatch(
      /published default password/,
    );
    expect(refusal({ DATABASE_URL: undefined })).toMatch(/DATABASE_URL must be set in production/);
    expect(refusal({ CORS_ORIGINS: '*' })).toMatch(/CORS_ORIGINS=\* is refused/);
    expect(refusal({ METRICS_TOKEN: undefined })).toMatch(/METRICS_TOKEN must be set in production/);
    expect(refusal({ METRICS_TOKEN: undefined, METRICS_ENABLED: 'false' })).toBe('');
    expect(refusal({ PLAYGROUND: 'true', INTROSPECTION: 'all' })).toMatch(
      /PLAYGROUND=true with INTROSPECTION=all/,
    );
    expect(refusal({ PLAYGROUND: 'true' })).toBe(''); // partners sign in to use it
    // Several at once: all of them in one message.
    const all = refusal({ SEED_DEMO: 'true', CORS_ORIGINS: '*' });
    expect(all).toMatch(/SEED_DEMO/);
    expect(all).toMatch(/CORS_ORIGINS/);
  });

  it('keeps development easy: the same settings are fine there', () => {
    expect(() => loadConfig({ SEED_DEMO: 'true', CORS_ORIGINS: '*' })).not.toThrow();
  });
});

describe('hardening settings', () => {
  it('has defaults that depend on the environment', () => {
    const dev = loadConfig({}).hardening;
    expect(dev.introspection).toBe('all');
    expect(dev.corsOrigins).toBe('*');
    expect(dev.limits).toMatchObject({ maxDepth: 12, maxCost: 20_000, maxTokens: 3_000, maxBatch: 0 });
    const prod = loadConfig(PRODUCTION).hardening;
    expect(prod.introspection).toBe('partners');
    expect(prod.corsOrigins).toEqual([]);
    expect(prod.metrics).toEqual({ enabled: true, token: PRODUCTION.METRICS_TOKEN });
  });

  it('validates every new variable with the others in one message', () => {
    let message = '';
    try {
      loadConfig({
        GRAPHQL_MAX_DEPTH: '0',
        INTROSPECTION: 'sometimes',
        CORS_ORIGINS: 'https://ok.example, not-an-origin, https://x.example/path',
        METRICS_TOKEN: 'short',
        PORT: 'eighty',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of [
      'GRAPHQL_MAX_DEPTH',
      'INTROSPECTION',
      'not-an-origin',
      'https://x.example/path',
      'METRICS_TOKEN',
      'PORT',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('https://ok.example"');
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example:8443/' }).hardening.corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(loadConfig({ TRUST_PROXY: '2' }).hardening.trustProxy).toBe(2);
  });
});

describe('allow-list file', () => {
  it('is checked at start: a missing file or a wrong hash is a configuration error', () => {
    expect(() => loadConfig({ OPERATIONS_ALLOWLIST: '/nonexistent/operations.json' })).toThrow(
      /OPERATIONS_ALLOWLIST: cannot read/,
    );
  });
});

describe('several instances: start-up, shared limits, outbox retention', () => {
  it('defaults: migrate at start, limits in PostgreSQL (Redis with REDIS_URL), 7 days of events', () => {
    const config = loadConfig({});
    expect(config.migrationsAtStart).toBe(true);
    expect(config.limitStore.kind).toBe('postgres');
    expect(config.eventRetention.days).toBe(7);
    const redis = loadConfig({ REDIS_URL: 'redis://cache:6379/0', MIGRATIONS_AT_START: 'false' });
    expect(redis.limitStore).toMatchObject({ kind: 'redis', redisUrl: 'redis://cache:6379/0' });
    expect(redis.migrationsAtStart).toBe(false);
    expect(loadConfig({ REDIS_URL: 'redis://cache', RATE_LIMIT_STORE: 'postgres' }).limitStore.kind).toBe(
      'postgres',
    );
  });

  it('names every wrong new setting in one message', () => {
    let message = '';
    try {
      loadConfig({
        MIGRATIONS_AT_START: 'maybe',
        REDIS_URL: 'http://cache:6379',
        REDIS_KEY_PREFIX: 'has space',
        RATE_LIMIT_STORE: 'memcached',
        EVENT_RETENTION: 'a week',
        EVENT_RETENTION_INTERVAL_MS: '5',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of [
      'MIGRATIONS_AT_START',
      'REDIS_URL',
      'REDIS_KEY_PREFIX',
      'RATE_LIMIT_STORE',
      'EVENT_RETENTION',
      'EVENT_RETENTION_INTERVAL_MS',
    ]) {
      expect(message).toContain(`${name}:`);
    }
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(
      /RATE_LIMIT_STORE: redis needs REDIS_URL/,
    );
  });
});

describe('sign-in with an identity provider (OIDC)', () => {
  const OIDC = {
    OIDC_ISSUER: 'https://login.stadt.example/realms/stadt',
    OIDC_CLIENT_ID: 'buendnis-hub',
    OIDC_REDIRECT_URI: 'https://hub.stadt.example/auth/callback',
  };
  const problem = (env: Record<string, string | undefined>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('is off without settings; with them, a public client unless a secret is given', () => {
    expect(loadConfig({}).auth.oidc).toBeUndefined();
    expect(loadConfig({}).auth.session.passwordLogin).toBe(true);
    const config = loadConfig(OIDC).auth;
    expect(config.oidc).toMatchObject({
      ...{ issuer: OIDC.OIDC_ISSUER },
      clientSecret: undefined,
      allowInsecure: false,
    });
    expect(config.oidc?.scopes).toBe('openid email profile');
    expect(config.session.maxAgeSeconds).toBe(8 * 3600);
    expect(loadConfig({ ...OIDC, OIDC_CLIENT_SECRET: 's3cret' }).auth.oidc?.clientSecret).toBe('s3cret');
  });

  it('names missing companions, a wrong redirect URI and http in production', () => {
    expect(problem({ OIDC_ISSUER: OIDC.OIDC_ISSUER })).toMatch(/OIDC_CLIENT_ID, OIDC_REDIRECT_URI: needed/);
    expect(problem({ ...OIDC, OIDC_REDIRECT_URI: 'https://hub.stadt.example/callback' })).toMatch(
      /OIDC_REDIRECT_URI: must be the hub’s own …\/auth\/callback/,
    );
    expect(problem({ ...OIDC, OIDC_REDIRECT_URI: 'https://hub.stadt.example/auth/callback?x=1' })).toMatch(
      /OIDC_REDIRECT_URI/,
    );
    expect(problem({ ...OIDC, OIDC_SCOPES: 'email profile' })).toMatch(/OIDC_SCOPES: must include openid/);
    expect(problem({ ...OIDC, OIDC_POST_LOGOUT_REDIRECT_URI: 'https://evil.example/' })).toMatch(
      /OIDC_POST_LOGOUT_REDIRECT_URI: must be a page of the hub/,
    );
    expect(problem({ OIDC_CLIENT_SECRET: 'x' })).toMatch(/OIDC_CLIENT_SECRET: needs OIDC_ISSUER/);
    const http = { ...OIDC, OIDC_ISSUER: 'http://keycloak:8080/realms/stadt' };
    expect(loadConfig(http).auth.oidc?.allowInsecure).toBe(true);
    expect(problem({ ...PRODUCTION, ...http })).toMatch(/OIDC_ISSUER: must be https:\/\/ in production/);
    expect(
      problem({ ...PRODUCTION, ...OIDC, OIDC_REDIRECT_URI: 'http://hub.stadt.example/auth/callback' }),
    ).toMatch(/OIDC_REDIRECT_URI: must be https:\/\/ in production/);
    expect(problem({ ...PRODUCTION, ...OIDC })).toBe('');
  });

  it('needs a session secret in production when there is no token key to derive it from', () => {
    const jwksOnly = {
      ...PRODUCTION,
      ...OIDC,
      AUTH_JWT_SECRET: undefined,
      AUTH_JWKS_URL: 'https://login.stadt.example/certs',
      AUTH_ISSUER: 'x',
      AUTH_AUDIENCE: 'y',
    };
    expect(problem(jwksOnly)).toMatch(/SESSION_SECRET: must be set in production/);
    expect(problem({ ...jwksOnly, SESSION_SECRET: 'short' })).toMatch(/SESSION_SECRET: must be at least 32/);
    expect(problem({ ...jwksOnly, SESSION_SECRET: 'Zr8qL2vX9pT4wK7mN3bH6jF1sD5gA0eC' })).toBe('');
  });

  it('reads service accounts as JSON and refuses what it cannot use', () => {
    const accounts = JSON.stringify({
      'partner-system': { account: 'staff@jobcenter.example', roles: ['PARTNER_STAFF'] },
    });
    const config = loadConfig({ ...OIDC, AUTH_AUDIENCE: 'urn:hub', OIDC_SERVICE_ACCOUNTS: accounts }).auth;
    expect(config.serviceAccounts.get('partner-system')).toEqual({
      account: 'staff@jobcenter.example',
      roles: ['PARTNER_STAFF'],
    });
    expect(problem({ ...OIDC, OIDC_SERVICE_ACCOUNTS: accounts })).toMatch(/needs AUTH_AUDIENCE/);
    expect(problem({ ...OIDC, AUTH_AUDIENCE: 'a', OIDC_SERVICE_ACCOUNTS: '{nope' })).toMatch(
      /OIDC_SERVICE_ACCOUNTS: must be JSON/,
    );
    expect(
      problem({
        ...OIDC,
        AUTH_AUDIENCE: 'a',
        OIDC_SERVICE_ACCOUNTS: '{"p": {"account": "x", "roles": ["KING"]}}',
      }),
    ).toMatch(/OIDC_SERVICE_ACCOUNTS: p\.account: must be an account id/);
    expect(
      problem({
        ...OIDC,
        AUTH_AUDIENCE: 'a',
        OIDC_SERVICE_ACCOUNTS: '{"buendnis-hub": {"account": "a@b.example"}}',
      }),
    ).toMatch(/must not list OIDC_CLIENT_ID/);
  });

  it('switches password sign-in off only where another sign-in exists', () => {
    expect(loadConfig({ ...OIDC, PASSWORD_LOGIN: 'false' }).auth.session.passwordLogin).toBe(false);
    expect(problem({ PASSWORD_LOGIN: 'false' })).toMatch(/PASSWORD_LOGIN: false needs OIDC_ISSUER/);
    expect(problem({ PASSWORD_LOGIN: 'nein' })).toMatch(/PASSWORD_LOGIN: must be true or false/);
  });
});
