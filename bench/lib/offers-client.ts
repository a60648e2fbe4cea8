import { OFFERS_PAGE_QUERY, type Variables } from './offers-variants.js';

export interface OffersPage {
  totalCount: number;
  pageInfo: { endCursor: string | null };
  nodes: unknown[];
}

interface Response {
  data?: { offers?: OffersPage } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { redactions?: unknown };
}

export interface Timed {
  page: OffersPage;
  ms: number;
  statements: number;
  redactions: boolean;
}

/**
 * Sends the offers query over HTTP to a hub in this process and reports the wall time (request sent →
 * JSON parsed) and the SQL statements the hub ran meanwhile (requests are strictly sequential, so every
 * statement counted belongs to this request).
 */
export class OffersClient {
  constructor(
    private readonly graphqlUrl: string,
    private readonly token: string,
    private readonly sql: { count: number },
  ) {}

  async run(variables: Variables): Promise<Timed> {
    this.sql.count = 0;
    const started = performance.now();
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${this.token}`,
      },
      body: JSON.stringify({ query: OFFERS_PAGE_QUERY, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as Response;
    const ms = performance.now() - started;
    const statements = this.sql.count;
    if (body.errors?.length || !body.data?.offers) {
      const detail = JSON.stringify(body.errors ?? body).slice(0, 600);
      throw new Error(`the offers query failed (HTTP ${response.status}): ${detail}`);
    }
    return { page: body.data.offers, ms, statements, redactions: body.extensions?.redactions !== undefined };
  }
}
