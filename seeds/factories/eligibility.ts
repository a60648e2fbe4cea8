import { GermanLevel, OfferKind, ResidenceStatus } from '../../src/domain/enums.js';
import type { OfferTemplate } from './offer-templates.js';

const S = ResidenceStatus;

/** Every residence title (Aufenthaltserlaubnis) plus settlement permit. */
const TITLES = [S.AE_CHANCEN, S.AE_GUT_INTEGRIERT, S.AE_AUSBILDUNG, S.AE_OTHER, S.NIEDERLASSUNG] as const;

export interface EligibilityDefaults {
  statuses: readonly ResidenceStatus[];
  minAge: number;
  maxAge: number;
  legalBasisNote: string | null;
}

/**
 * Default eligibility per offer kind (docs/domain.md, "Offers and places"). Work-related offers exclude
 * DULDUNG_UNGEKLAERTE_IDENTITAET, whose holders are barred from employment (§ 60b Abs. 5 AufenthG).
 */
export const KIND_ELIGIBILITY: Record<OfferKind, EligibilityDefaults> = {
  [OfferKind.INTEGRATION_COURSE]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_AUSBILDUNG, S.DULDUNG_BESCHAEFTIGUNG, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote:
      '§ 44 AufenthG; Zulassung Gestatteter und Geduldeter nach § 44 Abs. 4 AufenthG im Rahmen freier Plätze',
  },
  [OfferKind.JOB_LANGUAGE_COURSE]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_AUSBILDUNG, S.DULDUNG_BESCHAEFTIGUNG, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote: '§ 45a AufenthG, DeuFöV (max. 25 Teilnehmende je Kurs)',
  },
  [OfferKind.EQ]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_BESCHAEFTIGUNG, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote:
      '§ 54a SGB III; Beschäftigungserlaubnis der Ausländerbehörde erforderlich (§ 4a AufenthG, § 61 AsylG)',
  },
  [OfferKind.AUSBILDUNG]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_AUSBILDUNG, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote: 'BBiG/HwO; Ausbildungsduldung § 60c AufenthG',
  },
  [OfferKind.ASSISTED_TRAINING]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_AUSBILDUNG, S.DULDUNG_BESCHAEFTIGUNG, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote: '§ 74 ff. SGB III',
  },
  [OfferKind.PREPARATION]: {
    statuses: [S.GESTATTUNG, S.DULDUNG, S.DULDUNG_UNGEKLAERTE_IDENTITAET, ...TITLES],
    minAge: 18,
    maxAge: 27,
    legalBasisNote: '§ 51 SGB III',
  },
  [OfferKind.COUNSELLING]: {
    statuses: Object.values(ResidenceStatus),
    minAge: 18,
    maxAge: 27,
    legalBasisNote: null,
  },
  [OfferKind.ASSESSMENT]: {
    statuses: Object.values(ResidenceStatus),
    minAge: 18,
    maxAge: 27,
    legalBasisNote: null,
  },
};

export interface EligibilityValues {
  residenceStatuses: ResidenceStatus[];
  minAge: number;
  maxAge: number;
  minGermanLevel: GermanLevel | null;
  legalBasisNote: string | null;
}

/** Version 1 of an offer's rule: kind defaults, refined by the template. */
export function eligibilityFor(template: OfferTemplate): EligibilityValues {
  const defaults = KIND_ELIGIBILITY[template.kind];
  return {
    residenceStatuses: [...(template.statuses ?? defaults.statuses)],
    minAge: template.minAge ?? defaults.minAge,
    maxAge: template.maxAge ?? defaults.maxAge,
    minGermanLevel: template.level === GermanLevel.A0 ? null : template.level,
    legalBasisNote: template.legalBasisNote ?? defaults.legalBasisNote,
  };
}

/**
 * A plausible version 2 (a rule change): integration courses stop admitting Gestattete in the
 * invented 2026 federal budget; other offers widen the age range to 35 or relax the German level.
 */
export function revisedEligibility(kind: OfferKind, v1: EligibilityValues): EligibilityValues {
  if (kind === OfferKind.INTEGRATION_COURSE) {
    return {
      ...v1,
      residenceStatuses: v1.residenceStatuses.filter((s) => s !== S.GESTATTUNG),
      legalBasisNote:
        '§ 44 AufenthG; seit 2026 keine Neuzulassung Gestatteter (Haushaltsvorbehalt, § 44 Abs. 4 AufenthG)',
    };
  }
  if (v1.maxAge < 35) return { ...v1, maxAge: 35 };
  return { ...v1, minGermanLevel: lowerLevel(v1.minGermanLevel) };
}

const LEVELS = Object.values(GermanLevel);
function lowerLevel(level: GermanLevel | null): GermanLevel | null {
  if (level === null) return null;
  const index = LEVELS.indexOf(level);
  return index <= 1 ? null : LEVELS[index - 1]!;
}

/** Is `level` at least `min`? (null = no requirement) */
export const meetsLevel = (level: GermanLevel, min: GermanLevel | null): boolean =>
  min === null || LEVELS.indexOf(level) >= LEVELS.indexOf(min);
