/**
 * The relevance suite's queries: what case managers type, each with the offers of the demo data
 * (seeds/factories/organisation-catalogue.ts and offer-templates.ts) that must come first. The
 * expectations are written from the seed's titles, descriptions, organisations and locations, never from
 * the search's own output, so the suite measures the search instead of describing it.
 */

export interface SeedOffer {
  id: string;
  title: string;
  description: string;
  kind: string;
  languages: string[];
  level: string;
  organisation: string;
  location: string;
  district: string;
}

export type OfferTest = (o: SeedOffer) => boolean;

export interface RelevanceCase {
  group: 'forms' | 'compounds' | 'synonyms' | 'typos' | 'places' | 'filters' | 'syntax' | 'nonsense';
  query: string;
  filter?: Record<string, unknown>;
  /** Offers that must be in the first 10 (all of them, or 10 of them when there are more). */
  must: OfferTest;
  /** Further offers that are a fair answer (for precision); `must` counts as relevant too. */
  relevant?: OfferTest;
  /** Offers that must not be in the result at all. */
  mustNot?: OfferTest;
}

const title =
  (re: RegExp): OfferTest =>
  (o) =>
    re.test(o.title);
const text =
  (re: RegExp): OfferTest =>
  (o) =>
    re.test(o.title) || re.test(o.description);
const kind =
  (...kinds: string[]): OfferTest =>
  (o) =>
    kinds.includes(o.kind);
const org =
  (re: RegExp): OfferTest =>
  (o) =>
    re.test(o.organisation);
const place =
  (re: RegExp): OfferTest =>
  (o) =>
    re.test(o.district) || re.test(o.location);
const speaks =
  (code: string): OfferTest =>
  (o) =>
    o.languages.includes(code);
const all =
  (...tests: OfferTest[]): OfferTest =>
  (o) =>
    tests.every((t) => t(o));
const any =
  (...tests: OfferTest[]): OfferTest =>
  (o) =>
    tests.some((t) => t(o));
const not =
  (test: OfferTest): OfferTest =>
  (o) =>
    !test(o);
const none: OfferTest = () => false;

const LANGUAGE_COURSES = kind('INTEGRATION_COURSE', 'JOB_LANGUAGE_COURSE');
/** Offers that are about or point to language courses (counselling that names Sprachkurse, the placement test). */
const ABOUT_LANGUAGE_COURSES = any(LANGUAGE_COURSES, text(/[Ss]prachkurs|Integrations- und/));
const AUSBILDUNG_WORK = any(kind('AUSBILDUNG', 'ASSISTED_TRAINING', 'EQ'), text(/Ausbildung/));
const VHS = org(/Volkshochschule/);
const KOLPING = org(/Kolping/);

const c = (
  group: RelevanceCase['group'],
  query: string,
  must: OfferTest,
  extra: Omit<RelevanceCase, 'group' | 'query' | 'must'> = {},
): RelevanceCase => ({ group, query, must, ...extra });

