import { csrfHeaders } from '../../shared/cookie-session';

/**
 * The upload to the hub's import route (`POST /import/offers`): the file as the request body with the
 * session's bearer token. XMLHttpRequest, not fetch: only it reports upload progress in browsers.
 */

/** The report of a dry run or an apply, as src/modules/import/import.service.ts gives it. */
export type Action = 'create' | 'update' | 'unchanged';
export type Counts = Record<Action, number>;

export interface Change {
  field: string;
  column: string;
  before: unknown;
  after: unknown;
}

export interface ImportReport {
  format: 'csv' | 'xlsx' | 'json';
  dataRows: number;
  emptyRows: number;
  offers: Counts;
  periods: Counts;
  locationsCreated: number;
  actions: {
    row: number;
    externalKey: string;
    title: string;
    action: Action;
    periods: Counts;
    changes: Change[];
  }[];
  problems: { row: number; column: string; message: string }[];
  problemCount: number;
  blockingProblems: number;
  skipInvalid: boolean;
  skipped: string[];
  digest: string;
  planDigest: string;
  applied: boolean;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A refusal said in German for the page (the hub's own message where it sends one). */
export class ImportRefusal extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The content type the hub reads the file as, from its name: browsers report CSV differently
 * (text/csv, application/vnd.ms-excel on Windows, or nothing), so the extension decides.
 */
export function contentTypeOf(file: File): string {
  const extension = file.name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  switch (extension) {
    case 'csv':
    case 'tsv':
      return 'text/csv';
    case 'xlsx':
      return XLSX_TYPE;
    case 'json':
      return 'application/json';
    case 'xls':
      throw new ImportRefusal(
        `„${file.name}“ ist im alten Excel-Format (.xls). Bitte in Excel „Speichern unter“ → „Excel-Arbeitsmappe (.xlsx)“ wählen oder als CSV speichern.`,
      );
    default:
      throw new ImportRefusal(
        `„${file.name}“ ist keine Tabelle, die der Hub liest: Bitte eine CSV-Datei (.csv), eine Excel-Arbeitsmappe (.xlsx) oder HSDS-JSON (.json) wählen.`,
      );
  }
}

export const megabytes = (bytes: number) =>
  `${(bytes / 1024 / 1024).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB`;

/** What a file is refused for before it is sent (wrong type, empty, too large); null: send it. */
export function refusalOf(file: File, maxBytes: number | null): string | null {
  try {
    contentTypeOf(file);
  } catch (error) {
    return (error as Error).message;
  }
  if (file.size === 0) return `Die Datei „${file.name}“ ist leer.`;
  if (maxBytes !== null && file.size > maxBytes)
    return `Die Datei „${file.name}“ ist zu groß (${megabytes(file.size)}): Der Hub nimmt Dateien bis ${megabytes(maxBytes)} an. Bitte die Datei aufteilen (z. B. nach Standorten) und die Teile nacheinander importieren.`;
  return null;
}

/** The route's limits; null when they cannot be read (the hub refuses a too large file anyway). */
export async function fetchMaxBytes(): Promise<number | null> {
  try {
    const response = await fetch('/import/limits');
    if (!response.ok) return null;
    return ((await response.json()) as { maxBytes: number }).maxBytes;
  } catch {
    return null;
  }
}

export interface UploadOptions {
  token: string;
  organisationId: string;
  /** Apply with the dry run's digests; without: a dry run. */
  apply?: { digest: string; plan: string };
  onProgress: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** Sends the file; resolves with the report, rejects with an ImportRefusal in German. */
export function uploadImport(file: File, options: UploadOptions): Promise<ImportReport> {
  const query = new URLSearchParams({
    organisationId: options.organisationId,
    // The page writes the good rows and leaves out those it lists as problems.
    skipInvalid: 'true',
    filename: file.name,
  });
  if (options.apply) {
    query.set('apply', 'true');
    query.set('digest', options.apply.digest);
    query.set('plan', options.apply.plan);
  }
  const type = contentTypeOf(file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/import/offers?${query}`);
    xhr.setRequestHeader('content-type', type);
    if (options.token) xhr.setRequestHeader('authorization', `Bearer ${options.token}`);
    // On a hub session of the city's sign-in the cookie goes along, with its CSRF token.
    else for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as
        | (ImportReport & { errors?: undefined })
        | { errors: { message: string; extensions?: { code?: string } }[] }
        | null;
      if (xhr.status === 200 && body && !body.errors) return resolve(body as ImportReport);
      reject(refusalOfResponse(xhr.status, body?.errors?.[0], xhr.getResponseHeader('retry-after')));
    };
    xhr.onerror = () =>
      reject(
        new ImportRefusal(
          file.size > 5 * 1024 * 1024
            ? 'Die Verbindung zum Hub ist beim Hochladen abgebrochen (bei großen Dateien auch, wenn der Hub sie ablehnt). Bitte die Verbindung prüfen und erneut versuchen.'
            : 'Der Hub ist nicht erreichbar. Bitte die Verbindung prüfen und erneut versuchen.',
        ),
      );
    xhr.onabort = () => reject(new ImportRefusal('Das Hochladen wurde abgebrochen.', 'ABORTED'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

function refusalOfResponse(
  status: number,
  error: { message: string; extensions?: { code?: string } } | undefined,
  retryAfter: string | null,
): ImportRefusal {
  const code = error?.extensions?.code;
  // The hub's import route answers in German; these cover answers from elsewhere (a proxy, a restart).
  if (status === 401 || code === 'UNAUTHENTICATED')
    return new ImportRefusal('Die Anmeldung ist abgelaufen oder ungültig. Bitte erneut anmelden.', code);
  if (status === 403)
    return new ImportRefusal(error?.message ?? 'Keine Berechtigung für diesen Import.', 'FORBIDDEN');
  if (status === 413)
    return new ImportRefusal(
      error?.message ?? 'Die Datei ist zu groß für den Hub. Bitte die Datei aufteilen.',
      'TOO_LARGE',
    );
  if (status === 429)
    return new ImportRefusal(
      error?.message ??
        `Zu viele Änderungen in kurzer Zeit: Bitte${retryAfter ? ` in ${retryAfter} Sekunden` : ' etwas später'} erneut versuchen.`,
      'RATE_LIMITED',
    );
  if (error?.message) return new ImportRefusal(error.message, code);
  return new ImportRefusal(
    `Der Hub hat die Datei nicht angenommen (HTTP ${status}). Bitte später erneut versuchen.`,
    code,
  );
}
