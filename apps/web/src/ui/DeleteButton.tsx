import { useMutation, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../app/router.tsx';
import { ErrorNote } from './ErrorNote.tsx';

interface DeleteButtonProps {
  label: string;
  /** The question the user confirms. */
  confirm: string;
  run: () => Promise<unknown>;
  /** Where to go afterwards. */
  then: string;
}

/** A destructive (or cancelling) action behind a confirmation; a refusal (e.g. "still used by 3 invoices") is shown. */
export function DeleteButton({ label, confirm, run, then }: DeleteButtonProps) {
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      navigate(then);
    },
  });
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={action.isPending}
        onClick={() => {
          if (window.confirm(confirm)) action.mutate();
        }}
      >
        {label}
      </button>
      <ErrorNote error={action.error} />
    </>
  );
}
