import { useEffect, useRef } from 'react';
import type { FormProblem } from './errors';

/**
 * After a failed submission the first field the hub named gets the focus (its message is read with it);
 * without one, the form's alert does.
 */
export function useFocusProblem(problem: FormProblem | null) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!problem || !form.current) return;
    const target =
      form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current.querySelector<HTMLElement>('.form-status [role="alert"] button');
    target?.focus();
  }, [problem]);
  return form;
}
