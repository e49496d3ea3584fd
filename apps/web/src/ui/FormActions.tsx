import type { ReactNode } from 'react';
import { navigate } from '../app/router.tsx';
import { SubmitButton } from './SubmitButton.tsx';

interface FormActionsProps {
  /** The submit button's text while nothing is being saved. */
  submitLabel: string;
  pending: boolean;
  /** Where the secondary button leads, without saving. */
  backTo: string;
  backLabel?: string;
  /** Further actions after the two buttons, e.g. delete. */
  children?: ReactNode;
}

/**
 * Save and leave buttons at the foot of an edit form; the submit button is disabled while
 * saving so that a double click does not create the record twice.
 */
export function FormActions({
  submitLabel,
  pending,
  backTo,
  backLabel = 'Cancel',
  children,
}: FormActionsProps) {
  return (
    <div className="row">
      <SubmitButton pending={pending} pendingLabel="Saving…">
        {submitLabel}
      </SubmitButton>
      <button type="button" className="secondary" onClick={() => navigate(backTo)}>
        {backLabel}
      </button>
      {children}
    </div>
  );
}
