import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, toCsv } from '../../src/modules/search/offer-export.js';

describe('CSV export', () => {
  const line = (cells: (string | number | null)[]) =>
    toCsv([cells])
      .replace(/^\ufeff/, '')
      .split('\r\n')[1];

  it('keeps text a spreadsheet would run as a formula as text, and numbers as numbers', () => {
    const padding = Array(EXPORT_COLUMNS.length - 4).fill(null);
    expect(line(['=HYPERLINK("http://x";"y")', '+1', '@SUM(A1)', -3, ...padding])).toBe(
      `"'=HYPERLINK(""http://x"";""y"")";'+1;'@SUM(A1);-3${';'.repeat(padding.length)}`,
    );
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(line(['a;b', 'c"d', 'e\nf', 'plain'])).toBe('"a;b";"c""d";"e\nf";plain');
  });
});
