import { type GermanLevel, type OfferKind, ResidenceStatus } from '../../domain/enums.js';
import {
  COLUMNS,
  fieldOfHeader,
  type ImportField,
  parseCount,
  parseDate,
  parseGermanLevel,
  parseKind,
  parseStatuses,
} from './columns.js';
import type { Table } from './read-table.js';

/**
 * The rows of a partner's file, checked one by one: grouped by the partner's "Externe ID" (an offer and
 * its periods), with every problem found in them said in German (row, column, what is wrong). Nothing
 * here reads the database; import.service.ts compares the groups with what the organisation has.
 */

export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

/** Problems a report lists in full; beyond this it counts them. */
const MAX_PROBLEMS = 1_000;

export const headerOf = (field: ImportField) => COLUMNS.find((c) => c.field === field)!.header;

export interface OfferRow {
  row: number;
  externalKey: string;
  title: string;
  kind: OfferKind;
  description: string;
  location: string;
  address: { street: string; postalCode: string; city: string; district: string } | null;
  /** undefined: the file has no such column, and the offer keeps what it has. */
  languages?: string[];
  germanLevel?: GermanLevel;
  schedule?: string | null;
  /** From Zielgruppe / Alter von / Alter bis; undefined: the offer's rule stays as it is. */
  eligibility?: { residenceStatuses: ResidenceStatus[]; minAge: number; maxAge: number };
}
export interface PeriodRow {
  row: number;
  startsOn: string;
  endsOn: string;
  total: number;
  occupied: number;
}
export interface Group {
  offer: OfferRow;
  periods: PeriodRow[];
}

/** Checks each record; returns the groups by external key and the problems. */
export async function collect(table: Table, problems: Problems) {
  const groups = new Map<string, Group>();
  let header: (ImportField | undefined)[] | null = null;
  let headerRow: number | null = null;
  let previous: string[] = [];
  let dataRows = 0;
  let emptyRows = 0;
  let seen = 0;
  let checkedRequired = false;
  /** After a fatal header problem the rest is only read (for the digest), not checked. */
  let skipRest = false;

  let headerCells: string[] = [];
  let subHeaderChecked = false;
  for await (const { line, cells } of table.rows) {
    if (skipRest) continue;
    if (!header) {
      seen++;
      const candidate = headerFields(cells, previous);
      if (candidate) {
        header = candidate;
        headerCells = cells;
        headerRow = line;
        continue;
      }
      previous = cells;
      if (seen >= 10) skipRest = true;
      continue;
    }
    if (!subHeaderChecked) {
      subHeaderChecked = true;
      // A second header row under merged cells ("Plätze" over "gesamt" | "belegt") refines the first.
      const refined = subHeader(cells, headerCells, header);
      if (refined) {
        header = refined;
        headerRow = line;
        continue;
      }
    }
    if (!checkedRequired) {
      checkedRequired = true;
      const found = header;
      const missing = COLUMNS.filter((c) => c.required && !found.includes(c.field));
      for (const c of missing)
        problems.add(headerRow ?? 0, c.header, 'Pflichtspalte fehlt in der Kopfzeile.');
      if (missing.length > 0) {
        skipRest = true;
        continue;
      }
    }
    const record: Partial<Record<ImportField, string>> = {};
    header.forEach((field, i) => {
      if (field && cells[i] !== undefined && cells[i] !== '') record[field] ??= cells[i];
    });
    if (Object.values(record).every((v) => !v?.trim())) {
      emptyRows++;
      continue;
    }
    dataRows++;
    addRecord(groups, record, line, problems, new Set(header.filter((f): f is ImportField => !!f)));
  }
  if (header && !checkedRequired) {
    const found = header;
    for (const c of COLUMNS.filter((c) => c.required && !found.includes(c.field)))
      problems.add(headerRow ?? 0, c.header, 'Pflichtspalte fehlt in der Kopfzeile.');
  }
  if (!header)
    problems.add(
      0,
      'Kopfzeile',
      `Keine Kopfzeile gefunden: die ersten 10 Zeilen enthalten nicht die Spalten ${COLUMNS.filter(
        (c) => c.required,
      )
        .map((c) => `„${c.header}“`)
        .join(', ')}. Bitte die Vorlage verwenden.`,
    );
  return { groups, headerRow, dataRows, emptyRows };
}

