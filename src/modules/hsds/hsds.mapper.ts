import { createHash } from 'node:crypto';
import { KIND_LABELS } from '../../domain/labels.js';
import type { OfferNode } from './hsds.query.js';
import { capacityText, eligibilityText, feesText, languageName } from './hsds.texts.js';

/**
 * GraphQL offer → HSDS 3.0 service (capacities: HSDS 3.1's `service_capacity` objects). Services,
 * organisations, locations and capacity periods keep the hub's global ids, so an importer can ask the
 * GraphQL API about the same object. Child rows the hub has no id for (languages, addresses, …) get
 * name-based ids: the same row gets the same id in every export, which importers use to update in place.
 */

/** HSDS wants one unit object per capacity; places are the only unit the hub counts. */
const PLACES_UNIT = { id: derivedId('unit', 'places'), name: 'Plätze' };

export function toHsdsService(offer: OfferNode, now: Date) {
  const { organisation: org, location: loc, eligibility: rule, currentCapacityPeriod: period } = offer;
  return {
    id: offer.id,
    name: offer.title,
    description: offer.description,
    status: offer.active ? 'active' : 'inactive',
    fees_description: feesText(offer.costCents),
    eligibility_description: eligibilityText(offer),
    minimum_age: rule?.minAge,
    maximum_age: rule?.maxAge,
    organization: {
      id: org.id,
      name: org.name,
      // Required by HSDS; an empty text says "none given" without inventing one.
      description: org.description ?? '',
      website: org.website ?? undefined,
    },
    service_at_locations: [
      {
        id: derivedId(offer.id, 'service_at_location', loc.id),
        location: {
          id: loc.id,
          name: loc.name,
          location_type: 'physical',
          addresses: [
            {
              id: derivedId(loc.id, 'address'),
              address_1: loc.street,
              city: loc.city,
              region: loc.district,
              postal_code: loc.postalCode,
              country: 'DE',
              address_type: 'physical',
            },
          ],
          accessibility: accessibilityOf(loc),
        },
      },
    ],
    languages: offer.languages.map((code) => ({
      id: derivedId(offer.id, 'language', code),
      name: languageName(code),
      code,
    })),
    // The kind of offer as an HSDS attribute, so an HSDS file can be imported back (import/read-table.ts).
    attributes: [
      {
        id: derivedId(offer.id, 'attribute', 'kind'),
        link_id: offer.id,
        link_type: 'service',
        link_entity: 'service',
        value: offer.kind,
        label: 'kind',
        taxonomy_term: {
          id: derivedId('taxonomy_term', 'kind', offer.kind),
          code: offer.kind,
          term: KIND_LABELS[offer.kind],
          vocabulary: 'buendnis-hub-offer-kind',
        },
      },
    ],
    schedules: offer.schedule ? [{ id: derivedId(offer.id, 'schedule'), description: offer.schedule }] : [],
    cost_options: [
      {
        id: derivedId(offer.id, 'cost_option'),
        currency: 'EUR',
        amount: offer.costCents / 100,
        amount_description: feesText(offer.costCents),
      },
    ],
    capacities: period
      ? [
          {
            id: period.id,
            unit: PLACES_UNIT,
            // Numbers only where the policy let GraphQL return them; everyone else reads the band.
            available: period.available ?? undefined,
            maximum: period.total ?? undefined,
            description: capacityText(period),
            // Free places are computed at read time (holds expire), so they are current as of now.
            updated: now.toISOString(),
          },
        ]
      : [],
  };
}

export type HsdsService = ReturnType<typeof toHsdsService>;

function accessibilityOf(loc: OfferNode['location']) {
  if (!loc.wheelchairAccessible && !loc.accessibilityNote) return [];
  return [
    {
      id: derivedId(loc.id, 'accessibility'),
      description: loc.wheelchairAccessible ? 'Rollstuhlgerecht zugänglich' : loc.accessibilityNote!,
      details: loc.wheelchairAccessible ? (loc.accessibilityNote ?? undefined) : undefined,
    },
  ];
}

/** A name-based UUID (version 5 layout over SHA-1), so HSDS child ids are valid UUIDs and stable. */
function derivedId(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(['buendnis-hub/hsds', ...parts].join('\u0000'))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface HsdsPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: HsdsService[];
}

export function toHsdsPage(
  nodes: OfferNode[],
  totalCount: number,
  page: number,
  perPage: number,
  now: Date,
): HsdsPage {
  const totalPages = Math.ceil(totalCount / perPage);
  return {
    total_items: totalCount,
    total_pages: totalPages,
    page_number: page,
    // HSDS defines `size` as the number of entities in this page, not the requested page size.
    size: nodes.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: nodes.length === 0,
    contents: nodes.map((offer) => toHsdsService(offer, now)),
  };
}
