import type { OfferKind } from './enums.js';

/** The German names of offer kinds, as partners write them (import, HSDS, pages). */
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
