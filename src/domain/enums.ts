/**
 * The closed vocabularies of docs/domain.md. Stored as text with CHECK constraints (MikroORM @Enum),
 * exposed as GraphQL enums under the same names.
 */

export enum OrganisationKind {
  MUNICIPAL = 'MUNICIPAL',
  YOUTH_SERVICES = 'YOUTH_SERVICES',
  WELFARE = 'WELFARE',
  EDUCATION_PROVIDER = 'EDUCATION_PROVIDER',
  SCHOOL = 'SCHOOL',
  JOBCENTER = 'JOBCENTER',
  EMPLOYMENT_AGENCY = 'EMPLOYMENT_AGENCY',
  CHAMBER = 'CHAMBER',
  EMPLOYER = 'EMPLOYER',
}

export enum OfferKind {
  INTEGRATION_COURSE = 'INTEGRATION_COURSE',
  JOB_LANGUAGE_COURSE = 'JOB_LANGUAGE_COURSE',
  EQ = 'EQ',
  AUSBILDUNG = 'AUSBILDUNG',
  ASSISTED_TRAINING = 'ASSISTED_TRAINING',
  PREPARATION = 'PREPARATION',
  COUNSELLING = 'COUNSELLING',
  ASSESSMENT = 'ASSESSMENT',
}

/** GER/CEFR levels; A0 = no German yet. Declared in ascending order, which comparisons rely on. */
export enum GermanLevel {
  A0 = 'A0',
  A1 = 'A1',
  A2 = 'A2',
  B1 = 'B1',
  B2 = 'B2',
  C1 = 'C1',
  C2 = 'C2',
}

export enum ResidenceStatus {
  GESTATTUNG = 'GESTATTUNG',
  DULDUNG = 'DULDUNG',
  DULDUNG_AUSBILDUNG = 'DULDUNG_AUSBILDUNG',
  DULDUNG_BESCHAEFTIGUNG = 'DULDUNG_BESCHAEFTIGUNG',
  DULDUNG_UNGEKLAERTE_IDENTITAET = 'DULDUNG_UNGEKLAERTE_IDENTITAET',
  AE_CHANCEN = 'AE_CHANCEN',
  AE_GUT_INTEGRIERT = 'AE_GUT_INTEGRIERT',
  AE_AUSBILDUNG = 'AE_AUSBILDUNG',
  AE_OTHER = 'AE_OTHER',
  NIEDERLASSUNG = 'NIEDERLASSUNG',
  UNKNOWN = 'UNKNOWN',
}

/** The statuses counted as "geduldet" (all forms of Duldung). */
export const DULDUNG_STATUSES: readonly ResidenceStatus[] = [
  ResidenceStatus.DULDUNG,
  ResidenceStatus.DULDUNG_AUSBILDUNG,
  ResidenceStatus.DULDUNG_BESCHAEFTIGUNG,
  ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET,
];

export enum PathwayStage {
  INTAKE = 'INTAKE',
  ORIENTATION = 'ORIENTATION',
  LANGUAGE = 'LANGUAGE',
  PREPARATION = 'PREPARATION',
  EQ = 'EQ',
  AUSBILDUNG = 'AUSBILDUNG',
  WORK = 'WORK',
  SCHOOL = 'SCHOOL',
  ENDED_OTHER = 'ENDED_OTHER',
}

export enum AgeBand {
  AGE_18_20 = 'AGE_18_20',
  AGE_21_24 = 'AGE_21_24',
  AGE_25_27 = 'AGE_25_27',
}

export enum Gender {
  F = 'F',
  M = 'M',
  D = 'D',
  UNKNOWN = 'UNKNOWN',
}

export enum SchoolLevel {
  NONE = 'NONE',
  PRIMARY = 'PRIMARY',
  LOWER_SECONDARY = 'LOWER_SECONDARY',
  UPPER_SECONDARY = 'UPPER_SECONDARY',
  HIGHER_EDUCATION = 'HIGHER_EDUCATION',
  UNKNOWN = 'UNKNOWN',
}

export enum Role {
  PARTNER_STAFF = 'PARTNER_STAFF',
  PARTNER_EDITOR = 'PARTNER_EDITOR',
  CASE_MANAGER = 'CASE_MANAGER',
  COORDINATOR = 'COORDINATOR',
  ADMIN = 'ADMIN',
}

export enum ReservationStatus {
  HELD = 'HELD',
  CONFIRMED = 'CONFIRMED',
  RELEASED = 'RELEASED',
  EXPIRED = 'EXPIRED',
}

export enum WaitingListStatus {
  WAITING = 'WAITING',
  OFFERED = 'OFFERED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum CaseEventKind {
  INTAKE = 'INTAKE',
  STAGE_CHANGE = 'STAGE_CHANGE',
  STATUS_CHANGE = 'STATUS_CHANGE',
  REFERRAL = 'REFERRAL',
  HANDOVER = 'HANDOVER',
  CLOSED = 'CLOSED',
}

/** Groups of restricted fields an organisation may share; cases are deliberately absent (never shareable). */
export enum FieldGroup {
  CONTACTS = 'CONTACTS',
  PLACES_DETAIL = 'PLACES_DETAIL',
  INTERNAL_NOTES = 'INTERNAL_NOTES',
  FUNDING = 'FUNDING',
}

export enum SharingAudience {
  ORGANISATION = 'ORGANISATION',
  ALLIANCE = 'ALLIANCE',
}

/** SQL list literal for CHECK constraints on text[] columns. */
export const sqlTextArray = (values: readonly string[]) =>
  `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;
