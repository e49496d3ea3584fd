import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { formatBytes, formatInstant } from '../ui/format.ts';

export interface StoredChoice {
  id: string;
  tenantId: string;
  tenantName: string;
  fileName: string;
}

/**
 * The backups this server keeps of organizations the user owns: restorable with one click, no file
 * to upload. Hidden when there are none.
 */
export function StoredBackupChoices({
  disabled,
  onChoose,
}: {
  disabled: boolean;
  onChoose: (choice: StoredChoice) => void;
}) {
  const trpc = useTRPC();
  const restorable = useQuery(trpc.storedBackup.restorable.queryOptions());
  const backups = restorable.data?.backups ?? [];
  if (backups.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="stored-choices-title">
      <h2 id="stored-choices-title">Backups kept on this server</h2>
      <p className="hint">Automatic backups of organizations you own. Restoring one needs no upload.</p>
      <ul className="stack">
        {backups.map((backup) => (
          <li key={backup.id} className="row">
            <span>
              <strong>{backup.tenantName}</strong> ({backup.tenantSlug}), {formatInstant(backup.createdAt)}
              {backup.bytes !== null && `, ${formatBytes(backup.bytes)}`}
            </span>
            <button
              type="button"
              className="secondary"
              disabled={disabled}
              onClick={() => onChoose(backup)}
              aria-label={`Restore the backup of ${backup.tenantName} from ${formatInstant(backup.createdAt)}`}
            >
              Restore this backup
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
