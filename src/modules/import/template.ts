import { KIND_LABELS } from '../../domain/labels.js';
import { COLUMNS } from './columns.js';

/**
 * The published import template: the German columns with one example row, as CSV (UTF-8 with BOM and
 * semicolons, which German Excel opens directly) and as XLSX (with an explanation sheet).
 */
export function templateCsv(): string {
  const quote = (v: string) => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [COLUMNS.map((c) => quote(c.header)), COLUMNS.map((c) => quote(c.example))];
  return `\ufeff${lines.map((l) => l.join(';')).join('\r\n')}\r\n`;
}

export async function templateXlsx(): Promise<Buffer> {
  // Loaded on first use: ExcelJS adds ~27 MB to the hub's resident memory, and most hubs never import.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Bündnis Hub';
  const sheet = workbook.addWorksheet('Angebote');
  sheet.columns = COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: Math.max(14, c.header.length + 4),
  }));
  sheet.addRow(Object.fromEntries(COLUMNS.map((c) => [c.field, c.example])));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const help = workbook.addWorksheet('Erläuterungen');
  help.columns = [
    { header: 'Spalte', key: 'header', width: 18 },
    { header: 'Pflicht', key: 'required', width: 8 },
    { header: 'Bedeutung', key: 'hint', width: 90 },
  ];
  for (const c of COLUMNS) help.addRow({ header: c.header, required: c.required ? 'ja' : '', hint: c.hint });
  help.addRow({});
  help.addRow({ header: 'Arten', hint: Object.values(KIND_LABELS).join(', ') });
  help.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
