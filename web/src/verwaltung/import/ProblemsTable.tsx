import type { ImportReport } from './upload';

/** Every problem of the file by row and column, as the hub says it. */
export function ProblemsTable({ report }: { report: ImportReport }) {
  const more = report.problemCount - report.problems.length;
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways on narrow screens, and a scrolling region must be reachable by keyboard (WCAG 2.1.1). */}
      <section className="table-wrap" tabIndex={0} aria-label="Probleme in der Datei (Tabelle)">
        <table className="import-table">
          <caption>Probleme in der Datei ({report.problemCount})</caption>
          <thead>
            <tr>
              <th scope="col">Zeile</th>
              <th scope="col">Spalte</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.map((problem, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id; a row can have several.
              <tr key={i}>
                <td>{problem.row > 0 ? problem.row : 'ganze Datei'}</td>
                <td>{problem.column}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {more > 0 && <p className="hint">… und {more} weitere Probleme (nicht einzeln aufgeführt).</p>}
    </>
  );
}
