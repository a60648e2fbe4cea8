import { GERMAN_LEVEL_LABELS, OFFER_KINDS, RESIDENCE_STATUSES } from '../shared/labels';

/**
 * What the list shows: the filter form and the order, kept in the address (?suche=…&art=…&sortierung=…)
 * so that a reload keeps them, a link can be shared, and back/forward step through earlier lists.
 */
export interface FilterForm {
  search: string;
  kind: string;
  district: string;
  organisationId: string;
  residenceStatus: string;
  age: string;
  germanLevel: string;
  freeOnly: boolean;
}

export const EMPTY_FORM: FilterForm = {
  search: '',
  kind: '',
  district: '',
  organisationId: '',
  residenceStatus: '',
  age: '',
  germanLevel: '',
  freeOnly: false,
};

/** The orders the hub offers (`OfferOrder`), by their German names; '' is the hub's default. */
export const ORDERS: Record<string, { label: string; field?: string; direction?: 'ASC' | 'DESC' }> = {
  '': { label: 'Standard (bei Suche nach Relevanz, sonst nach Titel)' },
  relevanz: { label: 'Relevanz (beste Treffer zuerst)', field: 'RELEVANCE', direction: 'DESC' },
  titel: { label: 'Titel (A–Z)', field: 'TITLE', direction: 'ASC' },
  'titel-absteigend': { label: 'Titel (Z–A)', field: 'TITLE', direction: 'DESC' },
  beginn: { label: 'Beginn (früheste zuerst)', field: 'START_DATE', direction: 'ASC' },
  'beginn-absteigend': { label: 'Beginn (späteste zuerst)', field: 'START_DATE', direction: 'DESC' },
  'frei-absteigend': { label: 'Freie Plätze (meiste zuerst)', field: 'FREE_PLACES', direction: 'DESC' },
  frei: { label: 'Freie Plätze (wenigste zuerst)', field: 'FREE_PLACES', direction: 'ASC' },
};

export interface ListState {
  form: FilterForm;
  order: string;
}

const PARAMS: Record<Exclude<keyof FilterForm, 'freeOnly'>, string> = {
  search: 'suche',
  kind: 'art',
  district: 'stadtteil',
  organisationId: 'traeger',
  residenceStatus: 'status',
  age: 'alter',
  germanLevel: 'deutsch',
};

/** The state an address describes; unknown or malformed values are left out, not guessed. */
export function fromSearch(search: string): ListState {
  const params = new URLSearchParams(search);
  const form: FilterForm = { ...EMPTY_FORM };
  for (const [key, name] of Object.entries(PARAMS) as [keyof typeof PARAMS, string][]) {
    form[key] = params.get(name)?.slice(0, 200) ?? '';
  }
  if (form.kind && !(form.kind in OFFER_KINDS)) form.kind = '';
  if (form.residenceStatus && !(form.residenceStatus in RESIDENCE_STATUSES)) form.residenceStatus = '';
  if (form.germanLevel && !(form.germanLevel in GERMAN_LEVEL_LABELS)) form.germanLevel = '';
  if (form.age && !/^\d{1,2}$/.test(form.age)) form.age = '';
  form.freeOnly = params.get('frei') === 'ja';
  let order = params.get('sortierung') ?? '';
  if (!(order in ORDERS) || (order === 'relevanz' && !form.search.trim())) order = '';
  return { form, order };
}

export function toSearch({ form, order }: ListState): string {
  const params = new URLSearchParams();
  for (const [key, name] of Object.entries(PARAMS) as [keyof typeof PARAMS, string][]) {
    const value = form[key].trim();
    if (value) params.set(name, value);
  }
  if (form.freeOnly) params.set('frei', 'ja');
  if (order) params.set('sortierung', order);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The form as the hub's OfferFilter (the same filter for the list, the live subscriptions and exports). */
export function toFilter(form: FilterForm): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (form.search.trim()) filter.search = form.search.trim();
  if (form.kind) filter.kinds = [form.kind];
  if (form.district) filter.districts = [form.district];
  if (form.organisationId) filter.organisationIds = [form.organisationId];
  if (form.freeOnly) filter.hasFreePlaces = true;
  if (form.residenceStatus && form.age && form.germanLevel) {
    filter.eligibleFor = {
      residenceStatus: form.residenceStatus,
      age: Number(form.age),
      germanLevel: form.germanLevel,
    };
  }
  return filter;
}

export function toOrderBy(order: string): { field: string; direction: string } | null {
  const chosen = ORDERS[order];
  return chosen?.field ? { field: chosen.field, direction: chosen.direction ?? 'ASC' } : null;
}

/** Only all three together describe a person; a partial profile is pointed out, not silently ignored. */
export const profileIncomplete = (form: FilterForm) => {
  const given = [form.residenceStatus, form.age, form.germanLevel].filter(Boolean).length;
  return given > 0 && given < 3;
};

/** One criterion of the list, named as the form names it, and the form without it. */
export interface Criterion {
  key: string;
  label: string;
  without: FilterForm;
}

/** The criteria in force (those that narrow the list), for "which one excluded everything". */
export function criteriaOf(form: FilterForm, organisationName: (id: string) => string): Criterion[] {
  const list: Criterion[] = [];
  const search = form.search.trim();
  if (search) list.push({ key: 'search', label: `Suche „${search}“`, without: { ...form, search: '' } });
  if (form.kind)
    list.push({
      key: 'kind',
      label: `Angebotsart: ${OFFER_KINDS[form.kind] ?? form.kind}`,
      without: { ...form, kind: '' },
    });
  if (form.district)
    list.push({ key: 'district', label: `Stadtteil: ${form.district}`, without: { ...form, district: '' } });
  if (form.organisationId)
    list.push({
      key: 'organisation',
      label: `Träger: ${organisationName(form.organisationId)}`,
      without: { ...form, organisationId: '' },
    });
  if (form.residenceStatus && form.age && form.germanLevel)
    list.push({
      key: 'profile',
      label: `Passt zu einer Person (${RESIDENCE_STATUSES[form.residenceStatus] ?? form.residenceStatus}, ${form.age} Jahre, Deutsch ${form.germanLevel})`,
      without: { ...form, residenceStatus: '', age: '', germanLevel: '' },
    });
  if (form.freeOnly)
    list.push({
      key: 'free',
      label: 'Nur Angebote mit freien Plätzen',
      without: { ...form, freeOnly: false },
    });
  return list;
}
