/** German names for the hub's enums, as partners and the alliance use them. */

export const OFFER_KINDS: Record<string, string> = {
  INTEGRATION_COURSE: 'Integrationskurs',
  JOB_LANGUAGE_COURSE: 'Berufssprachkurs',
  EQ: 'Einstiegsqualifizierung (EQ)',
  AUSBILDUNG: 'Ausbildungsplatz',
  ASSISTED_TRAINING: 'Assistierte Ausbildung (AsA flex)',
  PREPARATION: 'Berufsvorbereitung',
  COUNSELLING: 'Beratung',
  ASSESSMENT: 'Kompetenzfeststellung',
};

export const RESIDENCE_STATUSES: Record<string, string> = {
  GESTATTUNG: 'Aufenthaltsgestattung (§ 55 AsylG)',
  DULDUNG: 'Duldung (§ 60a AufenthG)',
  DULDUNG_AUSBILDUNG: 'Ausbildungsduldung (§ 60c)',
  DULDUNG_BESCHAEFTIGUNG: 'Beschäftigungsduldung (§ 60d)',
  DULDUNG_UNGEKLAERTE_IDENTITAET: 'Duldung, ungeklärte Identität (§ 60b)',
  AE_CHANCEN: 'Chancen-Aufenthaltsrecht (§ 104c)',
  AE_GUT_INTEGRIERT: 'Aufenthaltserlaubnis § 25a',
  AE_AUSBILDUNG: 'Aufenthaltserlaubnis zur Ausbildung (§ 16g)',
  AE_OTHER: 'andere Aufenthaltserlaubnis',
  NIEDERLASSUNG: 'Niederlassungserlaubnis',
  UNKNOWN: 'unbekannt',
};

/** Short forms for chart axes, where the legal references do not fit. */
export const RESIDENCE_STATUSES_SHORT: Record<string, string> = {
  GESTATTUNG: 'Gestattung',
  DULDUNG: 'Duldung',
  DULDUNG_AUSBILDUNG: 'Ausbildungsduldung',
  DULDUNG_BESCHAEFTIGUNG: 'Beschäftigungsduldung',
  DULDUNG_UNGEKLAERTE_IDENTITAET: 'Duldung § 60b',
  AE_CHANCEN: 'Chancen-AE',
  AE_GUT_INTEGRIERT: 'AE § 25a',
  AE_AUSBILDUNG: 'AE § 16g',
  AE_OTHER: 'andere AE',
  NIEDERLASSUNG: 'Niederlassung',
  UNKNOWN: 'unbekannt',
};

export const GERMAN_LEVELS = ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

export const GERMAN_LEVEL_LABELS: Record<string, string> = {
  A0: 'A0 (noch kein Deutsch)',
  A1: 'A1',
  A2: 'A2',
  B1: 'B1',
  B2: 'B2',
  C1: 'C1',
  C2: 'C2',
};

export const STAGES: Record<string, string> = {
  INTAKE: 'Aufnahme',
  ORIENTATION: 'Orientierung',
  LANGUAGE: 'Sprachförderung',
  PREPARATION: 'Berufsvorbereitung',
  EQ: 'Einstiegsqualifizierung',
  AUSBILDUNG: 'Ausbildung',
  WORK: 'Arbeit',
  SCHOOL: 'Schule',
  ENDED_OTHER: 'anders beendet',
};

export const AGE_BANDS: Record<string, string> = {
  AGE_18_20: '18–20 Jahre',
  AGE_21_24: '21–24 Jahre',
  AGE_25_27: '25–27 Jahre',
};

export const GENDERS: Record<string, string> = {
  F: 'weiblich',
  M: 'männlich',
  D: 'divers',
  UNKNOWN: 'keine Angabe',
};

export const SCHOOL_LEVELS: Record<string, string> = {
  NONE: 'kein Schulbesuch',
  PRIMARY: 'Grundschule',
  LOWER_SECONDARY: 'Sekundarstufe I',
  UPPER_SECONDARY: 'Sekundarstufe II',
  HIGHER_EDUCATION: 'Hochschule',
  UNKNOWN: 'unbekannt',
};

/** Nationality groups of cases: the top countries (ISO 3166-1 alpha-2), else OTHER. */
export const NATIONALITY_GROUPS: Record<string, string> = {
  SY: 'Syrien',
  AF: 'Afghanistan',
  IQ: 'Irak',
  TR: 'Türkei',
  GN: 'Guinea',
  ER: 'Eritrea',
  SO: 'Somalia',
  NG: 'Nigeria',
  IR: 'Iran',
  UA: 'Ukraine',
  OTHER: 'andere',
};

export const CASE_EVENT_KINDS: Record<string, string> = {
  INTAKE: 'Aufnahme',
  STAGE_CHANGE: 'Stufenwechsel',
  STATUS_CHANGE: 'Statuswechsel',
  REFERRAL: 'Vermittlung',
  HANDOVER: 'Übergabe',
  CLOSED: 'abgeschlossen',
};

export const RESERVATION_STATUSES: Record<string, string> = {
  HELD: 'vorgemerkt',
  CONFIRMED: 'bestätigt',
  RELEASED: 'aufgehoben',
  EXPIRED: 'abgelaufen',
};

export const WAITING_LIST_STATUSES: Record<string, string> = {
  WAITING: 'wartet',
  OFFERED: 'Platz angeboten',
  WITHDRAWN: 'zurückgezogen',
};

export const AVAILABILITY: Record<string, string> = {
  NONE: 'kein Platz frei',
  FEW: 'wenige Plätze frei (1–3)',
  SOME: 'Plätze frei (mehr als 3)',
};

export const AUDIENCES: Record<string, string> = {
  PUBLIC: 'Öffentlichkeit',
  PARTNER: 'Bündnispartner',
  COORDINATOR: 'Koordination (KI)',
};

const dateFormat = new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** 2026-10-05 → 05.10.2026 (dates without a time zone stay the day they are). */
export const formatDate = (isoDate: string) => dateFormat.format(new Date(`${isoDate}T12:00:00`));

export const formatDateTime = (iso: string | Date) => dateTimeFormat.format(new Date(iso));

/** "2026-Q3" → "3. Quartal 2026". */
export function formatPeriod(period: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(period);
  if (quarter) return `${quarter[2]}. Quartal ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    return new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric' }).format(
      new Date(Number(month[1]), Number(month[2]) - 1, 15),
    );
  }
  return period;
}
