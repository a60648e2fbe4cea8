/**
 * The one cursor format of the API: a JSON array of the row's sort values, base64url-encoded. It is
 * MikroORM's (`Cursor.encode`), so the cursors `findByCursor` makes for `paginate` and those the offer
 * search makes are read and checked alike. Opaque to clients, but not secret: a forged cursor only has to
 * be rejected (`check`), never trusted.
 */
export type CursorValue = string | number | boolean;

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The cursor's values when it is a JSON array that passes `check`; otherwise undefined. */
export function decodeCursor(
  value: string,
  check: (values: readonly unknown[]) => boolean,
): readonly unknown[] | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(decoded) && check(decoded) ? decoded : undefined;
}
