/** What every section needs from the session: the token, the organisation and the policy's actions. */
export interface Workspace {
  token: string;
  organisationId: string;
  /** Whether `Me.actions` lists the action: a form is shown only then (the API decides again). */
  may: (action: string) => boolean;
}

/** Euro text ("12,50", "12.5", "0") → cents; null for empty; NaN for what is no amount. */
export function centsOf(text: string): number | null {
  const trimmed = text.trim().replace(/\s|€/g, '');
  if (!trimmed) return null;
  if (!/^\d+([.,]\d{1,2})?$/.test(trimmed)) return Number.NaN;
  return Math.round(Number(trimmed.replace(',', '.')) * 100);
}

/** Cents → "12,50" for a form field. */
export const euroText = (cents: number | null | undefined) =>
  cents == null ? '' : (cents / 100).toFixed(2).replace('.', ',');

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
export const formatEuro = (cents: number) => euro.format(cents / 100);
