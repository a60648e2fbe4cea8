import type { InputHTMLAttributes, ReactNode } from 'react';

interface Common {
  id: string;
  label: string;
  /** German message from the hub for this field; ties itself to the control. */
  error?: string;
  hint?: ReactNode;
}

const describedBy = (id: string, error?: string, hint?: ReactNode) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

function Messages({ id, error, hint }: Omit<Common, 'label'>) {
  return (
    <>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error field-error">
          {error}
        </span>
      )}
    </>
  );
}

/** A labelled select over an enum's German labels. */
export function SelectField({
  id,
  label,
  error,
  hint,
  value,
  onChange,
  options,
  required,
  emptyLabel,
}: Common & {
  value: string;
  onChange: (value: string) => void;
  options: Record<string, string>;
  required?: boolean;
  /** An empty first choice (e.g. "unverändert"). */
  emptyLabel?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(e) => onChange(e.target.value)}
      >
        {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
        {Object.entries(options).map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
}

/** A labelled input. */
export function InputField({
  id,
  label,
  error,
  hint,
  value,
  onChange,
  ...rest
}: Common & {
  value: string;
  onChange: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
}
