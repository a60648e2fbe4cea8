import { createHash } from 'node:crypto';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';

/**
 * Reads what partners actually send — CSV in UTF-8 or Windows-1252 with ; or , , XLSX (first sheet;
 * formulas give their result) or HSDS JSON — as a stream of rows, without holding the file in memory.
 * The file's SHA-256 is computed on the way through: a dry run's digest confirms the same file later.
 */
export type ImportFormat = 'csv' | 'xlsx' | 'hsds-json';

export interface TableRow {
  /** 1-based line (CSV) or row number (XLSX) as the partner sees it in their program. */
  line: number;
  cells: string[];
}

export interface Table {
  format: ImportFormat;
  encoding?: 'UTF-8' | 'Windows-1252';
  delimiter?: string;
  rows: AsyncIterable<TableRow>;
  /** The file's SHA-256 (hex), complete once `rows` has been read to the end. */
  digest(): string;
}

/** A file the importer cannot read at all; the message is for the partner (German). */
export class UnreadableFile extends Error {}

/** The upload itself failed (aborted, too large): not the file's fault, passed on unchanged. */
export class SourceError extends Error {}

/** No progress reading a file for this long: a corrupt archive can make a parser wait forever. */
const STALL_MS = 30_000;

const SNIFF_BYTES = 64 * 1024;
export const MAX_JSON_BYTES = 20 * 1024 * 1024;

/** Peeks at the beginning of `input` and returns the reader for its format. */
export async function openTable(input: Readable, filename = ''): Promise<Table> {
  const hash = createHash('sha256');
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    // (errors of the upload itself propagate from here as they are)
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    headLength += chunk.length;
  }
  const start = Buffer.concat(head);
  if (start.length === 0) throw new UnreadableFile('Die Datei ist leer.');
  // The whole stream again, hashed as it passes.
  const replay = Readable.from(
    (async function* () {
      hash.update(start);
      yield start;
      if (ended) return;
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw new SourceError((error as Error).message);
        }
        if (next.done) return;
        const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  let digest: string | undefined;
  const finish = () => {
    digest ??= hash.digest('hex');
    return digest;
  };

  if (start.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    return { format: 'xlsx', rows: xlsxRows(replay), digest: finish };
  }
  if (
    /\.(xls|ods|numbers)$/i.test(filename) ||
    start.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))
  )
    throw new UnreadableFile(
      'Das alte Excel-Format (.xls) oder andere Tabellenformate können nicht gelesen werden: bitte als .xlsx oder .csv speichern.',
    );
  if (
    start.subarray(0, 2).equals(Buffer.from([0xff, 0xfe])) ||
    start.subarray(0, 2).equals(Buffer.from([0xfe, 0xff]))
  )
    throw new UnreadableFile(
      'Die Datei ist als UTF-16 („Unicode-Text“) gespeichert: bitte als „CSV UTF-8“ oder .xlsx speichern.',
    );
  const text = start
    .subarray(0, 2048)
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('[')) {
    return { format: 'hsds-json', encoding: 'UTF-8', rows: jsonRows(replay), digest: finish };
  }
  if (start.subarray(0, SNIFF_BYTES).includes(0))
    throw new UnreadableFile(
      'Die Datei ist keine Tabelle (sie enthält Binärdaten). Erwartet: .xlsx, .csv oder HSDS-JSON.',
    );

  const encoding = isUtf8(start, ended) ? 'UTF-8' : 'Windows-1252';
  const delimiter = sniffDelimiter(
    new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'windows-1252').decode(start),
  );
  return { format: 'csv', encoding, delimiter, rows: csvRows(replay, encoding, delimiter), digest: finish };
}

function isUtf8(bytes: Buffer, complete: boolean): boolean {
  // A multi-byte character may be cut at the end of the sniffed part: drop up to 3 trailing bytes.
  for (let cut = 0; cut <= (complete ? 0 : 3); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // try a shorter prefix
    }
  }
  return false;
}

/** Does the first non-ASCII byte of `bytes` start a valid UTF-8 sequence? */
function firstHighByteIsUtf8(bytes: Buffer): boolean {
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at < 0) return false;
  const lead = bytes[at]!;
  const length =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (length === 0 || at + length > bytes.length) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
    return true;
  } catch {
    return false;
  }
}

