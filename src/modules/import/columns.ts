import { DULDUNG_STATUSES, GermanLevel, OfferKind, ResidenceStatus } from '../../domain/enums.js';
import { KIND_LABELS } from '../../domain/labels.js';

/**
 * The import template: German column headers as partners write them, the field each fills, and what
 * else a header may be called in their spreadsheets (compared case- and space-insensitively).
 */
export interface Column {
  field: ImportField;
  header: string;
  aliases: string[];
  required: boolean;
  example: string;
  hint: string;
}

export type ImportField =
  | 'externalKey'
  | 'title'
  | 'kind'
  | 'description'
  | 'location'
  | 'street'
  | 'postalCode'
  | 'city'
  | 'district'
  | 'languages'
  | 'germanLevel'
  | 'schedule'
  | 'startsOn'
  | 'endsOn'
  | 'total'
  | 'occupied'
  | 'audience'
  | 'minAge'
  | 'maxAge';

export const COLUMNS: readonly Column[] = [
  {
    field: 'externalKey',
    header: 'Externe ID',
    aliases: ['id', 'kennung', 'schlüssel', 'angebotsnummer', 'nr', 'nummer'],
    required: true,
    example: 'VHS-IK-2026-01',
    hint: 'Ihre eigene, gleichbleibende Kennung des Angebots: daran erkennt der Hub es beim nächsten Import wieder.',
  },
  {
    field: 'title',
    header: 'Titel',
    aliases: ['angebot', 'name', 'bezeichnung', 'kurs'],
    required: true,
    example: 'Integrationskurs mit Alphabetisierung',
    hint: 'Mindestens 3 Zeichen.',
  },
  {
    field: 'kind',
    header: 'Art',
    aliases: ['angebotsart', 'typ', 'kategorie'],
    required: true,
    example: 'Integrationskurs',
    hint: 'Eine der Arten aus der Liste (z. B. Integrationskurs, Berufssprachkurs, EQ, Ausbildung, Beratung).',
  },
  {
    field: 'description',
    header: 'Beschreibung',
    aliases: ['inhalt', 'text', 'details'],
    required: true,
    example: 'Deutsch von A1 bis B1, fünf Vormittage pro Woche.',
    hint: 'Freitext für Partner und Öffentlichkeit (keine personenbezogenen Daten).',
  },
  {
    field: 'location',
    header: 'Standort',
    aliases: ['ort des angebots', 'veranstaltungsort', 'einrichtung'],
    required: true,
    example: 'VHS Forum',
    hint: 'Name eines Standorts Ihrer Organisation; ein neuer Name legt den Standort mit Adresse an.',
  },
  {
    field: 'street',
    header: 'Straße',
    aliases: ['strasse', 'adresse'],
    required: false,
    example: 'Am Büchelter Hof 9',
    hint: 'Nur für neue Standorte.',
  },
  {
    field: 'postalCode',
    header: 'PLZ',
    aliases: ['postleitzahl'],
    required: false,
    example: '51373',
    hint: 'Nur für neue Standorte.',
  },
  {
    field: 'city',
    header: 'Ort',
    aliases: ['stadt'],
    required: false,
    example: 'Leverkusen',
    hint: 'Nur für neue Standorte.',
  },
  {
    field: 'district',
    header: 'Stadtteil',
    aliases: ['bezirk', 'quartier'],
    required: false,
    example: 'Wiesdorf',
    hint: 'Nur für neue Standorte.',
  },
  {
    field: 'languages',
    header: 'Sprachen',
    aliases: ['unterrichtssprache', 'sprache'],
    required: false,
    example: 'de, ar',
    hint: 'ISO-Kürzel, durch Komma getrennt (Standard: de).',
  },
  {
    field: 'germanLevel',
    header: 'Sprachniveau',
    aliases: ['deutschniveau', 'deutschkenntnisse', 'niveau'],
    required: false,
    example: 'A1',
    hint: 'Nötige Deutschkenntnisse: A0 (keine) bis C2.',
  },
  {
    field: 'schedule',
    header: 'Zeiten',
    aliases: ['zeitplan', 'termine', 'uhrzeit'],
    required: false,
    example: 'Mo–Fr 8:30–12:45',
    hint: 'Freitext.',
  },
  {
    field: 'startsOn',
    header: 'Beginn',
    aliases: ['start', 'von', 'startdatum', 'beginn am'],
    required: false,
    example: '01.09.2026',
    hint: 'Datum als TT.MM.JJJJ (oder JJJJ-MM-TT). Mit Beginn, Ende und Plätzen entsteht ein Zeitraum.',
  },
  {
    field: 'endsOn',
    header: 'Ende',
    aliases: ['bis', 'enddatum', 'ende am'],
    required: false,
    example: '28.02.2027',
    hint: 'Datum als TT.MM.JJJJ.',
  },
  {
    field: 'total',
    header: 'Plätze gesamt',
    aliases: ['plätze', 'plaetze gesamt', 'kapazität', 'kapazitaet', 'platzzahl'],
    required: false,
    example: '20',
    hint: 'Ganze Zahl ab 0.',
  },
  {
    field: 'occupied',
    header: 'Plätze belegt',
    aliases: ['belegt', 'plaetze belegt', 'belegte plätze'],
    required: false,
    example: '12',
    hint: 'Von Ihnen außerhalb des Hubs belegte Plätze; Reservierungen im Hub zählen zusätzlich.',
  },
  {
    field: 'audience',
    header: 'Zielgruppe',
    aliases: ['aufenthaltsstatus', 'zugang', 'zugelassen'],
    required: false,
    example: 'Gestattung, Duldung, Ausbildungsduldung',
    hint: 'Wer teilnehmen darf (Aufenthaltsstatus, durch Komma getrennt): z. B. Gestattung, Duldung, Ausbildungsduldung, Beschäftigungsduldung, § 60b, Chancen-Aufenthaltsrecht, § 25a, § 16g, Aufenthaltserlaubnis, Niederlassungserlaubnis; „alle“ oder „geduldet“ (alle Duldungen). Mit „Alter von/bis“ wird daraus die Zugangsregel des Angebots.',
  },
  {
    field: 'minAge',
    header: 'Alter von',
    aliases: ['mindestalter', 'ab alter'],
    required: false,
    example: '18',
    hint: 'Standard 18.',
  },
  {
    field: 'maxAge',
    header: 'Alter bis',
    aliases: ['höchstalter', 'hoechstalter', 'bis alter'],
    required: false,
    example: '27',
    hint: 'Standard 27.',
  },
];

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s_*:.-]+/g, ' ')
    .trim();

