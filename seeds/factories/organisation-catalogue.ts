import { OrganisationKind } from '../../src/domain/enums.js';
import type { DistrictName } from './districts.js';

/**
 * The demo alliance: invented organisations of a Leverkusen-like city. `slug` is the e-mail domain
 * (`<role-word>@<slug>.example`), so docs and tests can name accounts predictably.
 */

export interface LocationSpec {
  name: string;
  district: DistrictName;
  street: string;
  wheelchairAccessible: boolean;
  accessibilityNote?: string;
}

export interface OfferSpec {
  template: string;
  /** Ausbildung/EQ start years: one offer per year, with `{year}` in the title. */
  years?: number[];
  /** Index into the organisation's locations (default 0). */
  location?: number;
  funding?: FundingCode;
  costPerPlaceCents?: number;
  costCents?: number;
  internalNotes?: string;
  /** Title suffix to tell parallel runs apart ("Vormittag", "Opladen"). */
  suffix?: string;
  active?: boolean;
}

export type FundingCode = 'DIAA' | 'KIM' | 'ESF_WIR';

export interface OrganisationSpec {
  slug: string;
  name: string;
  kind: OrganisationKind;
  description: string;
  isCoordinator?: boolean;
  active?: boolean;
  locations: LocationSpec[];
  contactFunctions: string[];
  /** Number of CASE_MANAGER accounts; organisations with > 0 manage cases. */
  caseManagers?: number;
  /** Extra numbered PARTNER_STAFF accounts (staff2@…, staff3@…). */
  extraStaff?: number;
  /** Relative share of the demo cases this organisation manages. */
  caseShare?: number;
  offers: OfferSpec[];
}

const K = OrganisationKind;

