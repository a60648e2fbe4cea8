import type { RefObject } from 'react';
import { countsText } from './format';
import type { ImportReport } from './upload';

/** What an apply wrote. */
export function ImportResult({
  report,
  fileName,
  headingRef,
}: {
  report: ImportReport;
  fileName: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <section className="import-result" aria-labelledby="import-result-heading">
      <h3 id="import-result-heading" ref={headingRef} tabIndex={-1}>
        Übernommen: {fileName}
      </h3>
      <dl className="import-summary">
        <div>
          <dt>Angebote</dt>
          <dd>{countsText(report.offers)}</dd>
        </div>
        <div>
          <dt>Zeiträume mit Plätzen</dt>
          <dd>{countsText(report.periods)}</dd>
        </div>
        <div>
          <dt>Neue Standorte</dt>
          <dd>{report.locationsCreated}</dd>
        </div>
        <div>
          <dt>Ausgelassen (Probleme)</dt>
          <dd>{report.skipped.length}</dd>
        </div>
      </dl>
      <p>
        <a href="#angebote">Zu den Angeboten</a> (die Liste ist aktualisiert) ·{' '}
        <a href="/angebote">Öffentliche Angebotsübersicht</a>
      </p>
    </section>
  );
}
