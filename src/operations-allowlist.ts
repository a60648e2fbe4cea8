import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode, HubError } from './errors.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Allow-list mode (OPERATIONS_ALLOWLIST=path): a JSON object `{ "<sha256 of the document>": "<document>" }`,
 * the hashes Apollo's automatic persisted queries use. Only these documents run: by hash
 * (`extensions.persistedQuery.sha256Hash`, the document may be left out) or by exactly this text.
 */
export class OperationsAllowlist {
  private readonly documents: ReadonlyMap<string, string>;

  private constructor(documents: Map<string, string>) {
    this.documents = documents;
  }

  /** Reads and checks the file; a wrong file stops the hub at start with a clear message. */
  static load(path: string): OperationsAllowlist {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(
        `OPERATIONS_ALLOWLIST: cannot read ${path} as JSON (${error instanceof Error ? error.message : error})`,
      );
    }
    return OperationsAllowlist.from(parsed, path);
  }

  static from(parsed: unknown, origin = 'the allow-list'): OperationsAllowlist {
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`OPERATIONS_ALLOWLIST: ${origin} must be a JSON object { "<sha256>": "<document>" }`);
    }
    const documents = new Map<string, string>();
    for (const [hash, document] of Object.entries(parsed)) {
      if (typeof document !== 'string' || document.trim() === '') {
        throw new Error(`OPERATIONS_ALLOWLIST: the entry ${hash} in ${origin} is not a GraphQL document`);
      }
      const actual = sha256(document);
      if (hash.toLowerCase() !== actual) {
        throw new Error(
          `OPERATIONS_ALLOWLIST: the key ${hash} in ${origin} is not the SHA-256 of its document (${actual})`,
        );
      }
      documents.set(actual, document);
    }
    return new OperationsAllowlist(documents);
  }

  get size(): number {
    return this.documents.size;
  }

  has(hash: string): boolean {
    return this.documents.has(hash.toLowerCase());
  }

  documentOf(hash: string): string | undefined {
    return this.documents.get(hash.toLowerCase());
  }

  /** Operation names on the list (bounded metric labels). */
  operationNames(): Set<string> {
    const names = new Set<string>();
    for (const document of this.documents.values()) {
      for (const match of document.matchAll(
        /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g,
      )) {
        names.add(match[1]!);
      }
    }
    return names;
  }

  /**
   * The document to run for a request, or the error: an unknown hash is PERSISTED_QUERY_NOT_FOUND (as
   * Apollo clients expect), a document that is not on the list is FORBIDDEN.
   */
  resolve(query: string | undefined, hash: string | undefined): string {
    if (query !== undefined) {
      // With the text, the text decides (a hash that does not match it is not trusted).
      if (
        !this.documents.has(sha256(query)) ||
        (hash !== undefined && hash.toLowerCase() !== sha256(query))
      ) {
        throw notAllowed();
      }
      return query;
    }
    const document = hash === undefined ? undefined : this.documentOf(hash);
    if (document === undefined) {
      throw new HubError(
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        'This operation is not on the hub’s allow-list (unknown sha256Hash).',
        { http: { status: 400 } },
      );
    }
    return document;
  }

  /**
   * A read-only cache for Apollo's persisted queries holding exactly the allowed documents, so requests
   * that send only the hash run; nothing a client sends is ever stored.
   */
  asPersistedQueryCache() {
    return {
      // Apollo prefixes its persisted-query keys ("apq:<hash>").
      get: async (key: string) => this.documentOf(key.replace(/^apq:/, '')),
      set: async () => undefined,
      delete: async () => undefined,
    };
  }
}

const notAllowed = () =>
  new HubError(
    ErrorCode.FORBIDDEN,
    'This hub runs only allow-listed operations (OPERATIONS_ALLOWLIST); this document is not on the list.',
    { reason: 'OPERATION_NOT_ALLOWED', http: { status: 403 } },
  );
