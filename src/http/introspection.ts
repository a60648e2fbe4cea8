import { type DocumentNode, Kind, type SelectionSetNode } from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import { ErrorCode, HubError } from '../errors.js';
import type { IntrospectionMode } from '../hardening.config.js';

/** Fields that reveal the schema: introspection, and federation's `_service { sdl }` for gateways. */
const SCHEMA_FIELDS = new Set(['__schema', '__type', '_service']);

/**
 * INTROSPECTION=all: everyone may read the schema; partners: signed-in accounts only (the production
 * default — partners' tools and gateways use tokens, the public gets no map of the API); off: nobody.
 * `__typename` is always allowed (clients need it for every union and interface).
 */
export function checkIntrospection(document: DocumentNode, viewer: Viewer, mode: IntrospectionMode): void {
  if (mode === 'all') return;
  if (mode === 'partners' && viewer.kind === 'account') return;
  if (!asksForSchema(document)) return;
  throw new HubError(
    ErrorCode.FORBIDDEN,
    mode === 'off'
      ? 'Introspection is turned off on this hub (INTROSPECTION=off).'
      : 'Introspection and _service are for signed-in partners on this hub: send a token.',
    // Thrown before execution, Apollo would answer 500 without an explicit status.
    { http: { status: 403 } },
  );
}

/** Documents are parsed once and reused (Apollo's document cache): the walk is done once per document. */
const schemaAsked = new WeakMap<DocumentNode, boolean>();

function asksForSchema(document: DocumentNode): boolean {
  let asked = schemaAsked.get(document);
  if (asked === undefined) {
    asked = walksToSchema(document);
    schemaAsked.set(document, asked);
  }
  return asked;
}

function walksToSchema(document: DocumentNode): boolean {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (SCHEMA_FIELDS.has(selection.name.value) || visit(selection.selectionSet)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (visit(selection.selectionSet)) return true;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        if (visit(fragments.get(selection.name.value)?.selectionSet)) return true;
      }
    }
    return false;
  };
  return document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && visit(d.selectionSet));
}