/** The separator that splits the first lines most evenly (quoted text aside). */
function sniffDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 10);
  let best = ';';
  let bestScore = -1;
  for (const candidate of [';', ',', '\t']) {
    const counts = lines.map((l) => l.replace(/"[^"]*"/g, '').split(candidate).length - 1);
    const score = counts.reduce((a, b) => a + b, 0) * (counts.every((c) => c === counts[0]) ? 2 : 1);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

async function* csvRows(input: Readable, encoding: string, delimiter: string): AsyncGenerator<TableRow> {
  let decoder = new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'windows-1252', { fatal: true });
  /** Only ASCII so far: a later byte that is not UTF-8 means the file is Windows-1252 after all. */
  let asciiSoFar = true;
  const decoded = Readable.from(
    (async function* () {
      for await (const chunk of input) {
        const bytes = chunk as Buffer;
        try {
          yield decoder.decode(bytes, { stream: true });
        } catch {
          if (!asciiSoFar || firstHighByteIsUtf8(bytes))
            throw new UnreadableFile(
              'Die Datei mischt Zeichenkodierungen (teils UTF-8, teils nicht): bitte einheitlich als UTF-8 oder Windows-1252 speichern.',
            );
          decoder = new TextDecoder('windows-1252');
          yield decoder.decode(bytes, { stream: true });
        }
        if (asciiSoFar && bytes.some((b) => b > 0x7f)) asciiSoFar = false;
      }
      yield decoder.decode();
    })(),
  );
  const parser = decoded.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: 1_000_000,
    }),
  );
  decoded.on('error', (error) => parser.destroy(error));
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: record.info.lines, cells: record.record };
    }
  } catch (error) {
    if (error instanceof UnreadableFile || error instanceof SourceError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new UnreadableFile(
      `Die CSV-Datei ist fehlerhaft${line ? ` (ab Zeile ${line})` : ''}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

/** Cell values as text: formulas by their result, dates as JJJJ-MM-TT, rich text joined. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String((value as { text: unknown }).text);
    if ('error' in value) return '';
    return '';
  }
  return String(value).trim();
}

async function* xlsxRows(input: Readable): AsyncGenerator<TableRow> {
  // ExcelJS pipes its input without listening for errors: feed it a stream whose failures we catch.
  const feed = new PassThrough();
  let failure: Error | undefined;
  const failed = new Promise<never>((_, reject) => {
    const fail = (error: Error) => {
      failure ??= error;
      reject(failure);
    };
    pipeline(input, feed, (error) => {
      if (error) fail(error);
    });
    feed.on('error', fail);
  });
  failed.catch(() => undefined);
  // Loaded on first use: ExcelJS adds ~27 MB to the hub's resident memory, and most hubs never import.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(feed, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats: a date cell comes back as a Date
    hyperlinks: 'ignore',
    entries: 'emit',
  });
  /** The next item, or the upload's failure, or a stall: whichever comes first. */
  const step = async <T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> => {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new UnreadableFile('Die Excel-Datei ist beschädigt (das Lesen kommt nicht voran).')),
        STALL_MS,
      );
    });
    try {
      return await Promise.race([iterator.next(), failed, stalled]);
    } finally {
      clearTimeout(timer);
    }
  };
  const sheets = reader[Symbol.asyncIterator]() as AsyncIterator<AsyncIterable<ExcelJS.Row>>;
  let first = true;
  try {
    for (;;) {
      const sheet = await step(sheets);
      if (sheet.done) break;
      const rows = sheet.value[Symbol.asyncIterator]();
      for (;;) {
        const row = await step(rows);
        if (row.done) break;
        // Later sheets are read to the end only so that ExcelJS finishes (and removes its temp files).
        if (!first) continue;
        // row.values is sparse (index = column number): make it dense, holes as empty cells.
        const values = Array.from((row.value.values as ExcelJS.CellValue[]).slice(1), (v) => cellText(v));
        yield { line: row.value.number, cells: values };
      }
      first = false;
    }
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    if (failure) throw new SourceError(failure.message);
    throw new UnreadableFile('Die Datei ist keine lesbare Excel-Datei (.xlsx).');
  } finally {
    if (failure || !feed.readableEnded) feed.destroy();
  }
}

/** HSDS JSON: one service, an array of services, or an HSDS page ({ contents: [...] }). */
async function* jsonRows(input: Readable): AsyncGenerator<TableRow> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += (chunk as Buffer).length;
    // (a failing upload surfaces here as SourceError from the replay stream)
    if (size > MAX_JSON_BYTES)
      throw new UnreadableFile('HSDS-JSON-Dateien dürfen höchstens 20 MB groß sein: bitte aufteilen.');
    chunks.push(chunk as Buffer);
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new UnreadableFile('Die Datei ist kein gültiges JSON.');
  }
  const services = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { contents?: unknown }).contents)
      ? (data as { contents: unknown[] }).contents
      : [data];
  // A header row of field names, then one row per service, so HSDS runs through the same checks.
  yield { line: 0, cells: HSDS_FIELDS };
  let index = 0;
  for (const service of services) {
    index++;
    yield { line: index, cells: hsdsCells(service) };
  }
}

const HSDS_FIELDS = [
  'externalKey',
  'title',
  'kind',
  'description',
  'location',
  'street',
  'postalCode',
  'city',
  'district',
  'languages',
  'schedule',
];

interface HsdsServiceShape {
  id?: unknown;
  name?: unknown;
  description?: unknown;
  attributes?: { value?: unknown; label?: unknown; taxonomy_term?: { vocabulary?: unknown } }[];
  service_at_locations?: {
    location?: {
      name?: unknown;
      addresses?: { address_1?: unknown; postal_code?: unknown; city?: unknown; region?: unknown }[];
    };
  }[];
  languages?: { code?: unknown }[];
  schedules?: { description?: unknown }[];
}

function hsdsCells(service: unknown): string[] {
  const s = (service && typeof service === 'object' ? service : {}) as HsdsServiceShape;
  const location = s.service_at_locations?.[0]?.location ?? {};
  const address = location.addresses?.[0] ?? {};
  const kind = (Array.isArray(s.attributes) ? s.attributes : []).find(
    (a) => a?.taxonomy_term?.vocabulary === 'buendnis-hub-offer-kind' || a?.label === 'kind',
  )?.value;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return [
    text(s.id),
    text(s.name),
    text(kind),
    text(s.description),
    text(location.name),
    text(address.address_1),
    text(address.postal_code),
    text(address.city),
    text(address.region),
    Array.isArray(s.languages) ? s.languages.map((l) => text(l?.code)).join(', ') : '',
    text(s.schedules?.[0]?.description),
  ];
}
