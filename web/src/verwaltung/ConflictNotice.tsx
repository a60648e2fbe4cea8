import { useEffect, useRef, useState } from 'react';
import { request } from '../shared/api';
import { type Conflict, formatWhen } from './form-errors';

const LAST_CHANGE = `query LetzteAenderung($organisation: ID!, $object: ID!) {
  organisation(id: $organisation) {
    auditTrail(first: 1, object: $object) { nodes { occurredAt actor { displayName email } } }
  }
}`;

interface LastChange {
  organisation: {
    auditTrail: {
      nodes: { occurredAt: string; actor: { displayName: string | null; email: string | null } | null }[];
    } | null;
  } | null;
}

/**
 * Explains a stale form: who saved a newer version and when (from the audit trail, where the viewer may
 * read it; else only when, from the CONFLICT), with the choice to load the current state. What the person
 * typed stays listed beside it, so nothing is lost by reloading.
 */
export function ConflictNotice({
  what,
  conflict,
  objectId,
  organisationId,
  token,
  edits,
  onReload,
}: {
  /** e.g. "Das Angebot" */
  what: string;
  conflict: Conflict;
  objectId: string;
  organisationId: string;
  token: string;
  /** The person's unsaved values, label → value. */
  edits: [string, string][];
  onReload: () => void;
}) {
  const [by, setBy] = useState<{ name: string | null; at: string | null } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    box.current?.focus();
    let alive = true;
    request<LastChange>(LAST_CHANGE, { organisation: organisationId, object: objectId }, token)
      .then((data) => {
        const last = data.organisation?.auditTrail?.nodes[0];
        if (alive && last)
          setBy({ name: last.actor?.displayName ?? last.actor?.email ?? null, at: last.occurredAt });
      })
      .catch(() => {
        // Without the trail the CONFLICT's own time still tells when.
      });
    return () => {
      alive = false;
    };
  }, [organisationId, objectId, token]);

  const at = by?.at ?? conflict.changedAt;
  return (
    <div className="conflict" role="alert" tabIndex={-1} ref={box}>
      <p>
        <strong>
          {what} wurde inzwischen {by?.name ? `von ${by.name} ` : ''}
          geändert{at ? ` (${formatWhen(at)})` : ''}.
        </strong>{' '}
        Sie haben Version {conflict.yourVersion} bearbeitet, gespeichert ist Version {conflict.currentVersion}
        . Ihre Änderungen wurden nicht gespeichert.
      </p>
      {edits.length > 0 && (
        <>
          <p>Ihre Eingaben zum Vergleich:</p>
          <dl className="edits">
            {edits.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value || '(leer)'}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <button type="button" onClick={onReload}>
        Aktuellen Stand laden
      </button>
    </div>
  );
}
