import { GermanLevel, OfferKind } from '../../domain/enums.js';

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
  | 'occupied';

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

export const KIND_LABELS: Record<OfferKind, string> = {
  INTEGRATION_COURSE: 'Integrationskurs',
  JOB_LANGUAGE_COURSE: 'Berufssprachkurs',
  EQ: 'Einstiegsqualifizierung (EQ)',
  AUSBILDUNG: 'Ausbildung',
  ASSISTED_TRAINING: 'Assistierte Ausbildung',
  PREPARATION: 'Berufsvorbereitung',
  COUNSELLING: 'Beratung',
  ASSESSMENT: 'Kompetenzfeststellung',
};

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
