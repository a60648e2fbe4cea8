import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import {
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
} from 'graphql';
import { printHubSubgraphSdl } from '../graphql/federation.js';
import { buildHubSchema } from '../schema.js';

/**
 * The composition check (a development tool; @apollo/composition is a dev dependency):
 * `npm run -s federation:compose [-- [--hub-url URL] [--supergraph FILE] [SDL_FILE[=URL] …]]`.
 * Composes the hub's subgraph SDL (built from the code) with the given partner subgraphs (default: the
 * example docs/federation/ausbildungsboerse.graphql), prints composition errors (exit 1) and hints, and
 * what the supergraph's API adds to or removes from the hub's own schema. `--supergraph` writes the
 * supergraph SDL for @apollo/gateway (`supergraphSdl`) or Apollo Router (`--supergraph`).
 */
const USAGE = [
  'usage: npm run -s federation:compose -- [--hub-url URL] [--supergraph FILE] [SDL_FILE[=URL] …]',
  '  SDL_FILE      a partner subgraph’s SDL; its name is the file name (default: the example',
  '                docs/federation/ausbildungsboerse.graphql); =URL is its GraphQL endpoint in the supergraph',
  '  --hub-url     the hub’s endpoint in the supergraph (default http://localhost:4000/graphql)',
  '  --supergraph  write the supergraph SDL to FILE',
].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { 'hub-url'?: string; supergraph?: string; help?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    options: {
      'hub-url': { type: 'string' },
      supergraph: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const EXAMPLE = fileURLToPath(new URL('../../../docs/federation/ausbildungsboerse.graphql', import.meta.url));
const partners = await Promise.all(
  (positionals.length > 0 ? positionals : [EXAMPLE]).map(async (argument) => {
    const [file, url] = splitOnce(argument, '=');
    const name = path.basename(file).replace(/\.(graphqls?|gql)$/, '');
    let typeDefs: DocumentNode;
    try {
      typeDefs = parse(await readFile(file, 'utf8'));
    } catch (error) {
      fail(`${file}: ${(error as Error).message}`);
    }
    return { name, file, typeDefs, url: url ?? `http://${name}.invalid/graphql` };
  }),
);

const hubSchema = await buildHubSchema();
const result = composeServices([
  {
    name: 'hub',
    typeDefs: parse(printHubSubgraphSdl(hubSchema)),
    url: values['hub-url'] ?? 'http://localhost:4000/graphql',
  },
  ...partners.map(({ name, typeDefs, url }) => ({ name, typeDefs, url })),
]);

const out = (line = '') => process.stdout.write(`${line}\n`);
out(
  `composing hub (subgraph SDL from the code) with ${partners.map((p) => `${p.name} (${p.file})`).join(', ')}`,
);
if (result.errors) {
  for (const error of result.errors) {
    const code = (error.extensions?.code as string | undefined) ?? 'ERROR';
    process.stderr.write(`error [${code}] ${error.message}\n`);
  }
  process.stderr.write(`composition failed: ${result.errors.length} error(s)\n`);
  process.exit(1);
}
out(`composition succeeded, ${result.hints.length} hint(s)`);
for (const hint of result.hints) out(`hint [${hint.definition.code}] ${hint.message}`);

out();
out('supergraph API compared with the hub’s own schema (+ added by other subgraphs, - not in the API):');
const changes = diffApi(hubSchema, result.schema.toAPISchema().toGraphQLJSSchema());
for (const line of changes) out(line);
if (changes.length === 0) out('  (no difference)');

if (values.supergraph) {
  await writeFile(values.supergraph, result.supergraphSdl);
  out();
  out(`wrote ${path.resolve(values.supergraph)}`);
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

/** Federation's own plumbing (`_service`, `_entities`, `_Any`, `link__…`): answered by subgraphs only. */
function isPlumbing(name: string): boolean {
  return name.startsWith('_') || name.includes('__');
}

/** Members of a type, each as `name: signature`, for a line-by-line comparison. */
function membersOf(type: GraphQLNamedType): Map<string, string> {
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    return new Map(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]));
  }
  if (isEnumType(type)) return new Map(type.getValues().map((v) => [v.name, 'enum value']));
  if (isUnionType(type)) return new Map(type.getTypes().map((t) => [t.name, 'member']));
  return new Map();
}

function diffApi(hub: GraphQLSchema, api: GraphQLSchema): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(hub.getTypeMap()), ...Object.keys(api.getTypeMap())])]
    .filter((name) => !isPlumbing(name))
    .sort();
  for (const name of names) {
    const before = hub.getType(name);
    const after = api.getType(name);
    if (!before) {
      lines.push(`+ type ${name}`);
      continue;
    }
    if (!after) {
      lines.push(`- type ${name}`);
      continue;
    }
    const was = membersOf(before);
    const is = membersOf(after);
    for (const member of [...new Set([...was.keys(), ...is.keys()])].sort()) {
      if (isPlumbing(member)) continue;
      const a = was.get(member);
      const b = is.get(member);
      if (a === undefined) lines.push(`+ ${name}.${member}: ${b}`);
      else if (b === undefined) lines.push(`- ${name}.${member}: ${a}`);
      else if (a !== b) lines.push(`~ ${name}.${member}: ${a} → ${b}`);
    }
  }
  return lines;
}
