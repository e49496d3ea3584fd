import { type TextareaHTMLAttributes, useId } from 'react';

export function TextAreaField({
  label,
  ...area
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={2} {...area} />
    </div>
  );
}
