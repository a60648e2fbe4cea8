/** Nearest-rank percentile of `values` (p in 0…100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** "9" when every request ran 9 statements, else the median and the range: "9 (9–11)". */
export function range(values: readonly number[]): string {
  if (values.length === 0) return '–';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? String(min) : `${percentile(values, 50)} (${min}–${max})`;
}

export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '–');

export const ratio = (a: number, b: number): string =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '–';

/** A plain Markdown-style table (readable in a terminal, pasteable into an issue). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignRight: boolean[],
) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) =>
    alignRight[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (alignRight[i] ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
