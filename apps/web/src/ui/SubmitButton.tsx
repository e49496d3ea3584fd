import type { ReactNode } from 'react';

interface SubmitButtonProps {
  pending: boolean;
  /** What the button says while the request is in flight, e.g. "Saving…". */
  pendingLabel: string;
  children: ReactNode;
}

/** A form's submit button, disabled while its request runs so one click sends it once. */
export function SubmitButton({ pending, pendingLabel, children }: SubmitButtonProps) {
  return (
    <button type="submit" disabled={pending}>
      {pending ? pendingLabel : children}
    </button>
  );
}