export const ORGANISATIONS: OrganisationSpec[] = [
  {
    slug: 'ki-leverkusen',
    name: 'Kommunales Integrationszentrum Leverkusen',
    kind: K.MUNICIPAL,
    isCoordinator: true,
    description:
      'Geschäftsführende Stelle des Bündnisses „Gemeinsam klappt’s“: koordiniert die Bündnisgruppe, das Kommunale Integrationsmanagement und die Bedarfs- und Angebotsanalyse.',
    locations: [
      {
        name: 'Kommunales Integrationszentrum im Verwaltungsgebäude',
        district: 'Wiesdorf',
        street: 'Friedrich-Ebert-Platz 1',
        wheelchairAccessible: true,
        accessibilityNote: 'Aufzug und barrierefreies WC im Erdgeschoss',
      },
    ],
    contactFunctions: ['Koordination Bündnis „Gemeinsam klappt’s“', 'Kommunales Integrationsmanagement'],
    caseManagers: 1,
    caseShare: 6,
    offers: [
      { template: 'COUNSEL_KIM', funding: 'KIM', costPerPlaceCents: 42000 },
      { template: 'ASSESS_RECOGNITION', suffix: 'Erstberatung im KI' },
    ],
  },
  {
    slug: 'auslaenderbehoerde-leverkusen',
    name: 'Ausländerbehörde der Stadt Leverkusen',
    kind: K.MUNICIPAL,
    description:
      'Zuständig für Aufenthaltstitel, Duldungen, Beschäftigungserlaubnisse und Ausbildungsduldungen.',
    locations: [
      {
        name: 'Bürgerbüro Ausländerangelegenheiten',
        district: 'Wiesdorf',
        street: 'Hauptstraße 101',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Sachgebietsleitung Aufenthalt und Beschäftigung'],
    offers: [
      { template: 'COUNSEL_PERMIT' },
      { template: 'COUNSEL_RESIDENCE', suffix: 'Sprechstunde der Ausländerbehörde' },
    ],
  },
  {
    slug: 'jugendamt-leverkusen',
    name: 'Jugendamt der Stadt Leverkusen',
    kind: K.MUNICIPAL,
    description:
      'Hilfen für junge Volljährige, Nachbetreuung ehemals unbegleiteter Minderjähriger, Jugendberufsagentur.',
    locations: [
      {
        name: 'Jugendamt, Fachbereich Kinder und Jugend',
        district: 'Opladen',
        street: 'Goetheplatz 4',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Fachdienst Junge Volljährige'],
    offers: [{ template: 'COUNSEL_YOUNG_ADULTS' }, { template: 'COUNSEL_U25', suffix: 'Jugendamt' }],
  },
  {
    slug: 'kja-leverkusen',
    name: 'Katholische Jugendagentur Leverkusen',
    kind: K.YOUTH_SERVICES,
    description:
      'Träger der Offenen Jugendberufshilfe (OJB) und des Jugendmigrationsdienstes; hier ist das Teilhabemanagement für junge Geflüchtete angesiedelt.',
    locations: [
      {
        name: 'Offene Jugendberufshilfe (OJB)',
        district: 'Opladen',
        street: 'Kölner Straße 38',
        wheelchairAccessible: true,
        accessibilityNote: 'Eingang über Rampe an der Hofseite',
      },
      {
        name: 'Jugendmigrationsdienst Wiesdorf',
        district: 'Wiesdorf',
        street: 'Dönhoffstraße 12',
        wheelchairAccessible: false,
        accessibilityNote: '1. OG, kein Aufzug; Beratung im EG nach Absprache möglich',
      },
      {
        name: 'Jugendberufshilfe Rheindorf',
        district: 'Rheindorf',
        street: 'Königsberger Platz 5',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Teilhabemanagement', 'Leitung Jugendmigrationsdienst'],
    caseManagers: 3,
    extraStaff: 1,
    caseShare: 38,
    offers: [
      {
        template: 'COUNSEL_TEILHABE',
        funding: 'KIM',
        costPerPlaceCents: 185000,
        internalNotes: 'Stellenanteil 1,5 VZÄ über KIM; Verlängerung für 2027 beantragt.',
      },
      {
        template: 'COUNSEL_TEILHABE',
        suffix: 'Durchstarten (bis 2023)',
        funding: 'DIAA',
        costPerPlaceCents: 160000,
        active: false,
        internalNotes:
          'Programm „Durchstarten in Ausbildung und Arbeit“ beendet; Fälle in das KIM übergeleitet.',
      },
      { template: 'COUNSEL_JMD', location: 1 },
      { template: 'COUNSEL_YOUTH_WORK' },
      { template: 'COUNSEL_APPLICATION', location: 2 },
      { template: 'PREP_WORKSHOP', location: 2, funding: 'ESF_WIR', costPerPlaceCents: 640000 },
      { template: 'ASA_ACCOMPANYING', costPerPlaceCents: 520000 },
      { template: 'ASSESS_POTENTIAL', location: 1 },
    ],
  },
  {
    slug: 'jbh-leverkusen',
    name: 'Jugendberufshilfe Leverkusen gGmbH',
    kind: K.YOUTH_SERVICES,
    description:
      'Produktionsschule, Werkstattangebote und Ausbildungsplatzakquise für junge Menschen ohne Ausbildungsplatz.',
    locations: [
      {
        name: 'Produktionsschule Manfort',
        district: 'Manfort',
        street: 'Kalkstraße 117',
        wheelchairAccessible: true,
      },
      {
        name: 'Fahrradwerkstatt Alkenrath',
        district: 'Alkenrath',
        street: 'Alkenrather Straße 48',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Ausbildungsplatzakquise'],
    caseManagers: 1,
    caseShare: 10,
    offers: [
      { template: 'PREP_PRODUCTION_SCHOOL', costPerPlaceCents: 710000 },
      { template: 'COUNSEL_MATCHING', funding: 'ESF_WIR', costPerPlaceCents: 95000 },
      { template: 'ASA_PRE', costPerPlaceCents: 310000 },
      { template: 'ASSESS_POTENTIAL', suffix: 'Manfort' },
      { template: 'PREP_WORKSHOP', location: 1, suffix: 'Fahrradwerkstatt Alkenrath' },
    ],
  },
  {
    slug: 'caritas-leverkusen',
    name: 'Caritasverband Leverkusen e.V.',
    kind: K.WELFARE,
    description:
      'Migrationsdienste, Asylverfahrensberatung, Schuldnerberatung und psychosoziale Beratung für Geflüchtete.',
    locations: [
      {
        name: 'Fachdienst Integration und Migration',
        district: 'Wiesdorf',
        street: 'Nobelstraße 28',
        wheelchairAccessible: true,
      },
      {
        name: 'Caritas-Zentrum Opladen',
        district: 'Opladen',
        street: 'Düsseldorfer Straße 57',
        wheelchairAccessible: false,
        accessibilityNote: 'Altbau, drei Stufen am Eingang',
      },
    ],
    contactFunctions: ['Fachdienstleitung Migration', 'Asylverfahrensberatung'],
    caseManagers: 2,
    caseShare: 20,
    offers: [
      { template: 'COUNSEL_MBE' },
      { template: 'COUNSEL_ASYLUM' },
      { template: 'COUNSEL_DEBT', location: 1 },
      { template: 'COUNSEL_PSYCHOSOCIAL' },
      { template: 'INT_ALPHA', location: 1, suffix: 'Caritas Opladen' },
      { template: 'COUNSEL_TRAINING', location: 1, internalNotes: 'Dolmetschpool über das KI abrechnen.' },
    ],
  },
  {
    slug: 'diakonie-leverkusen',
    name: 'Diakonisches Werk Leverkusen',
    kind: K.WELFARE,
    description:
      'Flüchtlingsberatung, Ausbildungsberatung, Frauenangebote und Schuldnerberatung der evangelischen Kirche.',
    locations: [
      {
        name: 'Haus der Diakonie',
        district: 'Opladen',
        street: 'Birkenbergstraße 12',
        wheelchairAccessible: true,
      },
      {
        name: 'Stadtteilbüro Rheindorf',
        district: 'Rheindorf',
        street: 'Solinger Straße 142',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Flüchtlingsberatung', 'Frauen- und Familienangebote'],
    caseManagers: 2,
    caseShare: 15,
    offers: [
      { template: 'COUNSEL_TRAINING', suffix: 'Diakonie' },
      { template: 'COUNSEL_HOUSING', location: 1 },
      { template: 'INT_WOMEN', location: 1 },
      { template: 'PREP_WOMEN', location: 1, funding: 'ESF_WIR', costPerPlaceCents: 380000 },
      { template: 'COUNSEL_DEBT', suffix: 'Diakonie Opladen' },
    ],
  },
  {
    slug: 'awo-leverkusen',
    name: 'AWO Kreisverband Leverkusen e.V.',
    kind: K.WELFARE,
    description:
      'Migrationsberatung, Wohnungsnotfallhilfe und Jugendintegrationskurse der Arbeiterwohlfahrt.',
    locations: [
      {
        name: 'AWO-Begegnungszentrum Küppersteg',
        district: 'Küppersteg',
        street: 'Kurtekottenweg 20',
        wheelchairAccessible: true,
      },
      {
        name: 'AWO-Treff Hitdorf',
        district: 'Hitdorf',
        street: 'Rheinstraße 44',
        wheelchairAccessible: false,
      },
    ],
    contactFunctions: ['Migrationsberatung'],
    caseManagers: 1,
    caseShare: 9,
    offers: [
      { template: 'COUNSEL_MBE', suffix: 'AWO Küppersteg' },
      { template: 'COUNSEL_HOUSING', location: 1, suffix: 'Hitdorf' },
      { template: 'INT_YOUTH', suffix: 'AWO' },
    ],
  },
  {
    slug: 'fluechtlingsrat-leverkusen',
    name: 'Flüchtlingsrat Leverkusen e.V.',
    kind: K.WELFARE,
    description:
      'Ehrenamtlicher Verein: Verfahrensberatung, Begegnungscafé, Patenschaften und Beratung zu Bleibeperspektiven.',
    locations: [
      {
        name: 'Begegnungscafé „Brücke“ im Gemeindehaus',
        district: 'Bergisch Neukirchen',
        street: 'Burscheider Straße 16',
        wheelchairAccessible: false,
        accessibilityNote: 'Gemeindesaal im Souterrain, Zugang über Treppe',
      },
    ],
    contactFunctions: ['Vorstand'],
    offers: [
      { template: 'COUNSEL_VOLUNTEER' },
      { template: 'COUNSEL_RESIDENCE' },
      { template: 'COUNSEL_APPLICATION', suffix: 'im Begegnungscafé' },
    ],
  },
  {
    slug: 'vhs-leverkusen',
    name: 'Volkshochschule Leverkusen',
    kind: K.EDUCATION_PROVIDER,
    description:
      'Größter Träger von Integrations- und Berufssprachkursen in der Stadt, Prüfungszentrum für DTZ und telc.',
    locations: [
      {
        name: 'VHS im Forum',
        district: 'Wiesdorf',
        street: 'Am Büchelter Hof 9',
        wheelchairAccessible: true,
        accessibilityNote: 'Aufzug, Induktionsschleife in Raum 1.04',
      },
      {
        name: 'VHS-Haus Opladen',
        district: 'Opladen',
        street: 'Bahnhofstraße 21',
        wheelchairAccessible: true,
      },
      {
        name: 'VHS-Außenstelle Schlebusch',
        district: 'Schlebusch',
        street: 'Bergische Landstraße 73',
        wheelchairAccessible: false,
        accessibilityNote: '2. OG ohne Aufzug',
      },
    ],
    contactFunctions: ['Fachbereich Deutsch als Zweitsprache', 'Prüfungszentrum'],
    extraStaff: 2,
    offers: [
      { template: 'INT_ALPHA' },
      { template: 'INT_GENERAL', suffix: 'Vormittag' },
      { template: 'INT_GENERAL', location: 1, suffix: 'Opladen' },
      {
        template: 'INT_EVENING',
        location: 1,
        costCents: 22900,
        internalNotes: 'Kostenbeitrag je Modul; Befreiung für Leistungsbeziehende beim BAMF beantragen.',
      },
      { template: 'INT_SECOND_SCRIPT', location: 2 },
      { template: 'INT_INTENSIVE' },
      { template: 'BSK_B1_BASE' },
      { template: 'BSK_B2_BASE' },
      {
        template: 'BSK_B2_CARE',
        internalNotes: 'Kooperation mit Seniorenzentrum Am Hang: Hospitationstage mittwochs.',
      },
      { template: 'BSK_RETAIL', location: 1 },
      { template: 'BSK_C1' },
      { template: 'ASSESS_PLACEMENT_TEST' },
      { template: 'ASSESS_DTZ', costCents: 14000 },
      { template: 'BSK_B2_BASE', location: 1, suffix: 'Abendkurs Opladen' },
    ],
  },
  {
    slug: 'kolping-leverkusen',
    name: 'Kolping-Bildungswerk Leverkusen',
    kind: K.EDUCATION_PROVIDER,
    description:
      'Berufssprachkurse, Berufsvorbereitung (BvB) und Assistierte Ausbildung im Auftrag der Agentur für Arbeit.',
    locations: [
      {
        name: 'Kolping-Bildungszentrum Opladen',
        district: 'Opladen',
        street: 'Kölner Straße 112',
        wheelchairAccessible: true,
      },
      {
        name: 'Kolping-Lernwerkstatt Schlebusch',
        district: 'Schlebusch',
        street: 'Mülheimer Straße 19',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Bereichsleitung Berufliche Bildung', 'Kursplanung Sprachkurse'],
    offers: [
      { template: 'INT_GENERAL', suffix: 'Kolping' },
      { template: 'INT_YOUTH', location: 1 },
      { template: 'INT_ALPHA', location: 1, suffix: 'Schlebusch' },
      { template: 'BSK_TECH', location: 1 },
      { template: 'BSK_AZUBI' },
      { template: 'BSK_B2_CARE', suffix: 'Kolping' },
      { template: 'BSK_B1_BASE', location: 1, suffix: 'Schlebusch' },
      {
        template: 'PREP_BVB',
        costPerPlaceCents: 1150000,
        internalNotes: 'Los 3 der Ausschreibung der Agentur für Arbeit, Laufzeit bis 07/2027.',
      },
      { template: 'ASA_ACCOMPANYING', suffix: 'Kolping', costPerPlaceCents: 495000 },
      { template: 'ASA_PRE', location: 1, suffix: 'Kolping', costPerPlaceCents: 298000 },
      { template: 'ASSESS_CRAFT', location: 1 },
    ],
  },
  {
    slug: 'bz-rhein-wupper',
    name: 'Bildungszentrum Rhein-Wupper gGmbH',
    kind: K.EDUCATION_PROVIDER,
    description:
      'Kursträger für Berufssprachkurse, Aktivierungsmaßnahmen und Berufsorientierung im Handwerk.',
    locations: [
      {
        name: 'Bildungszentrum Manfort',
        district: 'Manfort',
        street: 'Gustav-Heinemann-Straße 3',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Maßnahmeleitung'],
    offers: [
      { template: 'BSK_B1_BASE', suffix: 'Bildungszentrum Manfort' },
      { template: 'BSK_TECH', suffix: 'Bildungszentrum Manfort' },
      { template: 'BSK_B2_BASE', suffix: 'Bildungszentrum Manfort' },
      { template: 'PREP_PERJUF', costPerPlaceCents: 890000 },
      { template: 'PREP_ACTIVATION', costPerPlaceCents: 210000 },
      { template: 'ASA_ACCOMPANYING', suffix: 'Manfort', costPerPlaceCents: 510000 },
      { template: 'INT_GENERAL', suffix: 'Manfort' },
      { template: 'INT_ALPHA', suffix: 'Manfort' },
    ],
  },
  {
    slug: 'bk-opladen',
    name: 'Berufskolleg Opladen',
    kind: K.SCHOOL,
    description:
      'Städtisches Berufskolleg für Sozial- und Gesundheitswesen, Ernährung und Technik mit Internationalen Förderklassen.',
    locations: [
      {
        name: 'Berufskolleg Opladen, Hauptgebäude',
        district: 'Opladen',
        street: 'Birkenbergstraße 30',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Bildungsgangleitung Internationale Förderklasse'],
    offers: [
      { template: 'PREP_IFK' },
      { template: 'PREP_AV' },
      { template: 'AUS_CHILDCARE', years: [2026] },
      { template: 'AUS_SOCIAL_ASSISTANT', years: [2027] },
      { template: 'COUNSEL_APPLICATION', suffix: 'Schulsozialarbeit BK Opladen' },
    ],
  },
  {
    slug: 'bk-wiesdorf',
    name: 'Berufskolleg Wiesdorf',
    kind: K.SCHOOL,
    description:
      'Berufskolleg für Technik, Chemie und Pflegeassistenz, Partner der Ausbildungsbetriebe im Chemiepark.',
    locations: [
      {
        name: 'Berufskolleg Wiesdorf',
        district: 'Wiesdorf',
        street: 'Carl-Leverkus-Straße 50',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Abteilungsleitung Ausbildungsvorbereitung'],
    offers: [
      { template: 'PREP_IFK', suffix: 'Technik' },
      { template: 'AUS_CARE_ASSISTANT', years: [2025, 2026, 2027] },
      { template: 'PREP_AV', suffix: 'Technik' },
    ],
  },
  {
    slug: 'jobcenter-leverkusen',
    name: 'Jobcenter Leverkusen',
    kind: K.JOBCENTER,
    description:
      'Grundsicherung für Arbeitsuchende (SGB II), Integrationscoaching und Förderung von Maßnahmen.',
    locations: [
      {
        name: 'Jobcenter Leverkusen, Hauptstelle',
        district: 'Wiesdorf',
        street: 'Hauptstraße 80',
        wheelchairAccessible: true,
      },
      {
        name: 'Jobcenter Leverkusen, Geschäftsstelle Opladen',
        district: 'Opladen',
        street: 'Düsseldorfer Straße 10',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Team U25', 'Integrationscoaching Geflüchtete'],
    extraStaff: 1,
    offers: [
      { template: 'COUNSEL_U25' },
      { template: 'COUNSEL_JOB_INTEGRATION', location: 1 },
      { template: 'ASSESS_POTENTIAL', suffix: 'Jobcenter' },
      { template: 'PREP_ACTIVATION', location: 1, suffix: 'Jobcenter Opladen', costPerPlaceCents: 195000 },
    ],
  },
  {
    slug: 'arbeitsagentur-leverkusen',
    name: 'Agentur für Arbeit Leverkusen',
    kind: K.EMPLOYMENT_AGENCY,
    description:
      'Berufsberatung, Ausbildungsvermittlung, Förderung von BvB, AsA flex und Einstiegsqualifizierung.',
    locations: [
      {
        name: 'Agentur für Arbeit Leverkusen',
        district: 'Wiesdorf',
        street: 'Europaring 2',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Berufsberatung', 'Arbeitgeber-Service'],
    offers: [
      { template: 'COUNSEL_CAREER' },
      { template: 'ASSESS_MYSKILLS' },
      { template: 'ASSESS_PSYCH' },
      { template: 'COUNSEL_U25', suffix: 'Agentur für Arbeit' },
    ],
  },
  {
    slug: 'ihk-leverkusen',
    name: 'IHK Köln, Geschäftsstelle Leverkusen/Rhein-Berg',
    kind: K.CHAMBER,
    description:
      'Ausbildungsberatung, Passgenaue Besetzung und Anerkennung ausländischer Abschlüsse in IHK-Berufen.',
    locations: [
      {
        name: 'IHK-Geschäftsstelle Leverkusen',
        district: 'Wiesdorf',
        street: 'An der Landstraße 112',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Willkommenslotse'],
    offers: [
      { template: 'COUNSEL_PLACEMENT' },
      { template: 'ASSESS_RECOGNITION', suffix: 'IHK' },
      { template: 'COUNSEL_TRAINING', suffix: 'IHK-Ausbildungsberatung' },
    ],
  },
  {
    slug: 'hwk-leverkusen',
    name: 'Handwerkskammer zu Köln, Beratungsstelle Leverkusen',
    kind: K.CHAMBER,
    description:
      'Ausbildungsberatung Handwerk, Kompetenzchecks und Berufsorientierung für junge Geflüchtete.',
    locations: [
      {
        name: 'Beratungsstelle Opladen',
        district: 'Opladen',
        street: 'Kölner Straße 5',
        wheelchairAccessible: false,
      },
    ],
    contactFunctions: ['Ausbildungsberatung Handwerk'],
    offers: [
      { template: 'COUNSEL_MATCHING', suffix: 'Handwerk' },
      { template: 'ASSESS_CRAFT', suffix: 'HWK' },
      { template: 'ASSESS_RECOGNITION', suffix: 'Handwerk' },
      { template: 'PREP_PERJUF', suffix: 'HWK', costPerPlaceCents: 870000 },
    ],
  },
  {
    slug: 'rheinchemie',
    name: 'Rheinchemie Leverkusen GmbH',
    kind: K.EMPLOYER,
    description:
      'Chemieunternehmen im Chemiepark mit eigenem Ausbildungszentrum und dem Programm „Start in den Beruf“.',
    locations: [
      {
        name: 'Ausbildungszentrum Chemiepark',
        district: 'Wiesdorf',
        street: 'Kaiser-Wilhelm-Allee 40',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Ausbildungsleitung'],
    extraStaff: 1,
    offers: [
      { template: 'AUS_CHEMICAL_OPERATOR', years: [2025, 2026, 2027] },
      { template: 'AUS_LAB', years: [2027] },
      { template: 'AUS_MECHANIC', years: [2027] },
      { template: 'AUS_LOGISTICS', years: [2027] },
      {
        template: 'EQ_CHEMISTRY',
        internalNotes: 'Zwei Plätze für Teilnehmende aus dem Teilhabemanagement reserviert halten.',
      },
    ],
  },
  {
    slug: 'baeckerei-schmitz',
    name: 'Bäckerei Schmitz & Söhne',
    kind: K.EMPLOYER,
    description: 'Handwerksbäckerei mit Backstube in Schlebusch und acht Filialen im Stadtgebiet.',
    locations: [
      {
        name: 'Backstube Schlebusch',
        district: 'Schlebusch',
        street: 'Saarstraße 22',
        wheelchairAccessible: false,
      },
      {
        name: 'Filiale Opladen',
        district: 'Opladen',
        street: 'Kölner Straße 71',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Inhaber, Ausbildung'],
    offers: [
      { template: 'AUS_BAKER' },
      { template: 'AUS_BAKERY_SALES', years: [2027], location: 1 },
      { template: 'EQ_BAKERY' },
      { template: 'EQ_SALES', location: 1 },
    ],
  },
  {
    slug: 'kfz-kueppersteg',
    name: 'Autohaus & Kfz-Werkstatt Küppersteg GmbH',
    kind: K.EMPLOYER,
    description: 'Freie Kfz-Meisterwerkstatt mit Autohandel; bildet seit 2017 junge Geflüchtete aus.',
    locations: [
      {
        name: 'Werkstatt Küppersteg',
        district: 'Küppersteg',
        street: 'Elbestraße 8',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Werkstattmeister'],
    offers: [{ template: 'AUS_CAR' }, { template: 'AUS_RETAIL', years: [2027] }, { template: 'EQ_CAR' }],
  },
  {
    slug: 'seniorenzentrum-am-hang',
    name: 'Seniorenzentrum Am Hang gGmbH',
    kind: K.EMPLOYER,
    description: 'Stationäre Pflegeeinrichtung und ambulanter Dienst; Praxispartner der Pflegeschulen.',
    locations: [
      {
        name: 'Seniorenzentrum Am Hang',
        district: 'Lützenkirchen',
        street: 'Rennbaumstraße 14',
        wheelchairAccessible: true,
      },
      {
        name: 'Ambulanter Dienst Steinbüchel',
        district: 'Steinbüchel',
        street: 'Berliner Straße 60',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Praxisanleitung'],
    offers: [
      { template: 'AUS_CARE' },
      { template: 'AUS_CARE_ASSISTANT', years: [2027], location: 1 },
      { template: 'EQ_CARE' },
    ],
  },
  {
    slug: 'rheinlogistik',
    name: 'Rheinlogistik Hitdorf GmbH',
    kind: K.EMPLOYER,
    description: 'Kontraktlogistik und Spedition am Rheinhafen Hitdorf.',
    locations: [
      {
        name: 'Logistikzentrum Hafen Hitdorf',
        district: 'Hitdorf',
        street: 'Am Hafen 3',
        wheelchairAccessible: true,
      },
    ],
    contactFunctions: ['Personal und Ausbildung'],
    offers: [
      { template: 'AUS_LOGISTICS', years: [2026, 2027] },
      { template: 'AUS_WAREHOUSE' },
      { template: 'AUS_DRIVER', years: [2027] },
      { template: 'EQ_LOGISTICS' },
    ],
  },
  {
    slug: 'elektro-berger',
    name: 'Elektro Berger GmbH',
    kind: K.EMPLOYER,
    description: 'Elektroinstallation, Gebäudetechnik und Photovoltaik, 35 Beschäftigte.',
    locations: [
      {
        name: 'Betrieb Quettingen',
        district: 'Quettingen',
        street: 'Quettinger Straße 210',
        wheelchairAccessible: false,
      },
    ],
    contactFunctions: ['Geschäftsführung'],
    offers: [{ template: 'AUS_ELECTRICIAN', years: [2025, 2026, 2027] }, { template: 'EQ_ELECTRIC' }],
  },
  {
    slug: 'malerbetrieb-kaya',
    name: 'Malerbetrieb Kaya & Partner',
    kind: K.EMPLOYER,
    active: false,
    description: 'Malerfachbetrieb; ruht seit Sommer 2026 im Bündnis (Betriebsübergabe).',
    locations: [
      {
        name: 'Malerbetrieb Bürrig',
        district: 'Bürrig',
        street: 'Bürriger Straße 31',
        wheelchairAccessible: false,
      },
    ],
    contactFunctions: ['Inhaber'],
    offers: [
      { template: 'AUS_PAINTER', years: [2026], active: false },
      { template: 'EQ_PAINTER', active: false },
    ],
  },
];
