import './import.css';
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import type { Session } from '../../shared/session';
import { DryRunReport, writesSomething } from './DryRunReport';
import { FilePicker } from './FilePicker';
import { countsText } from './format';
import { ImportResult } from './ImportResult';
import { UploadProgress } from './UploadProgress';
import { fetchMaxBytes, ImportRefusal, type ImportReport, refusalOf, uploadImport } from './upload';

type Phase =
  | { kind: 'choose' }
  | { kind: 'sending'; step: 'Probe' | 'Übernehmen'; loaded: number; total: number }
  | { kind: 'checked'; report: ImportReport; file: File }
  | { kind: 'applied'; report: ImportReport; file: File };

/** Other sections of the page (the offers) listen for this to load again after an import. */
export const OFFERS_CHANGED_EVENT = 'buendnis:offers-changed';

/**
 * Import of a partner's spreadsheet or HSDS file: choose, dry run (shown as tables: per offer what
 * happens, every problem by row and column), then apply exactly what was shown (the dry run's file and
 * plan digests), and the result.
 */
export function ImportSection({ session }: { session: Session }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const [notice, setNotice] = useState<{ message: string; recheck: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [maxBytes, setMaxBytes] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  // Where focus goes once the next state is on screen.
  const [focusTarget, setFocusTarget] = useState<RefObject<HTMLElement | null> | null>(null);

  useEffect(() => {
    fetchMaxBytes().then(setMaxBytes);
    return () => abort.current?.abort();
  }, []);
  useEffect(() => {
    if (!focusTarget) return;
    focusTarget.current?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const sending = phase.kind === 'sending';

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setFileError(chosen ? refusalOf(chosen, maxBytes) : null);
    setNotice(null);
    setPhase({ kind: 'choose' });
    setStatus(chosen ? `Datei gewählt: ${chosen.name}` : '');
  };

  const send = async (chosen: File, step: 'Probe' | 'Übernehmen', previous?: ImportReport) => {
    abort.current = new AbortController();
    setNotice(null);
    setPhase({ kind: 'sending', step, loaded: 0, total: chosen.size });
    setStatus(step === 'Probe' ? 'Die Datei wird hochgeladen und geprüft …' : 'Die Datei wird übernommen …');
    try {
      const report = await uploadImport(chosen, {
        token: session.token,
        organisationId: session.organisationId,
        apply: previous ? { digest: previous.digest, plan: previous.planDigest } : undefined,
        signal: abort.current.signal,
        onProgress: (loaded, total) => setPhase((p) => (p.kind === 'sending' ? { ...p, loaded, total } : p)),
      });
      if (!previous) {
        setPhase({ kind: 'checked', report, file: chosen });
        setStatus(
          `Probe fertig: Angebote ${countsText(report.offers)}; ${report.problemCount} ${report.problemCount === 1 ? 'Problem' : 'Probleme'}.`,
        );
        setFocusTarget(reportRef);
      } else if (report.applied) {
        setPhase({ kind: 'applied', report, file: chosen });
        setStatus(`Übernommen: Angebote ${countsText(report.offers)}.`);
        setFocusTarget(resultRef);
        window.dispatchEvent(new CustomEvent(OFFERS_CHANGED_EVENT));
      } else {
        // The file or the hub's data changed since the dry run: the hub says which (row 0).
        const reasons = report.problems.filter((p) => p.row === 0).map((p) => p.message);
        setPhase({ kind: 'checked', report, file: chosen });
        setNotice({
          message: `Nicht übernommen. ${reasons.join(' ') || 'Die Probe ist nicht mehr aktuell.'}`,
          recheck: true,
        });
        setStatus('');
        setFocusTarget(noticeRef);
      }
    } catch (error) {
      const refusal =
        error instanceof ImportRefusal
          ? error
          : new ImportRefusal('Die Datei konnte nicht gesendet werden. Bitte erneut versuchen.');
      if (refusal.code === 'ABORTED') {
        setPhase(previous ? { kind: 'checked', report: previous, file: chosen } : { kind: 'choose' });
        setStatus('Das Hochladen wurde abgebrochen.');
        return;
      }
      setStatus('');
      if (refusal.code === 'TOO_LARGE') {
        setPhase({ kind: 'choose' });
        setFileError(refusal.message);
        setFocusTarget(inputRef);
        return;
      }
      setPhase(previous ? { kind: 'checked', report: previous, file: chosen } : { kind: 'choose' });
      setNotice({ message: refusal.message, recheck: false });
      setFocusTarget(noticeRef);
    }
  };

  const check = (event?: FormEvent) => {
    event?.preventDefault();
    const refusal = file ? refusalOf(file, maxBytes) : 'Bitte zuerst eine Datei wählen.';
    if (refusal || !file) {
      setFileError(refusal);
      setFocusTarget(inputRef);
      return;
    }
    void send(file, 'Probe');
  };

  const again = () => {
    setFile(null);
    setFileError(null);
    setNotice(null);
    setPhase({ kind: 'choose' });
    setStatus('');
    if (inputRef.current) inputRef.current.value = '';
    setFocusTarget(inputRef);
  };

  return (
    <section className="import-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Angebote importieren</h2>
      <p>
        Angebote, Standorte und freie Plätze aus Ihrer eigenen Tabelle übernehmen. Am einfachsten mit der
        Vorlage: <a href="/import/vorlage.xlsx">Excel-Vorlage (.xlsx)</a> oder{' '}
        <a href="/import/vorlage.csv">CSV-Vorlage</a>. Die Externe ID verbindet eine Zeile mit ihrem Angebot:
        Dieselbe Datei erneut importiert ändert nichts.
      </p>
      <form className="import-form" onSubmit={check} noValidate aria-label="Datei prüfen">
        <FilePicker
          id={`${id}-file`}
          inputRef={inputRef}
          file={file}
          error={fileError}
          disabled={sending}
          onChoose={choose}
        />
        <button type="submit" disabled={sending}>
          Datei prüfen
        </button>
      </form>

      <p className="visually-hidden" role="status">
        {status}
      </p>
      {phase.kind === 'sending' && (
        <div className="import-sending">
          <UploadProgress loaded={phase.loaded} total={phase.total} step={phase.step} />
          <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
            Hochladen abbrechen
          </button>
        </div>
      )}
      {notice && (
        <div className="import-notice" role="alert" ref={noticeRef} tabIndex={-1}>
          <p className="error">{notice.message}</p>
          {notice.recheck && file && (
            <button type="button" onClick={() => check()}>
              Erneut prüfen
            </button>
          )}
        </div>
      )}

      {phase.kind === 'checked' && (
        <>
          <DryRunReport report={phase.report} fileName={phase.file.name} headingRef={reportRef} />
          <ApplyArea
            report={phase.report}
            stale={!!notice?.recheck}
            onApply={() => void send(phase.file, 'Übernehmen', phase.report)}
          />
        </>
      )}
      {phase.kind === 'applied' && (
        <>
          <ImportResult report={phase.report} fileName={phase.file.name} headingRef={resultRef} />
          <button type="button" className="secondary" onClick={again}>
            Weitere Datei importieren
          </button>
        </>
      )}
    </section>
  );
}

function ApplyArea({
  report,
  stale,
  onApply,
}: {
  report: ImportReport;
  stale: boolean;
  onApply: () => void;
}) {
  if (stale) return null;
  if (report.blockingProblems > 0)
    return (
      <p className="import-blocked">
        So kann die Datei nicht übernommen werden: Bitte die Probleme der ganzen Datei beheben und die Datei
        erneut prüfen.
      </p>
    );
  if (!writesSomething(report))
    return <p>Nichts zu übernehmen: Alle Angebote der Datei sind schon so im Hub.</p>;
  return (
    <div className="import-apply">
      <button type="button" onClick={onApply}>
        {report.skipped.length > 0
          ? `Übernehmen (ohne ${report.skipped.length} ${report.skipped.length === 1 ? 'Angebot' : 'Angebote'} mit Problemen)`
          : 'Übernehmen'}
      </button>
      <p className="hint">Geschrieben wird genau das, was die Probe zeigt – alles in einem Schritt.</p>
    </div>
  );
}