/**
 * A header row names at least three template columns, Titel among them. A header split over two
 * rows (a merged "Plätze" above "gesamt" | "belegt") is read as "Plätze gesamt" etc.
 */
function headerFields(cells: string[], above: string[]): (ImportField | undefined)[] | null {
  const fields = cells.map((text, i) => {
    const own = fieldOfHeader(text);
    if (own || !text) return own;
    let j = i;
    while (j >= 0 && !above[j]) j--;
    return j >= 0 ? fieldOfHeader(`${above[j]} ${text}`) : undefined;
  });
  const known = new Set(fields.filter(Boolean));
  return known.size >= 3 && known.has('title') ? fields : null;
}

/** The row under a header, read as the lower half of a two-row header, or null when it is data. */
function subHeader(
  cells: string[],
  above: string[],
  header: (ImportField | undefined)[],
): (ImportField | undefined)[] | null {
  const keyColumns = ['externalKey', 'title'].map((f) => header.indexOf(f as ImportField));
  if (keyColumns.some((i) => i >= 0 && cells[i])) return null;
  let refined = false;
  const fields = header.map((own, i) => {
    const text = cells[i];
    if (!text) return own;
    let j = i;
    while (j >= 0 && !above[j]) j--;
    const combined = j >= 0 ? fieldOfHeader(`${above[j]} ${text}`) : undefined;
    if (combined) refined = true;
    return combined ?? own;
  });
  return refined ? fields : null;
}

export class Problems {
  readonly list: RowProblem[] = [];
  count = 0;
  /** Problems of the file as a whole (header, format, digest): no row of it can be written. */
  fileLevel = 0;
  /** The Externe IDs whose rows have problems: left out whole when the good rows are written alone. */
  readonly keys = new Set<string>();
  /** `key`: the offer a problem belongs to (null: a row without one); undefined: the whole file. */
  add(row: number, column: string, message: string, key?: string | null) {
    this.count++;
    if (key === undefined) this.fileLevel++;
    else if (key) this.keys.add(key);
    if (this.list.length < MAX_PROBLEMS) this.list.push({ row, column, message });
  }
}

