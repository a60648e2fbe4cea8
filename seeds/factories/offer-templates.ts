import { GermanLevel, OfferKind, OrganisationKind, ResidenceStatus } from '../../src/domain/enums.js';

/**
 * German offer templates, shared by the demo data and the scale generator so benchmark titles stay
 * realistic. `{year}` in a title is replaced by the start year of an Ausbildung or EQ.
 */
export interface OfferTemplate {
  key: string;
  kind: OfferKind;
  title: string;
  description: string;
  level: GermanLevel;
  languages: readonly string[];
  schedule: string;
  /** Organisation kinds that plausibly run this offer (the scale generator draws from these). */
  providers: readonly OrganisationKind[];
  /** Eligibility overrides; the defaults come from the offer kind (eligibility.ts). */
  minAge?: number;
  maxAge?: number;
  statuses?: readonly ResidenceStatus[];
  legalBasisNote?: string;
}

const {
  EDUCATION_PROVIDER,
  WELFARE,
  YOUTH_SERVICES,
  SCHOOL,
  EMPLOYER,
  CHAMBER,
  JOBCENTER,
  EMPLOYMENT_AGENCY,
  MUNICIPAL,
} = OrganisationKind;

const COUNSELLING_LANGUAGES = ['de', 'ar', 'fa', 'ti', 'ps', 'en', 'fr', 'tr', 'uk'] as const;

const t = (template: OfferTemplate): OfferTemplate => template;

