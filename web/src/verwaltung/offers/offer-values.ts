import { centsOf, euroText } from '../workspace';
import type { EditableOffer } from './offer-queries';

/** The offer form's values as typed (text for numbers and lists, so a half-typed value stays visible). */
export interface OfferValues {
  title: string;
  kind: string;
  description: string;
  locationId: string;
  languages: string;
  requiredGermanLevel: string;
  schedule: string;
  costCents: string;
  costPerPlaceCents: string;
  fundingProgrammeCode: string;
  internalNote: string;
  autoOfferFromWaitingList: boolean;
}

/** German labels of the offer's fields (form, conflict comparison). */
export const OFFER_LABELS: Record<keyof OfferValues, string> = {
  title: 'Titel',
  kind: 'Art des Angebots',
  description: 'Beschreibung',
  locationId: 'Standort',
  languages: 'Sprachen (ISO-Kürzel, durch Komma getrennt)',
  requiredGermanLevel: 'Nötiges Deutschniveau',
  schedule: 'Zeiten',
  costCents: 'Kosten für Teilnehmende in Euro',
  costPerPlaceCents: 'Kosten pro Platz für die Förderung in Euro',
  fundingProgrammeCode: 'Förderprogramm (Kürzel)',
  internalNote: 'Interne Notiz',
  autoOfferFromWaitingList: 'Frei werdende Plätze automatisch der Warteliste anbieten',
};

export const emptyOfferValues = (locationId: string): OfferValues => ({
  title: '',
  kind: 'INTEGRATION_COURSE',
  description: '',
  locationId,
  languages: 'de',
  requiredGermanLevel: 'A0',
  schedule: '',
  costCents: '0',
  costPerPlaceCents: '',
  fundingProgrammeCode: '',
  internalNote: '',
  autoOfferFromWaitingList: true,
});

export const offerValuesOf = (offer: EditableOffer): OfferValues => ({
  title: offer.title,
  kind: offer.kind,
  description: offer.description,
  locationId: offer.location.id,
  languages: offer.languages.join(', '),
  requiredGermanLevel: offer.requiredGermanLevel,
  schedule: offer.schedule ?? '',
  costCents: euroText(offer.costCents),
  costPerPlaceCents: euroText(offer.costPerPlaceCents),
  fundingProgrammeCode: offer.fundingProgramme?.code ?? '',
  internalNote: offer.internalNote ?? '',
  autoOfferFromWaitingList: offer.autoOfferFromWaitingList ?? true,
});

/**
 * The API input for these values: every field when creating, only the changed ones when editing (so the
 * audit trail and a concurrent editor's other fields stay untouched). Amounts that are no amount are
 * refused here, in German, before asking the hub.
 */
export function offerInput(
  values: OfferValues,
  initial: OfferValues | null,
): { input: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  const changed = (key: keyof OfferValues) => !initial || values[key] !== initial[key];
  const text = (key: keyof OfferValues, emptyAs: null | undefined = undefined) => {
    if (!changed(key)) return;
    const value = (values[key] as string).trim();
    input[key] = value === '' ? emptyAs : value;
  };
  text('title');
  text('description');
  if (changed('kind')) input.kind = values.kind;
  if (changed('locationId')) input.locationId = values.locationId || undefined;
  if (changed('languages')) {
    input.languages = values.languages
      .split(/[,;\s]+/)
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
  }
  if (changed('requiredGermanLevel')) input.requiredGermanLevel = values.requiredGermanLevel;
  text('schedule', initial ? null : undefined);
  for (const key of ['costCents', 'costPerPlaceCents'] as const) {
    if (!changed(key)) continue;
    const cents = centsOf(values[key]);
    if (Number.isNaN(cents)) errors[key] = 'Bitte einen Betrag in Euro angeben, z. B. „12,50“.';
    else if (key === 'costCents') input.costCents = cents ?? 0;
    else input.costPerPlaceCents = cents ?? (initial ? null : undefined);
  }
  text('fundingProgrammeCode', initial ? null : undefined);
  text('internalNote', initial ? null : undefined);
  if (changed('autoOfferFromWaitingList')) input.autoOfferFromWaitingList = values.autoOfferFromWaitingList;
  return { input, errors };
}

/** The typed values that differ from `initial`, as label → value (for the conflict comparison). */
export function offerEdits(values: OfferValues, initial: OfferValues): [string, string][] {
  return (Object.keys(OFFER_LABELS) as (keyof OfferValues)[])
    .filter((key) => values[key] !== initial[key])
    .map((key) => {
      const value = values[key];
      return [OFFER_LABELS[key], typeof value === 'boolean' ? (value ? 'ja' : 'nein') : value];
    });
}
