import { useId } from 'react';
import { megabytes } from './upload';

/** Upload progress of the file, then the hub's reading of it (no percentage known: indeterminate). */
export function UploadProgress({ loaded, total, step }: { loaded: number; total: number; step: string }) {
  const id = useId();
  const uploading = total > 0 && loaded < total;
  return (
    <div className="import-progress">
      <p id={id}>
        {uploading
          ? `${step}: ${megabytes(loaded)} von ${megabytes(total)} hochgeladen`
          : `${step}: Der Hub liest die Datei …`}
      </p>
      {uploading ? (
        <progress aria-labelledby={id} max={total} value={loaded} />
      ) : (
        <progress aria-labelledby={id} />
      )}
    </div>
  );
}