const byName = new Map<string, ImportField>();
for (const column of COLUMNS)
  for (const name of [column.header, column.field, ...column.aliases])
    byName.set(normalise(name), column.field);

/** The field a header cell names, if any. */
export const fieldOfHeader = (text: string): ImportField | undefined => byName.get(normalise(text));

const kindByName = new Map<string, OfferKind>();
for (const [kind, label] of Object.entries(KIND_LABELS) as [OfferKind, string][]) {
  for (const name of [kind, label, label.replace(/\s*\(.*\)/, '')]) kindByName.set(normalise(name), kind);
}
kindByName.set('eq', OfferKind.EQ);
kindByName.set('bsk', OfferKind.JOB_LANGUAGE_COURSE);
kindByName.set('berufsbezogener sprachkurs', OfferKind.JOB_LANGUAGE_COURSE);
kindByName.set('asa', OfferKind.ASSISTED_TRAINING);
kindByName.set('bvb', OfferKind.PREPARATION);

export const parseKind = (text: string) => kindByName.get(normalise(text));

const STATUS_NAMES: Record<string, ResidenceStatus[]> = {
  alle: Object.values(ResidenceStatus),
  geduldet: [...DULDUNG_STATUSES],
  'alle duldungen': [...DULDUNG_STATUSES],
  gestattung: [ResidenceStatus.GESTATTUNG],
  aufenthaltsgestattung: [ResidenceStatus.GESTATTUNG],
  duldung: [ResidenceStatus.DULDUNG],
  ausbildungsduldung: [ResidenceStatus.DULDUNG_AUSBILDUNG],
  '§ 60c': [ResidenceStatus.DULDUNG_AUSBILDUNG],
  beschäftigungsduldung: [ResidenceStatus.DULDUNG_BESCHAEFTIGUNG],
  '§ 60d': [ResidenceStatus.DULDUNG_BESCHAEFTIGUNG],
  '§ 60b': [ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET],
  'chancen aufenthaltsrecht': [ResidenceStatus.AE_CHANCEN],
  '§ 104c': [ResidenceStatus.AE_CHANCEN],
  '§ 25a': [ResidenceStatus.AE_GUT_INTEGRIERT],
  '§ 16g': [ResidenceStatus.AE_AUSBILDUNG],
  aufenthaltserlaubnis: [ResidenceStatus.AE_OTHER],
  niederlassungserlaubnis: [ResidenceStatus.NIEDERLASSUNG],
  unbekannt: [ResidenceStatus.UNKNOWN],
};
for (const status of Object.values(ResidenceStatus)) STATUS_NAMES[normalise(status)] = [status];

/** "Gestattung, Duldung" → statuses; undefined names the first part that is not one. */
export function parseStatuses(text: string): { statuses: ResidenceStatus[]; unknown?: string } {
  const statuses = new Set<ResidenceStatus>();
  for (const part of text.split(/[,;/]+/)) {
    const name = normalise(part.replace(/aufenthg|asylg/gi, ''));
    if (!name) continue;
    const found = STATUS_NAMES[name];
    if (!found) return { statuses: [], unknown: part.trim() };
    for (const s of found) statuses.add(s);
  }
  return { statuses: [...statuses].sort() };
}

export const parseGermanLevel = (text: string): GermanLevel | undefined => {
  const level = text.trim().toUpperCase();
  return (Object.values(GermanLevel) as string[]).includes(level) ? (level as GermanLevel) : undefined;
};

/** 31.08.2026, 31.8.26, 2026-08-31 → 2026-08-31; anything else (or an impossible day) → undefined. */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim();
  let y: number;
  let m: number;
  let d: number;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(trimmed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(trimmed);
  if (german) {
    d = Number(german[1]);
    m = Number(german[2]);
    y = Number(german[3].length === 2 ? `20${german[3]}` : german[3]);
  } else if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  if (y < 2000 || y > 2100) return undefined;
  return date.toISOString().slice(0, 10);
}

/** German or plain whole numbers: "1.200", "1200", "20,0", "20". Fractions and text → undefined. */
export function parseCount(text: string): number | undefined {
  const compact = text.trim().replace(/\s/g, '');
  if (!/^\d{1,3}(\.\d{3})*(,0+)?$|^\d+(,0+|\.0+)?$/.test(compact)) return undefined;
  const value = Number(compact.replace(/,0+$/, '').replace(/\.0+$/, '').replace(/\./g, ''));
  return Number.isSafeInteger(value) && value <= 100_000 ? value : undefined;
}
