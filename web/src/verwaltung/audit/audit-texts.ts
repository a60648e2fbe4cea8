import { formatDate, GERMAN_LEVEL_LABELS, OFFER_KINDS } from '../../shared/labels';

/** The trail's actions as German sentences (the hub's names: entity.verb). */
const ACTIONS: Record<string, string> = {
  'offer.created': 'Angebot angelegt',
  'offer.updated': 'Angebot geändert',
  'offer.archived': 'Angebot archiviert',
  'offer.eligibility_rule_set': 'Neue Version der Zugangsregel',
  'offer.imported': 'Angebot importiert',
  'location.created': 'Standort angelegt',
  'location.updated': 'Standort geändert',
  'location.archived': 'Standort archiviert',
  'capacity_period.created': 'Zeitraum angelegt',
  'capacity_period.updated': 'Zeitraum geändert',
  'capacity_period.total_set': 'Plätze gesamt gesetzt',
  'capacity_period.imported': 'Plätze importiert',
  'reservation.held': 'Platz reserviert',
  'reservation.confirmed': 'Reservierung bestätigt',
  'reservation.released': 'Platz freigegeben',
  'reservation.expired': 'Reservierung abgelaufen',
  'reservation.offered_from_waiting_list': 'Platz der Warteliste angeboten',
  'waiting_list.joined': 'Auf die Warteliste gesetzt',
  'sharing_grant.created': 'Freigabe erteilt',
  'sharing_grant.revoked': 'Freigabe widerrufen',
};

export const actionText = (action: string) => ACTIONS[action] ?? action;

/** German names of the fields the trail shows before/after of. */
const FIELDS: Record<string, string> = {
  title: 'Titel',
  description: 'Beschreibung',
  kind: 'Art',
  languages: 'Sprachen',
  requiredGermanLevel: 'Deutschniveau',
  schedule: 'Zeiten',
  costCents: 'Kosten (Cent)',
  costPerPlaceCents: 'Kosten pro Platz (Cent)',
  internalNotes: 'Interne Notiz',
  fundingProgramme: 'Förderprogramm',
  autoOfferFromWaitingList: 'Warteliste automatisch',
  active: 'aktiv',
  location: 'Standort',
  total: 'Plätze gesamt',
  occupied: 'belegt',
  reserved: 'reserviert',
  available: 'frei',
  status: 'Status',
  name: 'Name',
  street: 'Straße',
  postalCode: 'PLZ',
  city: 'Ort',
  district: 'Stadtteil',
  wheelchairAccessible: 'rollstuhlgerecht',
  accessibilityNote: 'Hinweis Barrierefreiheit',
  fieldGroup: 'Feldgruppe',
  audience: 'für',
  audienceOrganisationId: 'Partnerorganisation',
  validFrom: 'gültig ab',
  validTo: 'gültig bis',
  startsOn: 'Beginn',
  endsOn: 'Ende',
  label: 'Bezeichnung',
  version: 'Version',
  minAge: 'Mindestalter',
  maxAge: 'Höchstalter',
  residenceStatuses: 'Aufenthaltsstatus',
  minGermanLevel: 'Deutsch mindestens',
  legalBasisNote: 'Rechtsgrundlage',
};

export const fieldText = (key: string) => FIELDS[key] ?? key;

export function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(leer)';
  if (value === '[restricted]') return 'nicht freigegeben';
  if (typeof value === 'boolean') return value ? 'ja' : 'nein';
  if (key === 'kind' && typeof value === 'string') return OFFER_KINDS[value] ?? value;
  if (/GermanLevel$/i.test(key) && typeof value === 'string') return GERMAN_LEVEL_LABELS[value] ?? value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (Array.isArray(value)) return value.map((v) => valueText(key, v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The entry's details as "field: before → after" lines, and other facts as "field: value". */
export function detailLines(details: Record<string, unknown> | null): string[] {
  if (!details) return [];
  const { before, after, ...rest } = details as {
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
  } & Record<string, unknown>;
  const lines: string[] = [];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const had = before && key in before;
    const has = after && key in after;
    if (had && has)
      lines.push(`${fieldText(key)}: ${valueText(key, before[key])} → ${valueText(key, after[key])}`);
    else if (has) lines.push(`${fieldText(key)}: ${valueText(key, after![key])}`);
    else lines.push(`${fieldText(key)}: ${valueText(key, before![key])} (entfernt)`);
  }
  for (const [key, value] of Object.entries(rest)) lines.push(`${fieldText(key)}: ${valueText(key, value)}`);
  return lines;
}
