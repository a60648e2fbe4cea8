/** Stadtteile of the (Leverkusen-like) demo city with plausible postal codes and streets. */

export const CITY = 'Leverkusen';

export interface District {
  name: string;
  postalCode: string;
  /** Dialling code: 0214 for the south and centre, 02171 for Opladen and the north-east. */
  phonePrefix: string;
  streets: readonly string[];
}

export const DISTRICTS = {
  Wiesdorf: {
    name: 'Wiesdorf',
    postalCode: '51373',
    phonePrefix: '0214',
    streets: ['Friedrich-Ebert-Platz', 'Hauptstraße', 'Dönhoffstraße', 'Carl-Leverkus-Straße', 'Nobelstraße'],
  },
  Manfort: {
    name: 'Manfort',
    postalCode: '51377',
    phonePrefix: '0214',
    streets: ['Kalkstraße', 'Manforter Straße', 'Scharnhorststraße', 'Gustav-Heinemann-Straße'],
  },
  Schlebusch: {
    name: 'Schlebusch',
    postalCode: '51375',
    phonePrefix: '0214',
    streets: ['Bergische Landstraße', 'Mülheimer Straße', 'Saarstraße', 'Gezelinallee'],
  },
  Steinbüchel: {
    name: 'Steinbüchel',
    postalCode: '51377',
    phonePrefix: '0214',
    streets: ['Berliner Straße', 'Im Steinfeld', 'Borkumstraße'],
  },
  Alkenrath: {
    name: 'Alkenrath',
    postalCode: '51377',
    phonePrefix: '0214',
    streets: ['Alkenrather Straße', 'Stixchesstraße', 'Lichstraße'],
  },
  Opladen: {
    name: 'Opladen',
    postalCode: '51379',
    phonePrefix: '02171',
    streets: ['Kölner Straße', 'Düsseldorfer Straße', 'Goetheplatz', 'Bahnhofstraße', 'Birkenbergstraße'],
  },
  Quettingen: {
    name: 'Quettingen',
    postalCode: '51381',
    phonePrefix: '02171',
    streets: ['Quettinger Straße', 'Lützenkirchener Straße', 'Am Blauen Kamp'],
  },
  Lützenkirchen: {
    name: 'Lützenkirchen',
    postalCode: '51381',
    phonePrefix: '02171',
    streets: ['Lützenkirchener Straße', 'Gartenstraße', 'Rennbaumstraße'],
  },
  'Bergisch Neukirchen': {
    name: 'Bergisch Neukirchen',
    postalCode: '51381',
    phonePrefix: '02171',
    streets: ['Burscheider Straße', 'Atzlenbacher Straße', 'Wuppertalstraße'],
  },
  Bürrig: {
    name: 'Bürrig',
    postalCode: '51371',
    phonePrefix: '0214',
    streets: ['Bürriger Straße', 'Stauffenbergstraße', 'Am Weiher'],
  },
  Küppersteg: {
    name: 'Küppersteg',
    postalCode: '51373',
    phonePrefix: '0214',
    streets: ['Kölner Straße', 'Kurtekottenweg', 'Elbestraße', 'Europaring'],
  },
  Rheindorf: {
    name: 'Rheindorf',
    postalCode: '51371',
    phonePrefix: '02173',
    streets: ['Solinger Straße', 'Felderstraße', 'Königsberger Platz', 'Elbestraße'],
  },
  Hitdorf: {
    name: 'Hitdorf',
    postalCode: '51371',
    phonePrefix: '02173',
    streets: ['Hitdorfer Straße', 'Rheinstraße', 'Langenfelder Straße', 'Am Hafen'],
  },
} as const satisfies Record<string, District>;

export type DistrictName = keyof typeof DISTRICTS;

export const DISTRICT_NAMES = Object.keys(DISTRICTS) as DistrictName[];
