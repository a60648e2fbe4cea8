import { UUID } from '../domain/ids.js';
import type { Ref } from '../domain/ref.js';
import { badInput } from '../errors.js';

/**
 * Relay global ids: base64url("Type:uuid"). Opaque to clients, unique across types, and decodable
 * without a database round trip.
 */
export const NODE_TYPES = [
  'Organisation',
  'Location',
  'Offer',
  'CapacityPeriod',
  'Reservation',
  'WaitingListEntry',
  'Case',
  'SharingGrant',
] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/**
 * Encoded ids by type, as a page answers hundreds of them and asks for the same ones again (a Map lookup
 * is ~15× cheaper than a Buffer round trip). A generation is dropped whole when it grows past the bound,
 * so memory stays flat however many rows are read.
 */
const ENCODED_PER_TYPE = 20_000;
const encoded = new Map<NodeTypeName, Map<string, string>>();

export function toGlobalId(type: NodeTypeName, id: string): string {
  let ofType = encoded.get(type);
  if (!ofType) {
    ofType = new Map();
    encoded.set(type, ofType);
  }
  let globalId = ofType.get(id);
  if (globalId === undefined) {
    globalId = Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
    if (ofType.size >= ENCODED_PER_TYPE) ofType.clear();
    ofType.set(id, globalId);
  }
  return globalId;
}

/**
 * The SQL twin of toGlobalId for a uuid column, as a JSON string literal ('"…"'): base64url without
 * padding of "Type:uuid", with PostgreSQL's text of a uuid (lower case, as toGlobalId is given it).
 * The whole groups of three bytes of "Type:" are encoded here, once; PostgreSQL encodes the rest.
 * Where nothing of the prefix is left over, that rest is the uuid's text alone: its characters (hex
 * digits, '-') never make base64's '+' or '/', and 36 bytes need no padding, so `encode` alone answers.
 * Otherwise at most 38 bytes: no line break from `encode` (it breaks at 76 characters), then the base64url
 * alphabet and no padding. `column` is SQL text from code (an alias and a column name), never from a request.
 */
export function globalIdJsonSql(type: NodeTypeName, column: string): string {
  const prefix = `${type}:`;
  const whole = prefix.length - (prefix.length % 3);
  const head = Buffer.from(prefix.slice(0, whole), 'utf8').toString('base64url');
  const rest = prefix.slice(whole);
  if (!rest) return `('"${head}' || encode(${column}::text::bytea, 'base64') || '"')`;
  return `('"${head}' || rtrim(translate(encode(('${rest}' || ${column}::text)::bytea, 'base64'), '+/', '-_'), '=') || '"')`;
}

export function fromGlobalId(globalId: string, argument = 'id'): { type: NodeTypeName; id: string } {
  const decoded = globalId.length <= 200 ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const type = decoded.slice(0, separator) as NodeTypeName;
  const id = decoded.slice(separator + 1);
  if (separator < 0 || !NODE_TYPES.includes(type) || !UUID.test(id)) {
    throw badInput(`"${globalId.slice(0, 100)}" is not a valid global id.`, { argument });
  }
  return { type, id: id.toLowerCase() };
}

/** Decodes a global id that must name the given type. */
export function fromGlobalIdOf(expected: NodeTypeName, globalId: string, argument = 'id'): string {
  const { type, id } = fromGlobalId(globalId, argument);
  if (type !== expected)
    throw badInput(`The id given for "${argument}" is a ${type} id, not a ${expected} id.`, { argument });
  return id;
}

/** Decodes a global id of the given type for a service, keeping the text the client sent (its NOT_FOUND). */
export function refOf(expected: NodeTypeName, globalId: string, argument = 'id'): Ref {
  return { id: fromGlobalIdOf(expected, globalId, argument), sent: globalId };
}
