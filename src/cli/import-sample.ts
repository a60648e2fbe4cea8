import { parseArgs } from 'node:util';
import { COLUMNS } from '../modules/import/columns.js';

/**
 * `npm run -s import:sample -- --rows 100000 --location "VHS im Forum" > angebote.csv`: a valid
 * template-shaped CSV (semicolons, German dates) of N rows for trying and measuring the import.
 */
const { values } = parseArgs({ options: { rows: { type: 'string' }, location: { type: 'string' } } });
const rows = Number(values.rows ?? 1000);
if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000) {
  process.stderr.write('usage: npm run -s import:sample -- --rows N (1…1000000) --location NAME\n');
  process.exit(2);
}
const location = values.location ?? 'Standort';
const kinds = ['Integrationskurs', 'Berufssprachkurs', 'EQ', 'Ausbildung', 'Beratung'];
const pad = (n: number) => String(n).padStart(2, '0');
const out: string[] = [COLUMNS.map((c) => c.header).join(';')];
for (let i = 1; i <= rows; i++) {
  const month = 1 + (i % 12);
  const row: Record<string, string> = {
    externalKey: `SAMPLE-${i}`,
    title: `Angebot Nummer ${i}`,
    kind: kinds[i % kinds.length],
    description: `Beschreibung des Angebots ${i}: Inhalte, Zielgruppe und Ablauf.`,
    location,
    languages: 'de',
    germanLevel: 'A1',
    schedule: 'Mo–Fr 8:30–12:45',
    startsOn: `01.${pad(month)}.2027`,
    endsOn: `28.${pad(month)}.2027`,
    total: String(10 + (i % 15)),
    occupied: String(i % 5),
  };
  out.push(COLUMNS.map((c) => row[c.field] ?? '').join(';'));
  if (out.length >= 10_000) {
    process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  }
}
process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
