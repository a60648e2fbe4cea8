/**
 * The field's words for the same thing, reviewed by people who work in it: a search for any entry of a
 * group also finds the offers that say it another way. One-way entries (`means`) widen a casual or
 * abbreviated word to what offers are called, without the reverse (a search for "Ausbildung" should
 * not rank every "Lehrgang" first). Words are matched after lower-casing, without "§" and spaces around
 * it; several words match as a sequence in the query ("AsA flex").
 */
export interface SynonymEntry {
  /** What people type. */
  says: readonly string[];
  /** What the offers call it (phrases allowed). */
  means: readonly string[];
}

const both = (...words: string[]): SynonymEntry => ({ says: words, means: words });

export const SYNONYMS: readonly SynonymEntry[] = [
  {
    says: ['Deutschkurs', 'Deutschkurse', 'Sprachkurs', 'Sprachkurse'],
    means: ['Sprachkurs', 'Integrationskurs', 'Berufssprachkurs'],
  },
  {
    says: ['Lehrstelle', 'Lehrstellen', 'Lehre', 'Azubi', 'Azubis', 'Auszubildende'],
    means: ['Ausbildung', 'Ausbildungsplatz'],
  },
  { says: ['Praktikum', 'Praktika'], means: ['Einstiegsqualifizierung', 'EQ', 'Praktikum'] },
  both('EQ', 'Einstiegsqualifizierung'),
  both('BvB', 'Berufsvorbereitung', 'berufsvorbereitende Bildungsmaßnahme'),
  both('VHS', 'Volkshochschule'),
  both('AsA flex', 'AsA', 'Assistierte Ausbildung'),
  both('MBE', 'Migrationsberatung für erwachsene Zuwanderer'),
  both('JMD', 'Jugendmigrationsdienst'),
  both('HWK', 'Handwerkskammer'),
  both('IHK', 'Industrie- und Handelskammer'),
  both('KI', 'Kommunales Integrationszentrum'),
  both('Diakonie', 'Diakonisches Werk'),
  both('Caritas', 'Caritasverband'),
  both('KIM', 'Kommunales Integrationsmanagement'),
  both('DTZ', 'Deutsch-Test für Zuwanderer'),
  both('IFK', 'Internationale Förderklasse'),
  both('AV', 'Ausbildungsvorbereitung'),
  both('BK', 'Berufskolleg'),
  both('BSK', 'Berufssprachkurs'),
  both('DeuFöV', 'Berufssprachkurs'),
  { says: ['45a'], means: ['Berufssprachkurs', 'DeuFöV'] },
  { says: ['54a'], means: ['Einstiegsqualifizierung'] },
  { says: ['60c'], means: ['Ausbildungsduldung'] },
  { says: ['Kita', 'Kitas', 'Kindergarten'], means: ['Kita', 'Kinderbetreuung'] },
  { says: ['Job', 'Jobs', 'Arbeitsstelle'], means: ['Arbeit', 'Beschäftigung'] },
  { says: ['Schulden'], means: ['Schulden', 'Schuldnerberatung'] },
  { says: ['Wohnung', 'Wohnungen', 'Wohnungssuche'], means: ['Wohnung', 'Wohnraum'] },
  { says: ['Flüchtlinge', 'Flüchtling', 'Geflüchtete'], means: ['Geflüchtete', 'Flüchtlinge'] },
  { says: ['Asyl'], means: ['Asyl', 'Asylverfahren'] },
  { says: ['Bewerbungstraining'], means: ['Bewerbungstraining', 'Bewerbungswerkstatt'] },
  { says: ['Farsi', 'Dari'], means: ['Persisch'] },
];

/** Normal form of a typed word for matching: lower case, no "§". */
export function synonymKey(word: string): string {
  return word.toLowerCase().replace(/§/g, '').trim();
}

/** "says" phrase (as keys, word by word) → what it means. */
export const SYNONYM_INDEX: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const entry of SYNONYMS) {
    for (const says of entry.says) {
      const key = says.split(/\s+/).map(synonymKey).join(' ');
      index.set(key, [...new Set([...(index.get(key) ?? []), ...entry.means])]);
    }
  }
  return index;
})();

/** Longest "says" phrase in words, so the matcher knows how far to look ahead. */
export const LONGEST_SYNONYM = Math.max(...[...SYNONYM_INDEX.keys()].map((k) => k.split(' ').length));
