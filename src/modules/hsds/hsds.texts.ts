import { GermanLevel, ResidenceStatus } from '../../domain/enums.js';
import { AvailabilityBand } from '../../graphql/enums.js';
import type { OfferNode } from './hsds.query.js';

/** German texts for city portals: HSDS carries eligibility, fees and availability as free text. */

const RESIDENCE_STATUS_LABELS: Record<ResidenceStatus, string> = {
  [ResidenceStatus.GESTATTUNG]: 'Aufenthaltsgestattung',
  [ResidenceStatus.DULDUNG]: 'Duldung',
  [ResidenceStatus.DULDUNG_AUSBILDUNG]: 'Ausbildungsduldung',
  [ResidenceStatus.DULDUNG_BESCHAEFTIGUNG]: 'Beschäftigungsduldung',
  [ResidenceStatus.DULDUNG_UNGEKLAERTE_IDENTITAET]: 'Duldung bei ungeklärter Identität',
  [ResidenceStatus.AE_CHANCEN]: 'Chancen-Aufenthaltsrecht',
  [ResidenceStatus.AE_GUT_INTEGRIERT]: 'Aufenthaltserlaubnis für gut integrierte junge Menschen',
  [ResidenceStatus.AE_AUSBILDUNG]: 'Aufenthaltserlaubnis zur Ausbildung',
  [ResidenceStatus.AE_OTHER]: 'sonstige Aufenthaltserlaubnis',
  [ResidenceStatus.NIEDERLASSUNG]: 'Niederlassungserlaubnis',
  [ResidenceStatus.UNKNOWN]: 'ungeklärter Aufenthaltsstatus',
};

export const AVAILABILITY_LABELS: Record<AvailabilityBand, string> = {
  [AvailabilityBand.NONE]: 'keine',
  [AvailabilityBand.FEW]: 'wenige',
  [AvailabilityBand.SOME]: 'einige',
};

const ALL_STATUSES = Object.values(ResidenceStatus);

/** Free text from partners may already end with a full stop. */
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/**
 * The rule in force today, as one German paragraph. The offer's own required level counts too: the
 * hub's eligibility filter applies the stricter of the two, so the text must say the same.
 */
export function eligibilityText(offer: Pick<OfferNode, 'eligibility' | 'requiredGermanLevel'>): string {
  const rule = offer.eligibility;
  const level = [offer.requiredGermanLevel, rule?.minGermanLevel ?? GermanLevel.A0].sort().at(-1)!;
  const germanSentence =
    level === GermanLevel.A0
      ? 'Deutschkenntnisse: keine Vorkenntnisse nötig.'
      : `Deutschkenntnisse: mindestens ${level} (GER).`;
  if (!rule) {
    return `Derzeit ist keine gültige Zugangsregel hinterlegt; bitte beim Träger nachfragen. ${germanSentence}`;
  }
  const statuses = ALL_STATUSES.every((s) => rule.residenceStatuses.includes(s))
    ? 'alle'
    : ALL_STATUSES.filter((s) => rule.residenceStatuses.includes(s))
        .map((s) => RESIDENCE_STATUS_LABELS[s])
        .join(', ');
  return [
    `Aufenthaltsstatus: ${statuses}.`,
    `Alter: ${rule.minAge} bis ${rule.maxAge} Jahre.`,
    germanSentence,
    rule.legalBasisNote ? `Rechtsgrundlage: ${sentence(rule.legalBasisNote)}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

const EURO = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

export function feesText(costCents: number): string {
  return costCents === 0 ? 'kostenlos' : `${EURO.format(costCents / 100)} Eigenanteil für Teilnehmende`;
}

/** "2026-09-01" → "01.09.2026" */
export function germanDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

export function capacityText(period: NonNullable<OfferNode['currentCapacityPeriod']>): string {
  const span = `${germanDate(period.startsOn)}–${germanDate(period.endsOn)}`;
  const name = period.label ? `${period.label.replace(/\.$/, '')} (${span})` : `Zeitraum ${span}`;
  return `${name}. Freie Plätze: ${AVAILABILITY_LABELS[period.availability]}.`;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['de'], { type: 'language', fallback: 'none' });

export function languageName(code: string): string | undefined {
  try {
    return LANGUAGE_NAMES.of(code);
  } catch {
    // Not a well-formed language tag: HSDS still gets the code, just without a name.
    return undefined;
  }
}
