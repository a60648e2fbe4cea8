import { type DocumentNode, type GraphQLSchema, parse, validate } from 'graphql';
import type { GermanLevel, OfferKind, ResidenceStatus } from '../../domain/enums.js';
import type { AvailabilityBand } from '../../graphql/enums.js';

/**
 * The HSDS export reads through the hub's own GraphQL schema, so the one permission policy decides
 * what a caller sees: `total`/`available` come back null (redacted) for the public, numbers for partners.
 */

const SERVICE_FIELDS = /* GraphQL */ `
  fragment HsdsService on Offer {
    id
    active
    title
    kind
    description
    languages
    requiredGermanLevel
    schedule
    costCents
    organisation { id name description website }
    location { id name street postalCode city district wheelchairAccessible accessibilityNote }
    eligibility { residenceStatuses minAge maxAge minGermanLevel legalBasisNote }
    currentCapacityPeriod { id label startsOn endsOn availability total available }
  }
`;

/** One HSDS page: the offers after a cursor, in the connection's default order (TITLE, or RELEVANCE with a search). */
export const SERVICES_PAGE = parse(/* GraphQL */ `
  query HsdsServices($first: Int!, $after: String, $filter: OfferFilter) {
    offers(first: $first, after: $after, filter: $filter) { totalCount nodes { ...HsdsService } }
  }
  ${SERVICE_FIELDS}
`);

/** Only moves the cursor forward: Relay connections have no offset argument. */
export const SERVICES_SKIP = parse(/* GraphQL */ `
  query HsdsSkip($first: Int!, $after: String, $filter: OfferFilter) {
    offers(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } }
  }
`);

export const SERVICE_BY_ID = parse(/* GraphQL */ `
  query HsdsService($id: ID!) { offer(id: $id) { ...HsdsService } }
  ${SERVICE_FIELDS}
`);

/**
 * `execute` trusts its document; validating once at start turns a renamed field in the schema into a
 * start-up failure instead of silently missing data in the export.
 */
export function assertDocumentsValid(schema: GraphQLSchema): void {
  const documents: Record<string, DocumentNode> = { SERVICES_PAGE, SERVICES_SKIP, SERVICE_BY_ID };
  for (const [name, document] of Object.entries(documents)) {
    const errors = validate(schema, document);
    if (errors.length > 0) {
      throw new Error(
        `HSDS query ${name} does not fit the schema: ${errors.map((e) => e.message).join('; ')}`,
      );
    }
  }
}

export interface OfferNode {
  id: string;
  active: boolean;
  title: string;
  kind: OfferKind;
  description: string;
  languages: string[];
  requiredGermanLevel: GermanLevel;
  schedule: string | null;
  costCents: number;
  organisation: { id: string; name: string; description: string | null; website: string | null };
  location: {
    id: string;
    name: string;
    street: string;
    postalCode: string;
    city: string;
    district: string;
    wheelchairAccessible: boolean;
    accessibilityNote: string | null;
  };
  eligibility: {
    residenceStatuses: ResidenceStatus[];
    minAge: number;
    maxAge: number;
    minGermanLevel: GermanLevel | null;
    legalBasisNote: string | null;
  } | null;
  currentCapacityPeriod: {
    id: string;
    label: string | null;
    startsOn: string;
    endsOn: string;
    availability: AvailabilityBand;
    /** Null when the policy redacts it for this viewer. */
    total: number | null;
    available: number | null;
  } | null;
}

export interface ServicesPageData {
  offers: { totalCount: number; nodes: OfferNode[] };
}

export interface ServicesSkipData {
  offers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export interface ServiceByIdData {
  offer: OfferNode | null;
}