export const RELEVANCE_CASES: RelevanceCase[] = [
  // Word forms: singular, plural and inflected forms find the same offers.
  c('forms', 'Sprachkurs', LANGUAGE_COURSES, { relevant: ABOUT_LANGUAGE_COURSES }),
  c('forms', 'Sprachkurse', LANGUAGE_COURSES, { relevant: ABOUT_LANGUAGE_COURSES }),
  c('forms', 'Sprachkursen', LANGUAGE_COURSES, { relevant: ABOUT_LANGUAGE_COURSES }),
  c('forms', 'Ausbildungsplatz', text(/Ausbildungspl[aä]tz/), { relevant: AUSBILDUNG_WORK }),
  c('forms', 'Ausbildungsplätze', text(/Ausbildungspl[aä]tz/), { relevant: AUSBILDUNG_WORK }),
  c('forms', 'Integrationskurse', kind('INTEGRATION_COURSE'), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('forms', 'Beratungen', title(/[Bb]eratung/), { relevant: kind('COUNSELLING', 'ASSESSMENT') }),
  c('forms', 'Geflüchteten', title(/Geflüchtete/), { relevant: text(/Geflüchtete/) }),
  c('forms', 'Bäckerin', text(/Bäckerin/), { relevant: any(title(/Bäck/), org(/Bäckerei/)) }),
  c('forms', 'Berufssprachkurses', kind('JOB_LANGUAGE_COURSE'), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('forms', 'Chemikanten', title(/Chemikant/), { relevant: text(/Chemi/) }),

  // Compounds: a part finds the compound where it is the head or a main part.
  c('compounds', 'Kurs', title(/kurs/i), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('compounds', 'Kurse', title(/kurs/i), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('compounds', 'Ausbildung', title(/Ausbildung/), { relevant: AUSBILDUNG_WORK }),
  c('compounds', 'Beratung', title(/beratung/i), { relevant: kind('COUNSELLING', 'ASSESSMENT') }),
  c('compounds', 'Werkstatt', title(/werkstatt/i), {
    relevant: any(text(/[Ww]erkstatt|[Ww]erkstätten/), org(/Werkstatt/)),
  }),
  c('compounds', 'Sprache', title(/[Ss]prach/), { relevant: any(text(/[Ss]prach/), LANGUAGE_COURSES) }),
  c('compounds', 'Integration', title(/[Ii]ntegration/), { relevant: text(/[Ii]ntegration/) }),
  c('compounds', 'Pflege', title(/Pflege/), { relevant: text(/[Pp]flege/) }),
  c('compounds', 'Logistik', title(/[Ll]ogistik/), {
    relevant: any(text(/[Ll]ogistik|Lager/), org(/logistik/)),
  }),
  c('compounds', 'Technik', title(/[Tt]echnik/), { relevant: text(/[Tt]echni/) }),
  c('compounds', 'Handwerk', title(/[Hh]andwerk/), { relevant: any(text(/[Hh]andwerk/), org(/Handwerk/)) }),
  c('compounds', 'Lager', title(/[Ll]ager/), { relevant: text(/[Ll]ager/) }),
  c('compounds', 'Schulden', title(/Schuldner/)),
  c('compounds', 'Pflegeausbildung', all(kind('AUSBILDUNG', 'EQ'), text(/Pflege/)), {
    relevant: text(/Pflege/),
  }),
  c('compounds', 'Wohnung', title(/Wohn/)),

  // The field's synonyms and abbreviations.
  c('synonyms', 'Deutschkurs', LANGUAGE_COURSES, { relevant: ABOUT_LANGUAGE_COURSES }),
  c('synonyms', 'Deutschkurse', LANGUAGE_COURSES, { relevant: ABOUT_LANGUAGE_COURSES }),
  c('synonyms', 'Lehrstelle', kind('AUSBILDUNG'), { relevant: AUSBILDUNG_WORK }),
  c('synonyms', 'Azubi', kind('AUSBILDUNG'), { relevant: any(AUSBILDUNG_WORK, title(/Azubi/)) }),
  c('synonyms', 'Lehre', kind('AUSBILDUNG'), { relevant: AUSBILDUNG_WORK }),
  c('synonyms', 'Praktikum', kind('EQ'), { relevant: any(kind('EQ'), text(/Praktik/)) }),
  c('synonyms', 'EQ', kind('EQ'), { relevant: text(/EQ|Einstiegsqualifizierung/) }),
  c('synonyms', 'BvB', title(/BvB/), { relevant: kind('PREPARATION') }),
  c('synonyms', 'Berufsvorbereitung', kind('PREPARATION'), {
    relevant: text(/[Bb]erufsvorbereit|orientierung/),
  }),
  c('synonyms', 'VHS', VHS),
  c('synonyms', 'Volkshochschule', VHS),
  c('synonyms', 'AsA flex', title(/AsA flex/), { relevant: kind('ASSISTED_TRAINING') }),
  c('synonyms', 'Assistierte Ausbildung', kind('ASSISTED_TRAINING')),
  c('synonyms', '§ 45a', kind('JOB_LANGUAGE_COURSE')),
  c('synonyms', 'MBE', title(/MBE/), { relevant: title(/Migrationsberatung/) }),
  c('synonyms', 'JMD', title(/Jugendmigrationsdienst/), { relevant: title(/Migrationsberatung/) }),
  c('synonyms', 'DTZ', text(/DTZ/), { relevant: kind('INTEGRATION_COURSE') }),
  c('synonyms', 'HWK', org(/Handwerkskammer/), { relevant: text(/HWK|Handwerk/) }),
  c('synonyms', 'IHK', org(/IHK/), { relevant: text(/IHK/) }),
  c('synonyms', 'Kita', text(/Kita/), { relevant: text(/Kinder/) }),

  // Typos: one or two wrong letters in a word of five or more.
  c('typos', 'Ausbildng', title(/Ausbildung/), { relevant: AUSBILDUNG_WORK }),
  c('typos', 'Integrazionskurs', kind('INTEGRATION_COURSE'), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('typos', 'Berufsprachkurs', kind('JOB_LANGUAGE_COURSE'), { relevant: ABOUT_LANGUAGE_COURSES }),
  c('typos', 'Einstiegsqualifzierung', kind('EQ'), { relevant: text(/EQ/) }),
  c('typos', 'Volkshochshule', VHS),
  c('typos', 'Migrationsbratung', title(/Migrationsberatung/), { relevant: kind('COUNSELLING') }),
  c('typos', 'Schuldnerbertung', title(/Schuldnerberatung/)),
  c('typos', 'Mechatronikr', title(/Mechatroniker/), { relevant: text(/Mechatroni/) }),
  c('typos', 'Potenzialanalyze', title(/Potenzialanalyse/), { relevant: kind('ASSESSMENT') }),
  c('typos', 'Kolpng', KOLPING),

  // Providers, places, kinds and languages: what the offer is, beyond title and description.
  c('places', 'Kolping', KOLPING),
  c('places', 'Opladen', place(/Opladen/), { relevant: any(place(/Opladen/), text(/Opladen/)) }),
  c('places', 'Manfort', place(/Manfort/), { relevant: any(place(/Manfort/), text(/Manfort/)) }),
  c('places', 'Hitdorf', place(/Hitdorf/), { relevant: org(/Hitdorf/) }),
  c('places', 'Chemiepark', place(/Chemiepark/), { relevant: text(/Chemiepark/) }),
  c('places', 'Caritas', org(/Caritas/)),
  c('places', 'Diakonie', org(/Diakoni/)),
  c('places', 'Jobcenter', org(/Jobcenter/), { relevant: text(/Jobcenter/) }),
  c('places', 'Handwerkskammer', org(/Handwerkskammer/), { relevant: text(/Handwerk/) }),
  c('places', 'Integrationskurs Opladen', all(kind('INTEGRATION_COURSE'), place(/Opladen/)), {
    relevant: kind('INTEGRATION_COURSE'),
  }),
  c('places', 'Kolping Integrationskurs', all(KOLPING, kind('INTEGRATION_COURSE')), {
    relevant: any(KOLPING, kind('INTEGRATION_COURSE')),
  }),
  c('places', 'VHS Berufssprachkurs', all(VHS, kind('JOB_LANGUAGE_COURSE')), {
    relevant: any(VHS, kind('JOB_LANGUAGE_COURSE')),
  }),
  c('places', 'Ausbildung Wiesdorf', all(kind('AUSBILDUNG'), place(/Wiesdorf/)), {
    relevant: all(AUSBILDUNG_WORK, place(/Wiesdorf/)),
  }),
  c('places', 'Beratung arabisch', all(kind('COUNSELLING'), speaks('ar'), title(/[Bb]eratung/)), {
    relevant: all(kind('COUNSELLING', 'ASSESSMENT'), speaks('ar')),
  }),
  c('places', 'Einstiegsqualifizierung', kind('EQ'), { relevant: text(/EQ/) }),
  c('places', 'Kompetenzfeststellung', kind('ASSESSMENT'), { relevant: text(/Kompetenz/) }),
  c('places', 'Sprachkurs B1', all(kind('JOB_LANGUAGE_COURSE'), title(/B1/)), {
    relevant: all(LANGUAGE_COURSES, text(/B1/)),
  }),

  // Combined with filters.
  c('filters', 'Kurs', all(LANGUAGE_COURSES, place(/Opladen/)), { filter: { districts: ['Opladen'] } }),
  c('filters', 'Beratung', all(kind('COUNSELLING'), speaks('fa'), title(/[Bb]eratung/)), {
    filter: { languages: ['fa'] },
    relevant: all(speaks('fa'), kind('COUNSELLING', 'ASSESSMENT')),
  }),
  c('filters', 'Ausbildung', all(kind('EQ'), text(/Ausbildung/)), { filter: { kinds: ['EQ'] } }),
  c(
    'filters',
    'Deutschkurs',
    all(kind('INTEGRATION_COURSE'), (o) => o.level === 'A0'),
    {
      filter: { maxGermanLevel: 'A0' },
      relevant: (o) => o.level === 'A0' && ABOUT_LANGUAGE_COURSES(o),
    },
  ),
  c('filters', 'Sprachkurs', kind('JOB_LANGUAGE_COURSE'), { filter: { kinds: ['JOB_LANGUAGE_COURSE'] } }),
  c('filters', 'VHS', all(VHS, kind('INTEGRATION_COURSE')), { filter: { kinds: ['INTEGRATION_COURSE'] } }),

  // Websearch syntax: exclusions, phrases, or.
  c('syntax', 'Integrationskurs -Abend', all(kind('INTEGRATION_COURSE'), not(title(/Abend/))), {
    mustNot: text(/Abend/),
    relevant: ABOUT_LANGUAGE_COURSES,
  }),
  c('syntax', 'Berufssprachkurs -Pflege', all(kind('JOB_LANGUAGE_COURSE'), not(text(/Pflege/))), {
    mustNot: text(/Pflege/),
    relevant: ABOUT_LANGUAGE_COURSES,
  }),
  c('syntax', '"Start in den Beruf"', text(/Start in den Beruf/)),
  c('syntax', '"junge Geflüchtete"', title(/junge Geflüchtete/), { relevant: text(/junge[n]? Geflüchtete/) }),
  c('syntax', 'Schuldnerberatung or Wohnraumberatung', title(/Schuldnerberatung|Wohnraumberatung/)),
  c('syntax', 'Ausbildung -Pflege -Chemie', all(kind('AUSBILDUNG'), not(text(/Pflege|Chemie/))), {
    mustNot: text(/Pflege|Chemie/),
    relevant: AUSBILDUNG_WORK,
  }),

  // Nonsense: nothing in the field; the search must answer an empty list.
  c('nonsense', 'Quantenchromodynamik', none),
  c('nonsense', 'xyzzy', none),
  c('nonsense', 'qwertzuiop', none),
  c('nonsense', 'Zahnarztpraxis', none),
  c('nonsense', 'Kernfusion', none),
  c('nonsense', 'Skateboard Tricks', none),
];
