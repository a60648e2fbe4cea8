/** The partner dashboard's main query: a page of offers with organisation, location, current period and rule. */
export const OFFERS_PAGE_QUERY = `query($n: Int!, $f: OfferFilter, $o: OfferOrder, $a: String) {
  offers(first: $n, after: $a, filter: $f, orderBy: $o) {
    totalCount
    pageInfo { endCursor }
    nodes {
      id title kind
      organisation { id name }
      location { district }
      currentCapacityPeriod { startsOn endsOn total available availability }
      eligibility { residenceStatuses minAge maxAge }
    }
  }
}`;

export const PAGE_SIZE = 50;
/** The "later page" variant continues after the cursor of this page. */
export const LATER_PAGE_AFTER = 5;

export interface Variables {
  n: number;
  f?: Record<string, unknown> | null;
  o?: { field: string; direction?: 'ASC' | 'DESC' } | null;
  a?: string | null;
}

export interface Variant {
  name: string;
  variables: Variables;
}

const TITLE = { field: 'TITLE', direction: 'ASC' } as const;

/** The fixed variants; the later-page one gets its cursor per dataset (see `laterPage`). */
export const VARIANTS: Variant[] = [
  { name: 'all, TITLE', variables: { n: PAGE_SIZE, f: null, o: TITLE } },
  {
    name: 'hasFreePlaces, START_DATE',
    variables: { n: PAGE_SIZE, f: { hasFreePlaces: true }, o: { field: 'START_DATE', direction: 'ASC' } },
  },
  {
    name: 'search "Ausbildung", RELEVANCE',
    variables: { n: PAGE_SIZE, f: { search: 'Ausbildung' }, o: { field: 'RELEVANCE', direction: 'DESC' } },
  },
  {
    name: 'eligibleFor DULDUNG/22/A2 + 3 districts, TITLE',
    variables: {
      n: PAGE_SIZE,
      f: {
        eligibleFor: { residenceStatus: 'DULDUNG', age: 22, germanLevel: 'A2' },
        districts: ['Opladen', 'Wiesdorf', 'Manfort'],
      },
      o: TITLE,
    },
  },
];

/** All offers by TITLE, continuing after the end cursor of page `page`. */
export function laterPage(page: number, cursor: string): Variant {
  return {
    name: `all, TITLE, page ${page + 1} (after page ${page})`,
    variables: { n: PAGE_SIZE, f: null, o: TITLE, a: cursor },
  };
}

/** Page 1 of all offers by TITLE: where the later-page variant starts walking. */
export const FIRST_PAGE: Variables = { n: PAGE_SIZE, f: null, o: TITLE };
