import type { RefObject } from 'react';
import { ActionsTable } from './ActionsTable';
import { countsText } from './format';
import { ProblemsTable } from './ProblemsTable';
import type { ImportReport } from './upload';

const FORMATS: Record<ImportReport['format'], string> = {
  csv: 'CSV',
  xlsx: 'Excel (.xlsx)',
  json: 'HSDS-JSON',
};

/** Whether applying the report would write anything. */
export const writesSomething = (report: ImportReport) =>
  report.offers.create + report.offers.update + report.periods.create + report.periods.update > 0 ||
  report.locationsCreated > 0;

/** The dry run: what the file would do, and every problem in it. */
export function DryRunReport({
  report,
  fileName,
  headingRef,
}: {
  report: ImportReport;
  fileName: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <section className="import-report" aria-labelledby="import-report-heading">
      <h3 id="import-report-heading" ref={headingRef} tabIndex={-1}>
        Probe: {fileName}
      </h3>
      <p className="hint">
        Noch ist nichts geschrieben. {FORMATS[report.format]}, {report.dataRows} Datenzeilen
        {report.emptyRows > 0 ? `, ${report.emptyRows} leere Zeilen übersprungen` : ''}.
      </p>
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
          <dt>Probleme</dt>
          <dd>{report.problemCount}</dd>
        </div>
      </dl>
      {report.actions.length > 0 && <ActionsTable report={report} />}
      {report.problemCount > 0 && <ProblemsTable report={report} />}
      {report.skipped.length > 0 && report.blockingProblems === 0 && (
        <p>
          Angebote mit Problemen werden beim Übernehmen ausgelassen (Externe ID: {report.skipped.join(', ')});
          alle anderen werden geschrieben. Wer sie auch übernehmen will, korrigiert die Datei und prüft sie
          erneut.
        </p>
      )}
    </section>
  );
}
