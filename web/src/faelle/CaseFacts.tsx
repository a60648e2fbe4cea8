import {
  AGE_BANDS,
  CASE_EVENT_KINDS,
  formatDate,
  GENDERS,
  GERMAN_LEVEL_LABELS,
  NATIONALITY_GROUPS,
  RESIDENCE_STATUSES,
  SCHOOL_LEVELS,
  STAGES,
} from '../shared/labels';
import { caseState } from './CaseList';
import type { CaseDetail } from './queries';

const label = (labels: Record<string, string>, value: string | null) =>
  value ? (labels[value] ?? value) : '';

/** The case's pseudonymous attributes and its dated history. */
export function CaseFacts({ theCase }: { theCase: CaseDetail }) {
  const nationality = NATIONALITY_GROUPS[theCase.nationalityGroup];
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Aufnahme</dt>
          <dd>{formatDate(theCase.intakeDate)}</dd>
        </div>
        <div>
          <dt>Stufe</dt>
          <dd>{label(STAGES, theCase.stage)}</dd>
        </div>
        <div>
          <dt>Aufenthaltsstatus</dt>
          <dd>{label(RESIDENCE_STATUSES, theCase.residenceStatus)}</dd>
        </div>
        <div>
          <dt>Altersgruppe</dt>
          <dd>{label(AGE_BANDS, theCase.ageBand)}</dd>
        </div>
        <div>
          <dt>Geschlecht</dt>
          <dd>{label(GENDERS, theCase.gender)}</dd>
        </div>
        <div>
          <dt>Staatsangehörigkeit</dt>
          <dd>{nationality ? `${nationality} (${theCase.nationalityGroup})` : theCase.nationalityGroup}</dd>
        </div>
        <div>
          <dt>Schulbildung</dt>
          <dd>{label(SCHOOL_LEVELS, theCase.schoolLevel)}</dd>
        </div>
        <div>
          <dt>Deutschkenntnisse</dt>
          <dd>{label(GERMAN_LEVEL_LABELS, theCase.germanLevel)}</dd>
        </div>
        <div>
          <dt>Stand</dt>
          <dd>{caseState(theCase)}</dd>
        </div>
      </dl>
      <h3>Verlauf</h3>
      <ol className="history">
        {theCase.events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; their order never changes.
          <li key={i}>
            <strong>{formatDate(e.occurredOn)}</strong>: {label(CASE_EVENT_KINDS, e.kind)}
            {e.toStage && e.kind !== 'INTAKE' && (
              <>
                {' '}
                ({e.fromStage ? `${label(STAGES, e.fromStage)} → ` : ''}
                {label(STAGES, e.toStage)})
              </>
            )}
            {e.toStatus && e.kind === 'STATUS_CHANGE' && (
              <>
                {' '}
                ({e.fromStatus ? `${label(RESIDENCE_STATUSES, e.fromStatus)} → ` : ''}
                {label(RESIDENCE_STATUSES, e.toStatus)})
              </>
            )}
            {e.kind === 'INTAKE' && e.toStage && <> (Stufe {label(STAGES, e.toStage)})</>}
          </li>
        ))}
      </ol>
    </>
  );
}
