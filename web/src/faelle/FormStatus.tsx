import type { FormProblem } from './errors';

/**
 * A form's outcome, announced: the problem (with a reload choice when someone changed the data
 * meanwhile) or what was done.
 */
export function FormStatus({
  problem,
  done,
  onReload,
}: {
  problem: FormProblem | null;
  done?: string | null;
  onReload?: () => void;
}) {
  return (
    <div className="form-status">
      {problem && (
        <div role="alert" className="error">
          <p>{problem.message}</p>
          {problem.conflict && onReload && (
            <button type="button" className="secondary" onClick={onReload}>
              Neu laden
            </button>
          )}
        </div>
      )}
      {!problem && done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
    </div>
  );
}