function addRecord(
  groups: Map<string, Group>,
  r: Partial<Record<ImportField, string>>,
  row: number,
  problems: Problems,
  columns: ReadonlySet<ImportField>,
) {
  const before = problems.count;
  const key = (r.externalKey ?? '').trim() || null;
  const problem = (field: ImportField, message: string) => problems.add(row, headerOf(field), message, key);
  const text = (field: ImportField, max: number, min = 0) => {
    const value = (r[field] ?? '').trim();
    if (min > 0 && value.length === 0) problem(field, 'fehlt.');
    else if (value.length < min) problem(field, `ist zu kurz (mindestens ${min} Zeichen).`);
    else if (value.length > max) problem(field, `ist zu lang (höchstens ${max} Zeichen).`);
    return value;
  };
  const externalKey = text('externalKey', 100, 1);
  const title = text('title', 300, 3);
  const description = text('description', 10_000, 1);
  const location = text('location', 200, 1);
  const kindText = text('kind', 100, 1);
  const kind = kindText ? parseKind(kindText) : undefined;
  if (kindText && !kind)
    problem(
      'kind',
      `„${kindText}“ ist keine bekannte Angebotsart (z. B. Integrationskurs, EQ, Ausbildung, Beratung).`,
    );
  const levelText = (r.germanLevel ?? '').trim();
  const germanLevel = levelText ? parseGermanLevel(levelText) : undefined;
  if (levelText && !germanLevel) problem('germanLevel', `„${levelText}“ ist kein Sprachniveau (A0 bis C2).`);
  const languages = (r.languages ?? '')
    .split(/[,;/ ]+/)
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  for (const code of languages)
    if (!/^[a-z]{2}$/.test(code))
      problem('languages', `„${code}“ ist kein zweistelliges Sprachkürzel (z. B. de, ar).`);
  const schedule = text('schedule', 2_000) || null;
  const street = text('street', 200);
  const postalCode = (r.postalCode ?? '').trim();
  if (postalCode && !/^\d{5}$/.test(postalCode))
    problem('postalCode', `„${postalCode}“ ist keine fünfstellige PLZ.`);
  const city = text('city', 100);
  const district = text('district', 100);
  const address = street || postalCode || city || district ? { street, postalCode, city, district } : null;

  let eligibility: OfferRow['eligibility'];
  const audienceText = (r.audience ?? '').trim();
  if (audienceText || r.minAge || r.maxAge) {
    const parsed = audienceText ? parseStatuses(audienceText) : { statuses: Object.values(ResidenceStatus) };
    if ('unknown' in parsed && parsed.unknown !== undefined)
      problem(
        'audience',
        `„${parsed.unknown}“ ist kein Aufenthaltsstatus (z. B. Gestattung, Duldung, § 25a, alle).`,
      );
    const age = (field: 'minAge' | 'maxAge', fallback: number) => {
      const raw = (r[field] ?? '').trim();
      if (!raw) return fallback;
      const value = parseCount(raw);
      if (value === undefined || value > 99) problem(field, `„${raw}“ ist kein Alter (ganze Zahl bis 99).`);
      return value ?? fallback;
    };
    const minAge = age('minAge', 18);
    const maxAge = age('maxAge', 27);
    if (minAge > maxAge) problem('maxAge', `liegt unter „Alter von“ (${minAge}).`);
    eligibility = { residenceStatuses: parsed.statuses, minAge, maxAge };
  }

  let period: PeriodRow | undefined;
  if (r.startsOn || r.endsOn || r.total || r.occupied) {
    const date = (field: 'startsOn' | 'endsOn') => {
      const raw = (r[field] ?? '').trim();
      if (!raw) return void problem(field, 'fehlt (ein Zeitraum braucht Beginn, Ende und Plätze gesamt).');
      const value = parseDate(raw);
      if (!value) problem(field, `„${raw}“ ist kein Datum (TT.MM.JJJJ, z. B. 31.08.2026).`);
      return value;
    };
    const count = (field: 'total' | 'occupied', fallback?: number) => {
      const raw = (r[field] ?? '').trim();
      if (!raw) {
        if (fallback === undefined)
          problem(field, 'fehlt (ein Zeitraum braucht Beginn, Ende und Plätze gesamt).');
        return fallback;
      }
      const value = parseCount(raw);
      if (value === undefined) problem(field, `„${raw}“ ist keine ganze Zahl ab 0.`);
      return value;
    };
    const startsOn = date('startsOn');
    const endsOn = date('endsOn');
    const total = count('total');
    const occupied = count('occupied', 0);
    if (startsOn && endsOn && endsOn < startsOn) problem('endsOn', 'liegt vor dem Beginn.');
    if (total !== undefined && occupied !== undefined && occupied > total)
      problem('occupied', `${occupied} belegte Plätze sind mehr als ${total} Plätze gesamt.`);
    if (startsOn && endsOn && total !== undefined && occupied !== undefined)
      period = { row, startsOn, endsOn, total, occupied };
  }
  if (problems.count > before || !externalKey || !kind) return;

  const offer: OfferRow = {
    row,
    externalKey,
    title,
    kind,
    description,
    location,
    address,
    // A column the file does not have leaves the offer's value alone; an empty cell resets it.
    languages: columns.has('languages') ? (languages.length ? languages : ['de']) : undefined,
    germanLevel: columns.has('germanLevel') ? (germanLevel ?? ('A0' as GermanLevel)) : undefined,
    schedule: columns.has('schedule') ? schedule : undefined,
    eligibility,
  };
  const group = groups.get(externalKey);
  if (!group) {
    groups.set(externalKey, { offer, periods: period ? [period] : [] });
    return;
  }
  // Further rows of one offer add periods; the offer's own columns must say the same.
  for (const field of ['title', 'kind', 'description', 'location', 'schedule', 'eligibility'] as const) {
    if (JSON.stringify(group.offer[field]) !== JSON.stringify(offer[field]))
      problems.add(
        row,
        headerOf(field === 'eligibility' ? 'audience' : field),
        `widerspricht Zeile ${group.offer.row} mit derselben Externen ID.`,
        externalKey,
      );
  }
  if (period) {
    const twin = group.periods.find((p) => p.startsOn === period.startsOn);
    if (twin)
      problems.add(
        row,
        headerOf('startsOn'),
        `Zeitraum mit diesem Beginn steht schon in Zeile ${twin.row}.`,
        externalKey,
      );
    else group.periods.push(period);
  }
}
