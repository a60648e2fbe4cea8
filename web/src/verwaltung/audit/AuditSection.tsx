import { useId, useRef, useState } from 'react';
import { formatDateTime } from '../../shared/labels';
import { FormMessage } from '../Field';
import { ScrollTable } from '../ScrollTable';
import { useLoad } from '../useLoad';
import type { Workspace } from '../workspace';
import { actionText, detailLines } from './audit-texts';

const PAGE_SIZE = 20;

const TRAIL = `query VerwaltungProtokoll($id: ID!, $first: Int!, $after: String) {
  organisation(id: $id) {
    auditTrail(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id occurredAt action entityType actorAccountId actor { displayName email } details }
    }
  }
}`;

interface Entry {
  id: string;
  occurredAt: string;
  action: string;
  entityType: string;
  actorAccountId: string | null;
  /** Null when the account belongs to another organisation (the Account rule). */
  actor: { displayName: string | null; email: string | null } | null;
  details: Record<string, unknown> | null;
}

interface Trail {
  organisation: {
    auditTrail: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Entry[];
    } | null;
  } | null;
}

const who = (entry: Entry) =>
  entry.actor?.displayName ??
  entry.actor?.email ??
  (entry.actorAccountId ? 'Konto einer anderen Organisation' : 'automatisch (Hub)');

/** The organisation's audit trail, newest first, in German, page by page. */
export function AuditSection({ workspace }: { workspace: Workspace }) {
  const id = useId();
  // The cursors of the pages seen so far: going back pops one.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const { data, error, loading } = useLoad<Trail>(
    TRAIL,
    { id: workspace.organisationId, first: PAGE_SIZE, after },
    workspace.token,
  );
  const table = useRef<HTMLElement>(null);
  const trail = data?.organisation?.auditTrail;
  const page = cursors.length;
  const from = (page - 1) * PAGE_SIZE + 1;

  const go = (next: (string | null)[]) => {
    setCursors(next);
    requestAnimationFrame(() => table.current?.focus());
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Protokoll</h2>
      <p className="hint">Wer hat wann was an den Daten Ihrer Organisation geändert, die neuesten zuerst.</p>
      <FormMessage error={error} />
      {trail === null && <p>Das Protokoll ist für Ihr Konto nicht freigegeben.</p>}
      {trail && (
        <>
          <p role="status">
            {trail.totalCount === 0
              ? 'Noch keine Einträge.'
              : `Einträge ${from}–${from + trail.nodes.length - 1} von ${trail.totalCount} (Seite ${page})`}
            {loading ? ' – wird geladen …' : ''}
          </p>
          <ScrollTable label={`Protokoll, Seite ${page}`} ref={table}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Zeitpunkt</th>
                  <th scope="col">Wer</th>
                  <th scope="col">Was</th>
                  <th scope="col">Änderungen</th>
                </tr>
              </thead>
              <tbody>
                {trail.nodes.map((entry) => {
                  const lines = detailLines(entry.details);
                  return (
                    <tr key={entry.id}>
                      <td>{formatDateTime(entry.occurredAt)}</td>
                      <td>{who(entry)}</td>
                      <td>{actionText(entry.action)}</td>
                      <td>
                        {lines.length === 0 ? (
                          '–'
                        ) : (
                          <ul className="changes">
                            {lines.map((line) => (
                              <li key={line}>{line}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
          <nav className="pager" aria-label="Seiten des Protokolls">
            <button
              type="button"
              className="secondary"
              disabled={page === 1 || loading}
              onClick={() => go(cursors.slice(0, -1))}
            >
              Neuere Einträge
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!trail.pageInfo.hasNextPage || loading}
              onClick={() => go([...cursors, trail.pageInfo.endCursor])}
            >
              Ältere Einträge
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
