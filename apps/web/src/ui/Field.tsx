import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
  error?: string[] | string;
}

/** A labelled input whose hint and error are announced with it. */
export function Field({ label, hint, error, ...input }: FieldProps) {
  const id = useId();
  const errors = typeof error === 'string' ? [error] : (error ?? []);
  const describedBy = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {errors.length > 0 && (
        <small id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </small>
      )}
    </div>
  );
}
