import { GERMAN_LEVEL_LABELS, OFFER_KINDS, RESIDENCE_STATUSES_SHORT } from '../../shared/labels';
import type { Action, Change, Counts } from './upload';

export const ACTION_LABELS: Record<Action, string> = {
  create: 'Neu',
  update: 'Geändert',
  unchanged: 'Unverändert',
};

const germanDate = (iso: string) => iso.split('-').reverse().join('.');

/** "1 neu, 2 geändert" (the counts that are not 0; "keine" when all are). */
export function countsText(counts: Counts): string {
  const parts = [
    counts.create ? `${counts.create} neu` : '',
    counts.update ? `${counts.update} geändert` : '',
    counts.unchanged ? `${counts.unchanged} unverändert` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'keine';
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** A value of a change as a partner reads it. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return field === 'period' ? 'neu' : 'leer';
  switch (field) {
    case 'kind':
      return OFFER_KINDS[String(value)] ?? String(value);
    case 'requiredGermanLevel':
      return GERMAN_LEVEL_LABELS[String(value)] ?? String(value);
    case 'languages':
      return (value as string[]).join(', ');
    case 'eligibility': {
      const rule = value as { residenceStatuses: string[]; minAge: number; maxAge: number };
      const statuses = rule.residenceStatuses.map((s) => RESIDENCE_STATUSES_SHORT[s] ?? s).join(', ');
      return `${statuses}; ${rule.minAge}–${rule.maxAge} Jahre`;
    }
    case 'period': {
      const period = value as { endsOn: string; total: number; occupied: number };
      return `bis ${germanDate(period.endsOn)}, ${period.total} Plätze, ${period.occupied} belegt`;
    }
    default:
      return `„${clip(String(value))}“`;
  }
}

export const changeText = (change: Change) =>
  `${change.column}: ${valueText(change.field, change.before)} → ${valueText(change.field, change.after)}`;
