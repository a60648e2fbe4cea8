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