export const OFFER_TEMPLATES: readonly OfferTemplate[] = [
  // --- Integrationskurse (§ 44 AufenthG) ---
  t({
    key: 'INT_ALPHA',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Integrationskurs mit Alphabetisierung',
    description:
      'Integrationskurs für Teilnehmende, die noch nicht oder nur wenig lesen und schreiben können: bis zu 1.300 Unterrichtseinheiten Deutsch mit Alphabetisierung und Orientierungskurs, Abschluss mit dem Deutsch-Test für Zuwanderer (DTZ).',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER, WELFARE],
  }),
  t({
    key: 'INT_GENERAL',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Allgemeiner Integrationskurs',
    description:
      'Sprachkurs mit 600 Unterrichtseinheiten bis zum Niveau B1 und Orientierungskurs (100 UE) zu Rechtsordnung, Geschichte und Kultur. Einstufungstest vor Kursbeginn.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'INT_EVENING',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Integrationskurs am Abend (Teilzeit)',
    description:
      'Integrationskurs in Teilzeit für Berufstätige und Menschen in Maßnahmen: vier Abende pro Woche, Abschluss DTZ und Test „Leben in Deutschland“.',
    level: GermanLevel.A1,
    languages: ['de'],
    schedule: 'Mo–Do 17:30–20:45',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'INT_YOUTH',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Jugendintegrationskurs',
    description:
      'Integrationskurs für junge Erwachsene bis 27 Jahre mit 900 Unterrichtseinheiten, Berufsorientierung, Betriebserkundungen und sozialpädagogischer Begleitung.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo–Fr 9:00–13:15',
    providers: [EDUCATION_PROVIDER, WELFARE],
    maxAge: 27,
  }),
  t({
    key: 'INT_INTENSIVE',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Intensivkurs Deutsch (Integrationskurs, 430 UE)',
    description:
      'Schneller Weg zum Niveau B1 für schnell Lernende mit guter Schulbildung: 430 Unterrichtseinheiten, Abschluss DTZ.',
    level: GermanLevel.A1,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–13:30',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'INT_SECOND_SCRIPT',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Integrationskurs für Zweitschriftlernende',
    description:
      'Für Teilnehmende, die in einer anderen Schrift (z. B. Arabisch, Tigrinya, Persisch) lesen und schreiben: lateinische Schrift und Deutsch bis B1.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'INT_WOMEN',
    kind: OfferKind.INTEGRATION_COURSE,
    title: 'Frauenintegrationskurs mit Kinderbetreuung',
    description:
      'Integrationskurs für Frauen und Mütter mit kursbegleitender Kinderbetreuung im Haus, 1.000 Unterrichtseinheiten.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo–Do 9:00–12:15',
    providers: [WELFARE, EDUCATION_PROVIDER],
  }),

  // --- Berufssprachkurse (§ 45a AufenthG, DeuFöV) ---
  t({
    key: 'BSK_B1_BASE',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs Basismodul B1',
    description:
      'Berufsbezogenes Deutsch nach DeuFöV für Menschen mit A2-Kenntnissen: Kommunikation im Betrieb, Bewerbung, Arbeitsschutz. 400 UE, Abschlussprüfung telc B1.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'BSK_B2_BASE',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs Basismodul B2',
    description:
      'Berufssprachkurs von B1 nach B2 (500 UE): Fachtexte, Telefonate, Besprechungen, Prüfungsvorbereitung auf das Deutsch-Test-für-den-Beruf-Zertifikat B2.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'BSK_B2_CARE',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs B2 Pflege',
    description:
      'Spezialmodul Gesundheitsfachberufe: Pflegedokumentation, Übergaben, Gespräche mit Bewohnerinnen, Bewohnern und Angehörigen; Vorbereitung auf Ausbildung oder Anerkennung in der Pflege.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–13:00',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'BSK_TECH',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs Spezialmodul Gewerbe-Technik (A2/B1)',
    description:
      'Deutsch für Werkstatt, Lager und Produktion: Werkzeuge, Arbeitsaufträge, Sicherheitsunterweisungen, mit Praxistagen in Betrieben.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 8:00–12:15',
    providers: [EDUCATION_PROVIDER, CHAMBER],
  }),
  t({
    key: 'BSK_RETAIL',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs B1 Einzelhandel und Verkauf',
    description:
      'Kundengespräche, Kasse, Warenpräsentation und Reklamationen: berufsbezogenes Deutsch für den Handel.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Do 13:30–17:00',
    providers: [EDUCATION_PROVIDER],
  }),
  t({
    key: 'BSK_AZUBI',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Azubi-Berufssprachkurs (ausbildungsbegleitend)',
    description:
      'Berufssprachkurs parallel zur Ausbildung: Fachsprache der Berufsschule, Prüfungsaufgaben verstehen, Berichtsheft schreiben. Unterricht in Absprache mit dem Ausbildungsbetrieb.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Di + Do 16:30–19:45',
    providers: [EDUCATION_PROVIDER],
    statuses: [
      ResidenceStatus.GESTATTUNG,
      ResidenceStatus.DULDUNG,
      ResidenceStatus.DULDUNG_AUSBILDUNG,
      ResidenceStatus.AE_AUSBILDUNG,
      ResidenceStatus.AE_CHANCEN,
      ResidenceStatus.AE_GUT_INTEGRIERT,
      ResidenceStatus.AE_OTHER,
      ResidenceStatus.NIEDERLASSUNG,
    ],
  }),
  t({
    key: 'BSK_C1',
    kind: OfferKind.JOB_LANGUAGE_COURSE,
    title: 'Berufssprachkurs C1 (Basismodul)',
    description:
      'Für Menschen mit B2-Zertifikat, die ein Studium, eine Anerkennung oder eine Fachlaufbahn anstreben.',
    level: GermanLevel.B2,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–12:45',
    providers: [EDUCATION_PROVIDER],
  }),

  // --- Einstiegsqualifizierung (§ 54a SGB III) ---
  t({
    key: 'EQ_BAKERY',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Bäckerhandwerk',
    description:
      'Sechs- bis zwölfmonatiges Praktikum in der Backstube als Brücke in die Ausbildung zur Bäckerin / zum Bäcker; Vergütung durch den Betrieb, Förderung durch die Agentur für Arbeit.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 5:00–12:00 (Backstube), Berufsschule 1 Tag pro Woche',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_SALES',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Bäckereifachverkauf',
    description: 'Verkauf, Beratung und Kasse in einer Filiale; Übernahme in die Ausbildung bei Eignung.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Schichtdienst, 38,5 Std./Woche',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_CAR',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Kfz-Technik',
    description:
      'Mitarbeit in der Werkstatt (Reifen, Inspektion, Diagnose) als Vorbereitung auf die Ausbildung Kfz-Mechatronik.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 7:30–16:15',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_CARE',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Pflege und Betreuung',
    description:
      'Begleitete Mitarbeit in Wohnbereichen und sozialer Betreuung; Vorbereitung auf die Pflegeausbildung.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Früh- und Spätdienst nach Plan',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_LOGISTICS',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Lager und Logistik',
    description: 'Wareneingang, Kommissionierung und Versand; Staplerschein im Rahmen der EQ möglich.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 6:00–14:30',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_CHEMISTRY',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Chemie „Start in den Beruf“',
    description:
      'Zehnmonatiges Programm der Chemie-Sozialpartner: Praxisphasen in Produktion und Labor, Nachhilfe in Mathematik und Chemie, Deutschförderung.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Mo–Fr 7:00–15:30',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_ELECTRIC',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Elektrohandwerk',
    description:
      'Mitarbeit auf Baustellen und in der Werkstatt; Grundlagen Elektrotechnik und Arbeitssicherheit.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 7:00–15:45',
    providers: [EMPLOYER],
  }),
  t({
    key: 'EQ_PAINTER',
    kind: OfferKind.EQ,
    title: 'Einstiegsqualifizierung Malerhandwerk',
    description: 'Untergrundvorbereitung, Streichen, Tapezieren und Fassadenarbeiten im Team.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 7:00–16:00',
    providers: [EMPLOYER],
  }),

  // --- Ausbildung (BBiG/HwO; Ausbildungsduldung § 60c AufenthG) ---
  t({
    key: 'AUS_LOGISTICS',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Fachkraft für Lagerlogistik {year}',
    description:
      'Dreijährige duale Ausbildung: Warenannahme, Lagerorganisation, Versand und Tourenplanung. Berufsschule im Blockunterricht.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Mo–Fr 7:00–15:30',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_WAREHOUSE',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Fachlagerist (m/w/d) {year}',
    description:
      'Zweijährige Ausbildung im Lager mit Option auf das dritte Jahr zur Fachkraft für Lagerlogistik.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Schichtbetrieb',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_DRIVER',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Berufskraftfahrer (m/w/d) {year}',
    description:
      'Dreijährige Ausbildung inklusive Führerschein Klasse CE, Ladungssicherung und Tourenplanung.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August',
    providers: [EMPLOYER],
    minAge: 18,
  }),
  t({
    key: 'AUS_BAKER',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Bäcker (m/w/d) {year}',
    description:
      'Dreijährige Ausbildung im Handwerksbetrieb: Brot, Brötchen, Feingebäck und Konditorei-Grundlagen. Berufsschule in Opladen.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Arbeitsbeginn 4:00',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_BAKERY_SALES',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Fachverkäufer im Lebensmittelhandwerk – Bäckerei (m/w/d) {year}',
    description: 'Dreijährige Ausbildung in Verkauf, Beratung und Filialorganisation.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Früh- und Spätschicht',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_CAR',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Kfz-Mechatroniker (m/w/d) {year}',
    description:
      'Dreieinhalbjährige Ausbildung, Schwerpunkt Pkw-Technik: Diagnose, Wartung, Hochvolt-Systeme. Überbetriebliche Lehrgänge bei der Handwerkskammer.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Mo–Fr 7:30–16:15',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_CHEMICAL_OPERATOR',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Chemikant (m/w/d) {year}',
    description:
      'Dreieinhalbjährige Ausbildung in der chemischen Produktion: Anlagen fahren, Proben nehmen, Prozesse überwachen. Ausbildungszentrum im Chemiepark.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. September, später Wechselschicht',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_LAB',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Chemielaborant (m/w/d) {year}',
    description: 'Dreieinhalbjährige Ausbildung im Labor: Analytik, Synthese, Dokumentation nach GLP.',
    level: GermanLevel.B2,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. September, Mo–Fr 7:30–16:00',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_MECHANIC',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Industriemechaniker (m/w/d) {year}',
    description: 'Instandhaltung von Produktionsanlagen, Metallbearbeitung, Pneumatik und Hydraulik.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. September',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_CARE',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Pflegefachfrau / Pflegefachmann {year}',
    description:
      'Generalistische Pflegeausbildung (PflBG), drei Jahre, Praxiseinsätze in Langzeitpflege, Krankenhaus und ambulanter Pflege; Ausbildungsvergütung nach Tarif.',
    level: GermanLevel.B2,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. Oktober, Dienst nach Plan',
    providers: [EMPLOYER],
    legalBasisNote: 'PflBG; Ausbildungsduldung § 60c AufenthG',
  }),
  t({
    key: 'AUS_CARE_ASSISTANT',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Pflegefachassistenz (m/w/d) {year}',
    description: 'Einjährige Ausbildung zur Pflegefachassistenz mit Anschluss an die Pflegefachausbildung.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August',
    providers: [EMPLOYER, SCHOOL],
    legalBasisNote: 'PflFAssG NRW; Ausbildungsduldung § 60c AufenthG',
  }),
  t({
    key: 'AUS_ELECTRICIAN',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Elektroniker für Energie- und Gebäudetechnik (m/w/d) {year}',
    description: 'Dreieinhalbjährige Handwerksausbildung: Installation, Gebäudeautomation, Photovoltaik.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August, Mo–Fr 7:00–15:45',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_PAINTER',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Maler und Lackierer (m/w/d) {year}',
    description: 'Dreijährige Handwerksausbildung, Fachrichtung Gestaltung und Instandhaltung.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August',
    providers: [EMPLOYER],
  }),
  t({
    key: 'AUS_CHILDCARE',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Kinderpfleger (m/w/d), vollzeitschulisch {year}',
    description: 'Zweijährige Ausbildung am Berufskolleg mit Praktika in Kitas; Abschluss staatlich geprüft.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Schuljahresbeginn August, Mo–Fr 8:00–14:30',
    providers: [SCHOOL],
    legalBasisNote: 'APO-BK NRW; Ausbildungsduldung § 60c AufenthG',
  }),
  t({
    key: 'AUS_SOCIAL_ASSISTANT',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Sozialassistent (m/w/d), vollzeitschulisch {year}',
    description: 'Zweijährige schulische Ausbildung mit Praktika in Pflege, Kita und Eingliederungshilfe.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Schuljahresbeginn August',
    providers: [SCHOOL],
    legalBasisNote: 'APO-BK NRW; Ausbildungsduldung § 60c AufenthG',
  }),
  t({
    key: 'AUS_RETAIL',
    kind: OfferKind.AUSBILDUNG,
    title: 'Ausbildung Verkäufer (m/w/d) {year}',
    description: 'Zweijährige Ausbildung im Einzelhandel mit Option Kaufmann/Kauffrau im Einzelhandel.',
    level: GermanLevel.B1,
    languages: ['de'],
    schedule: 'Ausbildungsbeginn 1. August',
    providers: [EMPLOYER],
  }),

  // --- Assistierte Ausbildung flex (§ 74 ff. SGB III) ---
  t({
    key: 'ASA_ACCOMPANYING',
    kind: OfferKind.ASSISTED_TRAINING,
    title: 'Assistierte Ausbildung flexibel (AsA flex) – begleitende Phase',
    description:
      'Nachhilfe in Fachtheorie und Deutsch, sozialpädagogische Begleitung und Unterstützung des Betriebs während der Ausbildung, bis zu 9 Stunden pro Woche.',
    level: GermanLevel.A2,
    languages: ['de', 'ar', 'fa'],
    schedule: 'nachmittags nach Vereinbarung, 4–9 Std./Woche',
    providers: [EDUCATION_PROVIDER, YOUTH_SERVICES],
  }),
  t({
    key: 'ASA_PRE',
    kind: OfferKind.ASSISTED_TRAINING,
    title: 'AsA flex – Vorphase',
    description:
      'Bis zu sechs Monate Unterstützung bei der Suche nach einem Ausbildungsplatz: Bewerbungstraining, Praktika, Gespräche mit Betrieben.',
    level: GermanLevel.A2,
    languages: ['de', 'ar', 'en'],
    schedule: 'Mo–Fr nach Vereinbarung',
    providers: [EDUCATION_PROVIDER, YOUTH_SERVICES],
  }),

  // --- Berufsvorbereitung (§ 51 SGB III, Berufskolleg) ---
  t({
    key: 'PREP_BVB',
    kind: OfferKind.PREPARATION,
    title: 'Berufsvorbereitende Bildungsmaßnahme (BvB)',
    description:
      'Bis zu zehn Monate Berufsorientierung in Werkstätten (Metall, Holz, Lager, Hauswirtschaft), Praktika, Bewerbungstraining und Nachholen des Hauptschulabschlusses.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Mo–Fr 8:00–15:00',
    providers: [EDUCATION_PROVIDER],
    maxAge: 25,
  }),
  t({
    key: 'PREP_PERJUF',
    kind: OfferKind.PREPARATION,
    title: 'Perspektiven für junge Geflüchtete (PerjuF-H)',
    description:
      'Orientierung in Handwerksberufen mit Praxisphasen in Betrieben, berufsbezogener Deutschförderung und Begleitung bei der Ausbildungsplatzsuche.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'fa'],
    schedule: 'Mo–Fr 8:00–14:00',
    providers: [EDUCATION_PROVIDER, CHAMBER],
    maxAge: 25,
  }),
  t({
    key: 'PREP_IFK',
    kind: OfferKind.PREPARATION,
    title: 'Internationale Förderklasse (IFK)',
    description:
      'Einjähriger Bildungsgang am Berufskolleg für neu zugewanderte junge Menschen: Deutsch, Mathematik, Fachpraxis; Erwerb des Hauptschulabschlusses möglich.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Schuljahr August–Juli, Mo–Fr 8:00–14:30',
    providers: [SCHOOL],
    minAge: 16,
    maxAge: 25,
    legalBasisNote: 'APO-BK NRW, Anlage A',
  }),
  t({
    key: 'PREP_AV',
    kind: OfferKind.PREPARATION,
    title: 'Ausbildungsvorbereitung in Vollzeit (AV)',
    description:
      'Berufsorientierung mit Praktikumstagen im Betrieb und Unterricht am Berufskolleg; Abschluss Hauptschulabschluss.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Schuljahr August–Juli, 3 Schultage + 2 Praktikumstage',
    providers: [SCHOOL],
    minAge: 16,
    maxAge: 25,
    legalBasisNote: 'APO-BK NRW, Anlage A',
  }),
  t({
    key: 'PREP_WORKSHOP',
    kind: OfferKind.PREPARATION,
    title: 'Werkstattjahr – Berufsorientierung in Holz und Metall',
    description:
      'Praktisches Arbeiten in Lehrwerkstätten, Sprachförderung und Coaching für junge Menschen ohne Ausbildungsplatz.',
    level: GermanLevel.A1,
    languages: ['de'],
    schedule: 'Mo–Fr 8:00–14:30',
    providers: [YOUTH_SERVICES, EDUCATION_PROVIDER],
  }),
  t({
    key: 'PREP_PRODUCTION_SCHOOL',
    kind: OfferKind.PREPARATION,
    title: 'Produktionsschule',
    description:
      'Lernen durch Arbeiten an echten Aufträgen (Fahrradwerkstatt, Kantine, Garten) mit Tagesstruktur und Begleitung.',
    level: GermanLevel.A1,
    languages: ['de'],
    schedule: 'Mo–Fr 8:30–15:00',
    providers: [YOUTH_SERVICES],
    maxAge: 25,
  }),
  t({
    key: 'PREP_WOMEN',
    kind: OfferKind.PREPARATION,
    title: 'Sprach- und Berufsorientierung für junge Frauen',
    description: 'Berufsfelder kennenlernen, Praktika, Deutsch im Beruf; in Teilzeit mit Kinderbetreuung.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'fa', 'ti'],
    schedule: 'Mo–Do 9:00–13:00',
    providers: [WELFARE, EDUCATION_PROVIDER],
  }),
  t({
    key: 'PREP_ACTIVATION',
    kind: OfferKind.PREPARATION,
    title: 'Aktivierungsmaßnahme „Start in den Beruf“ (§ 45 SGB III)',
    description:
      'Zwölfwöchiges Coaching mit Kompetenzfeststellung, Bewerbungsunterlagen und betrieblicher Erprobung.',
    level: GermanLevel.A2,
    languages: ['de', 'ar', 'en'],
    schedule: 'Mo–Fr 8:30–13:30',
    providers: [JOBCENTER, EDUCATION_PROVIDER],
    legalBasisNote: '§ 45 SGB III, § 16 SGB II',
  }),

  // --- Beratung ---
  t({
    key: 'COUNSEL_JMD',
    kind: OfferKind.COUNSELLING,
    title: 'Migrationsberatung für junge Menschen (Jugendmigrationsdienst)',
    description:
      'Individuelle Begleitung junger Zugewanderter von 12 bis 27 Jahren: Schule, Ausbildung, Sprache, Aufenthalt und Alltag; Gruppenangebote und Vermittlung an Fachstellen.',
    level: GermanLevel.A0,
    languages: [...COUNSELLING_LANGUAGES],
    schedule: 'Di + Do 9:00–16:00, offene Sprechstunde Mi 14:00–17:00',
    providers: [YOUTH_SERVICES],
    minAge: 14,
    maxAge: 27,
  }),
  t({
    key: 'COUNSEL_MBE',
    kind: OfferKind.COUNSELLING,
    title: 'Migrationsberatung für erwachsene Zuwanderer (MBE)',
    description:
      'Beratung zu Sprachkursen, Arbeit, Anerkennung, Wohnen und Behörden für Zugewanderte ab 27 Jahren und ihre Familien.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'tr', 'uk', 'en'],
    schedule: 'Mo–Do 9:00–12:00 und nach Vereinbarung',
    providers: [WELFARE],
    minAge: 18,
    maxAge: 99,
  }),
  t({
    key: 'COUNSEL_TEILHABE',
    kind: OfferKind.COUNSELLING,
    title: 'Teilhabemanagement für junge Geflüchtete',
    description:
      'Rechtskreisübergreifende Einzelfallbegleitung von 18- bis 27-Jährigen mit Gestattung oder Duldung: Aufenthaltsperspektive klären, Sprache, Ausbildung und Arbeit Schritt für Schritt planen.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'ps', 'ti', 'fr', 'en'],
    schedule: 'Termine nach Vereinbarung, auch aufsuchend',
    providers: [YOUTH_SERVICES, WELFARE, MUNICIPAL],
    statuses: [
      ResidenceStatus.GESTATTUNG,
      ResidenceStatus.DULDUNG,
      ResidenceStatus.DULDUNG_AUSBILDUNG,
      ResidenceStatus.DULDUNG_BESCHAEFTIGUNG,
      ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET,
    ],
  }),
  t({
    key: 'COUNSEL_TRAINING',
    kind: OfferKind.COUNSELLING,
    title: 'Ausbildungsberatung für Geflüchtete',
    description:
      'Berufswahl, Bewerbung, Ausbildungsduldung und Beschäftigungserlaubnis: Beratung vor und während der Ausbildung.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'fa', 'en', 'fr'],
    schedule: 'Mo + Mi 10:00–16:00',
    providers: [WELFARE, YOUTH_SERVICES, CHAMBER],
  }),
  t({
    key: 'COUNSEL_ASYLUM',
    kind: OfferKind.COUNSELLING,
    title: 'Asylverfahrensberatung',
    description:
      'Unabhängige Beratung im Asylverfahren: Anhörung vorbereiten, Bescheide verstehen, Rechtsmittelfristen.',
    level: GermanLevel.A0,
    languages: [...COUNSELLING_LANGUAGES],
    schedule: 'Mo 13:00–17:00, Do 9:00–13:00',
    providers: [WELFARE],
    minAge: 18,
    maxAge: 99,
  }),
  t({
    key: 'COUNSEL_RESIDENCE',
    kind: OfferKind.COUNSELLING,
    title: 'Beratung zu Bleibeperspektiven (Chancen-Aufenthaltsrecht, § 25a, Ausbildungsduldung)',
    description:
      'Klärt mit Geduldeten, welcher Weg zu einem Aufenthaltstitel offensteht (§§ 104c, 25a, 60c/60d AufenthG) und was dafür zu tun ist.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'ti', 'en', 'fr'],
    schedule: 'Mi 15:00–18:00 und nach Vereinbarung',
    providers: [WELFARE, MUNICIPAL],
    statuses: [
      ResidenceStatus.DULDUNG,
      ResidenceStatus.DULDUNG_AUSBILDUNG,
      ResidenceStatus.DULDUNG_BESCHAEFTIGUNG,
      ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET,
      ResidenceStatus.GESTATTUNG,
      ResidenceStatus.AE_CHANCEN,
    ],
  }),
  t({
    key: 'COUNSEL_DEBT',
    kind: OfferKind.COUNSELLING,
    title: 'Schuldnerberatung für junge Erwachsene',
    description: 'Handyverträge, Inkasso, Kontopfändungsschutz: Beratung und Begleitung bei Schulden.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'tr', 'en'],
    schedule: 'Di 9:00–12:00, Do 14:00–17:00',
    providers: [WELFARE],
  }),
  t({
    key: 'COUNSEL_HOUSING',
    kind: OfferKind.COUNSELLING,
    title: 'Wohnraumberatung und Hilfe bei Wohnungsnot',
    description:
      'Unterstützung beim Auszug aus der Gemeinschaftsunterkunft, Wohnberechtigungsschein, Mietverträge.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'tr', 'uk'],
    schedule: 'Mo–Fr 9:00–12:00',
    providers: [WELFARE],
  }),
  t({
    key: 'COUNSEL_PSYCHOSOCIAL',
    kind: OfferKind.COUNSELLING,
    title: 'Psychosoziale Beratung für Geflüchtete',
    description: 'Erstgespräche, Stabilisierung und Vermittlung in Therapie, mit Sprachmittlung.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'ti', 'ps', 'en'],
    schedule: 'nach Vereinbarung',
    providers: [WELFARE],
  }),
  t({
    key: 'COUNSEL_VOLUNTEER',
    kind: OfferKind.COUNSELLING,
    title: 'Ehrenamtliche Verfahrens- und Alltagsberatung',
    description:
      'Ehrenamtliche Begleitung zu Behörden, Hilfe bei Formularen und Briefen, Vermittlung an Fachberatung.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'en', 'fr'],
    schedule: 'Sa 10:00–13:00 im Begegnungscafé',
    providers: [WELFARE],
    minAge: 16,
    maxAge: 99,
  }),
  t({
    key: 'COUNSEL_APPLICATION',
    kind: OfferKind.COUNSELLING,
    title: 'Bewerbungswerkstatt für junge Geflüchtete',
    description:
      'Lebenslauf, Anschreiben und Vorstellungsgespräch üben; PC-Arbeitsplätze und Bewerbungsfotos vor Ort.',
    level: GermanLevel.A2,
    languages: ['de', 'ar', 'fa', 'en'],
    schedule: 'Mi 14:00–18:00',
    providers: [YOUTH_SERVICES, WELFARE, EDUCATION_PROVIDER],
  }),
  t({
    key: 'COUNSEL_YOUTH_WORK',
    kind: OfferKind.COUNSELLING,
    title: 'Ausbildungsbegleitung der Offenen Jugendberufshilfe',
    description:
      'Begleitung während EQ und Ausbildung: Gespräche mit Betrieb und Berufsschule, Krisenhilfe, Prüfungsvorbereitung.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'fa', 'ti'],
    schedule: 'nach Vereinbarung, auch abends',
    providers: [YOUTH_SERVICES],
  }),
  t({
    key: 'COUNSEL_MATCHING',
    kind: OfferKind.COUNSELLING,
    title: 'Ausbildungsplatzakquise und Matching',
    description:
      'Vermittelt junge Geflüchtete passgenau in Praktika, EQ und Ausbildung bei Betrieben der Region.',
    level: GermanLevel.A2,
    languages: ['de', 'en'],
    schedule: 'Mo–Fr nach Vereinbarung',
    providers: [YOUTH_SERVICES, CHAMBER],
  }),
  t({
    key: 'COUNSEL_PLACEMENT',
    kind: OfferKind.COUNSELLING,
    title: 'Passgenaue Besetzung – Willkommenslotsen für Betriebe',
    description:
      'Unterstützt Betriebe und Bewerbende bei der Besetzung von Ausbildungsplätzen mit Geflüchteten, inklusive Fragen zur Beschäftigungserlaubnis.',
    level: GermanLevel.A2,
    languages: ['de', 'en'],
    schedule: 'Mo–Fr 9:00–16:00',
    providers: [CHAMBER],
    minAge: 16,
    maxAge: 35,
  }),
  t({
    key: 'COUNSEL_CAREER',
    kind: OfferKind.COUNSELLING,
    title: 'Berufsberatung für Geflüchtete',
    description:
      'Berufsberatung der Agentur für Arbeit mit Sprachmittlung: Berufswahl, Förderung, Ausbildungsvermittlung.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'en', 'uk'],
    schedule: 'Termine nach Vereinbarung, offene Sprechstunde Di 8:00–12:00',
    providers: [EMPLOYMENT_AGENCY],
    minAge: 16,
    maxAge: 35,
  }),
  t({
    key: 'COUNSEL_U25',
    kind: OfferKind.COUNSELLING,
    title: 'U25-Beratung in der Jugendberufsagentur',
    description:
      'Gemeinsame Anlaufstelle von Jobcenter, Agentur für Arbeit und Jugendamt für junge Menschen unter 25.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'tr', 'en'],
    schedule: 'Mo–Fr 8:00–12:30, Do bis 17:00',
    providers: [JOBCENTER, EMPLOYMENT_AGENCY, MUNICIPAL],
    minAge: 16,
    maxAge: 25,
  }),
  t({
    key: 'COUNSEL_JOB_INTEGRATION',
    kind: OfferKind.COUNSELLING,
    title: 'Integrationscoaching für Geflüchtete im SGB II',
    description:
      'Persönliche Ansprechperson im Jobcenter für Sprachkurse, Maßnahmen, Arbeitsaufnahme und Anerkennung.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'uk'],
    schedule: 'Termine nach Einladung',
    providers: [JOBCENTER],
    statuses: [
      ResidenceStatus.AE_CHANCEN,
      ResidenceStatus.AE_GUT_INTEGRIERT,
      ResidenceStatus.AE_AUSBILDUNG,
      ResidenceStatus.AE_OTHER,
      ResidenceStatus.NIEDERLASSUNG,
    ],
    legalBasisNote: '§ 16 SGB II',
  }),
  t({
    key: 'COUNSEL_PERMIT',
    kind: OfferKind.COUNSELLING,
    title: 'Sprechstunde Beschäftigungs- und Ausbildungserlaubnis',
    description:
      'Klärt, welche Unterlagen für Beschäftigungserlaubnis, Ausbildungsduldung und Beschäftigungsduldung nötig sind.',
    level: GermanLevel.A1,
    languages: ['de', 'en'],
    schedule: 'Mi 8:00–12:00 (mit Terminbuchung)',
    providers: [MUNICIPAL],
    statuses: [
      ResidenceStatus.GESTATTUNG,
      ResidenceStatus.DULDUNG,
      ResidenceStatus.DULDUNG_AUSBILDUNG,
      ResidenceStatus.DULDUNG_BESCHAEFTIGUNG,
      ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET,
    ],
    legalBasisNote: '§§ 4a, 60c, 60d AufenthG; § 61 AsylG',
  }),
  t({
    key: 'COUNSEL_YOUNG_ADULTS',
    kind: OfferKind.COUNSELLING,
    title: 'Beratung für junge Volljährige (§ 41 SGB VIII)',
    description: 'Hilfen für junge Volljährige und Nachbetreuung ehemals unbegleiteter Minderjähriger.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'ps', 'ti', 'en'],
    schedule: 'Mo–Fr 8:30–12:00',
    providers: [MUNICIPAL],
    minAge: 18,
    maxAge: 21,
    legalBasisNote: '§ 41 SGB VIII',
  }),
  t({
    key: 'COUNSEL_KIM',
    kind: OfferKind.COUNSELLING,
    title: 'Clearing- und Lotsenstelle Kommunales Integrationsmanagement',
    description:
      'Erste Anlaufstelle: klärt Zuständigkeiten zwischen Ausländerbehörde, Jobcenter, Jugendamt und freien Trägern und vermittelt ins Teilhabemanagement.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'tr', 'uk', 'en'],
    schedule: 'Mo–Do 9:00–15:00',
    providers: [MUNICIPAL],
  }),

  // --- Kompetenzfeststellung und Anerkennung ---
  t({
    key: 'ASSESS_MYSKILLS',
    kind: OfferKind.ASSESSMENT,
    title: 'Kompetenzfeststellung MYSKILLS',
    description:
      'Computergestützter Test der Bundesagentur für Arbeit, der berufliches Handlungswissen in 30 Berufen bildgestützt und in zwölf Sprachen sichtbar macht.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'ti', 'en', 'fr', 'tr', 'uk', 'ru'],
    schedule: 'Testtermine dienstags 8:30, Dauer ca. 4 Stunden',
    providers: [EMPLOYMENT_AGENCY],
    minAge: 18,
    maxAge: 99,
  }),
  t({
    key: 'ASSESS_RECOGNITION',
    kind: OfferKind.ASSESSMENT,
    title: 'Anerkennungsberatung ausländischer Berufsabschlüsse',
    description:
      'Prüft, ob ein im Ausland erworbener Abschluss anerkannt werden kann, welche Unterlagen nötig sind und welche Anpassungsqualifizierung hilft.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'en', 'fr', 'uk'],
    schedule: 'Do 9:00–15:00 mit Termin',
    providers: [CHAMBER, MUNICIPAL],
    minAge: 18,
    maxAge: 99,
    legalBasisNote: 'BQFG',
  }),
  t({
    key: 'ASSESS_CRAFT',
    kind: OfferKind.ASSESSMENT,
    title: 'Kompetenzcheck Handwerk',
    description:
      'Zwei Praxistage in den Werkstätten des Bildungszentrums: Metall, Elektro, Holz, Farbe. Ergebnisbericht mit Berufsempfehlung.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'en'],
    schedule: 'monatlich, Di + Mi 8:00–15:00',
    providers: [CHAMBER, EDUCATION_PROVIDER],
  }),
  t({
    key: 'ASSESS_PLACEMENT_TEST',
    kind: OfferKind.ASSESSMENT,
    title: 'Einstufungstest Deutsch für Integrations- und Berufssprachkurse',
    description: 'Ermittelt das Sprachniveau und den passenden Kurs; Ergebnis am selben Tag.',
    level: GermanLevel.A0,
    languages: ['de'],
    schedule: 'Mo + Mi 9:00–12:00 ohne Termin',
    providers: [EDUCATION_PROVIDER],
    minAge: 16,
    maxAge: 99,
  }),
  t({
    key: 'ASSESS_POTENTIAL',
    kind: OfferKind.ASSESSMENT,
    title: 'Potenzialanalyse für junge Geflüchtete',
    description:
      'Zweitägige Analyse von Stärken und Interessen mit praktischen Aufgaben; Grundlage für den Förderplan.',
    level: GermanLevel.A1,
    languages: ['de', 'ar', 'fa', 'en'],
    schedule: 'zweimal im Monat, 9:00–14:00',
    providers: [YOUTH_SERVICES, EDUCATION_PROVIDER, JOBCENTER],
  }),
  t({
    key: 'ASSESS_PSYCH',
    kind: OfferKind.ASSESSMENT,
    title: 'Eignungsabklärung durch den Berufspsychologischen Service',
    description:
      'Sprachfreie und sprachreduzierte Testverfahren zur Berufseignung, auf Zuweisung durch die Berufsberatung.',
    level: GermanLevel.A0,
    languages: ['de', 'ar', 'fa', 'en'],
    schedule: 'nach Einladung',
    providers: [EMPLOYMENT_AGENCY],
    minAge: 16,
    maxAge: 35,
  }),
  t({
    key: 'ASSESS_DTZ',
    kind: OfferKind.ASSESSMENT,
    title: 'Prüfung Deutsch-Test für Zuwanderer (DTZ A2/B1)',
    description:
      'Skalierte Sprachprüfung zum Abschluss des Integrationskurses; externe Teilnahme auf Anfrage.',
    level: GermanLevel.A2,
    languages: ['de'],
    schedule: 'Samstags, Termine laut Prüfungsplan',
    providers: [EDUCATION_PROVIDER],
    minAge: 16,
    maxAge: 99,
    legalBasisNote: '§ 17 IntV',
  }),
];

export const TEMPLATE_BY_KEY: ReadonlyMap<string, OfferTemplate> = new Map(
  OFFER_TEMPLATES.map((t) => [t.key, t]),
);

export function offerTemplate(key: string): OfferTemplate {
  const template = TEMPLATE_BY_KEY.get(key);
  if (!template) throw new Error(`unknown offer template ${key}`);
  return template;
}

/** Templates a given kind of organisation plausibly runs. */
export const templatesFor = (kind: OrganisationKind): OfferTemplate[] =>
  OFFER_TEMPLATES.filter((t) => t.providers.includes(kind));

/** Fills `{year}` placeholders; templates without one are returned unchanged. */
export const offerTitle = (template: OfferTemplate, year: number): string =>
  template.title.replace('{year}', String(year));
