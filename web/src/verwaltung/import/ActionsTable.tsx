import { ACTION_LABELS, changeText, countsText } from './format';
import type { ImportReport } from './upload';

/** Per offer of the file: new, changed (and what) or unchanged. */
export function ActionsTable({ report }: { report: ImportReport }) {
  const listed = report.actions.length;
  const total = report.offers.create + report.offers.update + report.offers.unchanged;
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on narrow screens, and a scrolling region must be reachable by keyboard (WCAG 2.1.1). */}
      <section className="table-wrap" tabIndex={0} aria-label="Angebote aus der Datei (Tabelle)">
        <table className="import-table">
          <caption>Angebote aus der Datei</caption>
          <thead>
            <tr>
              <th scope="col">Zeile</th>
              <th scope="col">Externe ID</th>
              <th scope="col">Titel</th>
              <th scope="col">Ergebnis</th>
              <th scope="col">Änderungen</th>
              <th scope="col">Zeiträume</th>
            </tr>
          </thead>
          <tbody>
            {report.actions.map((action) => (
              <tr key={action.externalKey} data-action={action.action}>
                <td>{action.row}</td>
                <td>{action.externalKey}</td>
                <td>{action.title}</td>
                <td>
                  <span className={`import-badge ${action.action}`}>{ACTION_LABELS[action.action]}</span>
                </td>
                <td>
                  {action.changes.length > 0 ? (
                    <ul className="import-changes">
                      {action.changes.map((change) => (
                        <li key={change.column}>{changeText(change)}</li>
                      ))}
                    </ul>
                  ) : action.action === 'create' ? (
                    'wird angelegt'
                  ) : (
                    '–'
                  )}
                </td>
                <td>{countsText(action.periods)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {listed < total && (
        <p className="hint">
          Die ersten {listed} von {total} Angeboten sind aufgeführt.
        </p>
      )}
    </>
  );
}
