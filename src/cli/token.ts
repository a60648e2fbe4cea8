import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ensureSigningKey, TokenService } from '../auth/tokens.js';
import { ConfigError, loadConfig } from '../config.js';
import { Role } from '../domain/enums.js';
import { createLogger } from '../logger.js';
import { findAccountWithRoles } from '../modules/account/account-lookup.js';
import { openCliDatabase, organisationIdArg } from './cli-database.js';

/**
 * `npm run -s token -- --roles PARTNER_EDITOR [--org <id>] [--ttl <seconds>]`: prints only a token (one
 * line) for an existing account with those roles, signed with the configured (or development) key.
 * Uses DATABASE_URL, else the embedded database (the running one, or started for the moment).
 */
const USAGE = 'usage: npm run -s token -- --roles ROLE[,ROLE…] [--org <organisation id>] [--ttl <seconds>]';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(code);
}

let values: { roles?: string; org?: string; ttl?: string };
try {
  ({ values } = parseArgs({
    options: { roles: { type: 'string' }, org: { type: 'string' }, ttl: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
const roles = (values.roles ?? '')
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const known = new Set<string>(Object.values(Role));
if (roles.length === 0 || !roles.every((r) => known.has(r))) {
  fail(`--roles takes one or more of ${[...known].join(', ')}.`);
}
let organisationId: string | undefined;
if (values.org) {
  const raw = values.org.trim();
  organisationId = organisationIdArg(raw) ?? fail('--org takes an organisation id (global id or UUID).');
}
const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400))
  fail('--ttl must be 60…86400 seconds.');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const logger = createLogger('silent');
const auth = await ensureSigningKey(config.auth, config.embedded.dataDir);
const tokens = new TokenService(auth);
if (!tokens.canSign)
  fail('No AUTH_JWT_SECRET: this installation takes tokens from its identity provider.', 1);

const database = await openCliDatabase(config, logger);
const orm = database.orm;
try {
  const account = await findAccountWithRoles(orm.em.fork(), roles as Role[], organisationId);
  if (!account)
    fail(
      `No active account with roles ${roles.join(', ')}${organisationId ? ' in that organisation' : ''}.`,
      1,
    );
  const { token } = await tokens.sign(
    { accountId: account.id, organisationId: account.organisation.id, roles: roles as Role[] },
    ttl,
  );
  process.stdout.write(`${token}\n`);
} finally {
  await database.close();
}
