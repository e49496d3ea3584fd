import type { Organization } from '../app/workspaceContext.ts';
import { Dialog } from '../ui/Dialog.tsx';

interface ConfirmRestoreDialogProps {
  open: boolean;
  fileName: string;
  organization: Organization;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmRestoreDialog({
  open,
  fileName,
  organization,
  onConfirm,
  onCancel,
}: ConfirmRestoreDialogProps) {
  return (
    <Dialog open={open} title="Confirm restore" onClose={onCancel}>
      <p>
        Import all data from <strong>{fileName}</strong> into the organization{' '}
        <strong>
          {organization.name} ({organization.slug})
        </strong>
        ?
      </p>
      <p>All data will be imported preserving original IDs. This action cannot be undone.</p>
      <div className="row">
        <button type="button" onClick={onConfirm}>
          Restore
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
