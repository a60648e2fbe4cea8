import { useState } from 'react';
import { describeError } from '../shared/api';
import { csrfHeaders } from '../shared/cookie-session';

/**
 * The current list (filter and order) as CSV or Excel: the hub writes the file for this viewer through
 * the same query and policy (partners numbers, the public bands). Fetched with the token, saved as a Blob.
 */
export function ExportButtons({
  filter,
  orderBy,
  token,
}: {
  filter: Record<string, unknown>;
  orderBy: { field: string; direction: string } | null;
  token: string | null;
}) {
  // Not `disabled` while busy: a disabled button drops the keyboard focus.
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [message, setMessage] = useState('');
  const [failed, setFailed] = useState(false);

  const download = async (format: 'csv' | 'xlsx') => {
    if (busy) return;
    setBusy(format);
    setFailed(false);
    setMessage(format === 'csv' ? 'CSV-Datei wird erstellt …' : 'Excel-Datei wird erstellt …');
    try {
      const response = await fetch(new URL(`/export/angebote.${format}`, window.location.href), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : csrfHeaders()),
        },
        body: JSON.stringify({ filter, orderBy }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as {
          errors?: { message: string }[];
        } | null;
        throw new Error(body?.errors?.[0]?.message ?? `Antwort ${response.status}`);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `angebote.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage(format === 'csv' ? 'CSV-Datei heruntergeladen.' : 'Excel-Datei heruntergeladen.');
    } catch (error) {
      setFailed(true);
      setMessage(
        error instanceof TypeError
          ? describeError(error)
          : `Die Liste konnte nicht exportiert werden: ${(error as Error).message}`,
      );
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export">
      <button
        type="button"
        className="secondary"
        aria-disabled={busy !== null}
        onClick={() => download('csv')}
      >
        Liste als CSV herunterladen
      </button>
      <button
        type="button"
        className="secondary"
        aria-disabled={busy !== null}
        onClick={() => download('xlsx')}
      >
        Liste als Excel (.xlsx) herunterladen
      </button>
      <button type="button" className="secondary" onClick={() => window.print()}>
        Liste drucken
      </button>
      <p className={failed ? 'error' : 'hint'} role={failed ? 'alert' : 'status'}>
        {message}
      </p>
    </div>
  );
}
