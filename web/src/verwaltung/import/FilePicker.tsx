import { type DragEvent, type RefObject, useState } from 'react';

/**
 * The file input with its label, and a drop area around it for those who drag a file from their
 * desktop (an extra: the input is the control, and keyboard users choose the file through it).
 */
export function FilePicker({
  id,
  inputRef,
  file,
  error,
  disabled,
  onChoose,
}: {
  id: string;
  inputRef: RefObject<HTMLInputElement | null>;
  file: File | null;
  error: string | null;
  disabled: boolean;
  onChoose: (file: File | null) => void;
}) {
  const [dragging, setDragging] = useState(false);
  const over = (event: DragEvent) => {
    event.preventDefault();
    if (!disabled) setDragging(true);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (disabled || !dropped) return;
    // Mirror the dropped file in the input, so what the input says is what will be sent.
    if (inputRef.current) {
      const transfer = new DataTransfer();
      transfer.items.add(dropped);
      inputRef.current.files = transfer.files;
    }
    onChoose(dropped);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping a file is a pointer-only extra; the file input inside is the accessible control.
    <div
      className={`import-drop${dragging ? ' dragging' : ''}${error ? ' invalid' : ''}`}
      onDragOver={over}
      onDragEnter={over}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <label htmlFor={id}>Datei mit Angeboten (CSV, Excel .xlsx oder HSDS-JSON)</label>
      <input
        id={id}
        ref={inputRef}
        type="file"
        accept=".csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(event) => onChoose(event.target.files?.[0] ?? null)}
      />
      <p id={`${id}-hint`} className="hint">
        {file
          ? `Gewählt: ${file.name}`
          : 'Datei wählen oder hierher ziehen. Nichts wird geschrieben, bevor Sie die Probe gesehen und „Übernehmen“ gewählt haben.'}
      </p>
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
