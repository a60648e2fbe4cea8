import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AccountViewer } from '../auth/viewer.js';
import { ConfigError, loadConfig } from '../config.js';
import { migrate } from '../db/database.js';
import { ErrorCode, HubError } from '../errors.js';
import { createLogger } from '../logger.js';
import { Account } from '../modules/account/account.entity.js';
import { type ImportReport, importOffers } from '../modules/import/import.service.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { requestScope } from '../modules/request-scope.js';
import { openCliDatabase, organisationIdArg } from './cli-database.js';

/**
 * `npm run -s import -- --org <id> --as <e-mail> [--apply] [--json] FILE`: the same import as
 * POST /import/offers, for operators. Without --apply it only reports (dry run); with --apply it writes
 * all rows in one transaction, or nothing when any row has a problem. Acts as the account given by --as
 * (a PARTNER_EDITOR of the organisation, or an ADMIN) — the audit trail names it.
 */
const USAGE =
  'usage: npm run -s import -- --org <organisation id> --as <account e-mail> [--apply] [--json] FILE';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(code);
}

let values: { org?: string; as?: string; apply?: boolean; json?: boolean; help?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    options: {
      org: { type: 'string' },
      as: { type: 'string' },
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.org || !values.as || positionals.length !== 1) fail('--org, --as and one FILE are required.');
const file = positionals[0];
const info = await stat(file).catch(() => fail(`${file}: no such file.`));
if (!info.isFile()) fail(`${file}: not a file.`);
const _raw = values.org.trim();
const organisationId =
  organisationIdArg(values.org) ?? fail('--org takes an organisation id (global id or UUID).');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const database = await openCliDatabase(config, createLogger('silent'), 2);
try {
  // Like the hub at start: a database from before the import feature gets its columns first.
  await migrate(database.orm);
  const em = database.orm.em.fork();
  const account = await em.findOne(
    Account,
    { email: { $ilike: values.as.trim() }, active: true, organisation: { active: true } },
    { populate: ['organisation'] },
  );
  if (!account) fail(`No active account ${values.as}.`, 1);
  if (!(await em.findOne(Organisation, { id: organisationId }))) fail('No such organisation.', 1);
  const viewer: AccountViewer = {
    kind: 'account',
    accountId: account.id,
    organisationId: account.organisation.id,
    roles: new Set(account.roles),
  };
  const actor = requestScope(em, viewer).access;

  const started = performance.now();
  const report = await importOffers(em, actor, {
    organisation: { id: organisationId, sent: values.org },
    file: createReadStream(file),
    apply: values.apply ?? false,
    filename: file,
  }).catch((error) => {
    if (error instanceof HubError && error.extensions.code === ErrorCode.FORBIDDEN)
      fail(`${account.email} may not edit that organisation's offers (PARTNER_EDITOR of it, or ADMIN).`, 1);
    throw error;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(summary(report, seconds));
  process.exitCode = report.problemCount > 0 ? 1 : 0;
} finally {
  await database.close();
}

function summary(r: ImportReport, seconds: string): string {
  const lines = [
    `${r.applied ? 'Import ausgeführt' : values.apply ? 'Nichts geschrieben' : 'Probelauf (nichts geschrieben)'} — ${r.format}${r.encoding ? `, ${r.encoding}` : ''}${r.delimiter ? `, Trennzeichen „${r.delimiter}“` : ''}, ${seconds} s`,
    `Zeilen: ${r.dataRows} mit Daten, ${r.emptyRows} leer${r.headerRow ? `; Kopfzeile in Zeile ${r.headerRow}` : ''}`,
    `Angebote: ${r.offers.create} neu, ${r.offers.update} geändert, ${r.offers.unchanged} unverändert`,
    `Zeiträume: ${r.periods.create} neu, ${r.periods.update} geändert, ${r.periods.unchanged} unverändert; neue Standorte: ${r.locationsCreated}`,
  ];
  if (r.problemCount > 0) {
    lines.push(
      `Probleme: ${r.problemCount}${r.problemCount > r.problems.length ? ` (die ersten ${r.problems.length})` : ''}`,
    );
    for (const p of r.problems) lines.push(`  Zeile ${p.row}, ${p.column}: ${p.message}`);
  } else if (!r.applied) lines.push('Keine Probleme. Mit --apply schreiben.');
  lines.push(`Prüfsumme: ${r.digest}`);
  return `${lines.join('\n')}\n`;
}
