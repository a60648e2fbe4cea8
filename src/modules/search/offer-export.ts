import { type DocumentNode, execute, type GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { Context } from '../../context.js';
import { KIND_LABELS } from '../../domain/labels.js';
import { MAX_PAGE_SIZE } from '../../graphql/relay.js';

/**
 * The offer list as a table for download (CSV or XLSX), read through the hub's own GraphQL `offers`
 * query with the requester's context: every cell is what the policy lets this viewer read, exactly as on
 * /angebote (partners numbers, the public bands; a hidden number is written as "nicht freigegeben").
 */
const EXPORT_QUERY: DocumentNode = parse(`
  query AngeboteExport($filter: OfferFilter, $orderBy: OfferOrder, $after: String, $first: Int) {
    offers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        title kind requiredGermanLevel availability
        organisation { name }
        location { name street postalCode city district }
        currentCapacityPeriod { label startsOn endsOn total available availability }
      }
    }
  }
`);

/** More rows than the alliance has offers; bounds the work one request can ask for. */
export const MAX_EXPORT_ROWS = 5_000;

export const HIDDEN = 'nicht freigegeben';

/** The bands as /angebote names them. */
const BANDS: Record<string, string> = {
  NONE: 'kein Platz frei',
  FEW: 'wenige Plätze frei (1–3)',
  SOME: 'Plätze frei (mehr als 3)',
};

interface ExportNode {
  title: string;
  kind: keyof typeof KIND_LABELS;
  requiredGermanLevel: string;
  availability: string;
  organisation: { name: string };
  location: { name: string; street: string; postalCode: string; city: string; district: string };
  currentCapacityPeriod: {
    label: string | null;
    startsOn: string;
    endsOn: string;
    total: number | null;
    available: number | null;
    availability: string;
  } | null;
}

interface ExportPage {
  offers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: ExportNode[];
  };
}

export type Cell = string | number | null;

/** German column names, in order. */
export const EXPORT_COLUMNS = [
  'Angebot',
  'Angebotsart',
  'Träger',
  'Ort',
  'Adresse',
  'Stadtteil',
  'Deutsch ab',
  'Zeitraum',
  'Beginn',
  'Ende',
  'Freie Plätze (Stufe)',
  'Freie Plätze',
  'Plätze gesamt',
] as const;

export class ExportQueryError extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors[0]?.message ?? 'export failed');
  }
}

export function assertExportQueryValid(schema: GraphQLSchema): void {
  const errors = validate(schema, EXPORT_QUERY);
  if (errors.length) throw new Error(`export query does not fit the schema: ${errors.map((e) => e.message)}`);
}

const germanDate = (iso: string) => iso.split('-').reverse().join('.');

function rowOf(node: ExportNode): Cell[] {
  const period = node.currentCapacityPeriod;
  const place = node.location;
  return [
    node.title,
    KIND_LABELS[node.kind] ?? node.kind,
    node.organisation.name,
    place.name,
    `${place.street}, ${place.postalCode} ${place.city}`,
    place.district,
    node.requiredGermanLevel,
    period ? (period.label ?? '') : 'kein laufender Zeitraum',
    period ? germanDate(period.startsOn) : '',
    period ? germanDate(period.endsOn) : '',
    BANDS[period?.availability ?? node.availability] ?? node.availability,
    period ? (period.available ?? HIDDEN) : '',
    period ? (period.total ?? HIDDEN) : '',
  ];
}

/** Every row of the list (all pages, at most MAX_EXPORT_ROWS), as this viewer may read them. */
export async function exportRows(
  schema: GraphQLSchema,
  context: Context,
  args: { filter?: unknown; orderBy?: unknown },
): Promise<{ rows: Cell[][]; totalCount: number }> {
  const rows: Cell[][] = [];
  let after: string | null = null;
  let totalCount = 0;
  while (rows.length < MAX_EXPORT_ROWS) {
    const result = await execute({
      schema,
      document: EXPORT_QUERY,
      contextValue: context,
      variableValues: {
        filter: args.filter ?? null,
        orderBy: args.orderBy ?? null,
        after,
        first: Math.min(MAX_PAGE_SIZE, MAX_EXPORT_ROWS - rows.length),
      },
    });
    // No partial files: one failed field fails the download, never leaves a hole in it.
    if (result.errors?.length) throw new ExportQueryError(result.errors);
    const { offers } = result.data as unknown as ExportPage;
    totalCount = offers.totalCount;
    rows.push(...offers.nodes.map(rowOf));
    if (!offers.pageInfo.hasNextPage) break;
    after = offers.pageInfo.endCursor;
  }
  return { rows, totalCount };
}

/** UTF-8 with BOM and semicolons: German Excel opens it directly (as the import template). */
export function toCsv(rows: Cell[][]): string {
  const quote = (v: Cell) => {
    let s = v === null ? '' : String(v);
    // Text that a spreadsheet would run as a formula (a partner's title "=HYPERLINK(…)") is kept as
    // text with a leading apostrophe, as OWASP's CSV-injection advice says; numbers stay numbers.
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [[...EXPORT_COLUMNS], ...rows].map((r) => r.map(quote).join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(rows: Cell[][], totalCount: number): Promise<Buffer> {
  // Loaded on first use, as for the import template: ExcelJS is large and most hubs never export.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Bündnis Hub';
  const sheet = workbook.addWorksheet('Angebote');
  sheet.columns = EXPORT_COLUMNS.map((header) => ({ header, width: Math.max(14, header.length + 4) }));
  sheet.getColumn(1).width = 48;
  sheet.getColumn(3).width = 36;
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  if (rows.length < totalCount) {
    sheet.addRow([]);
    sheet.addRow([`Die ersten ${rows.length} von ${totalCount} Angeboten; bitte die Liste weiter filtern.`]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
