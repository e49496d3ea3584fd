import { isOwner, useWorkspace } from '../app/workspaceContext.ts';
import { AutomaticBackupsCard } from './AutomaticBackupsCard.tsx';
import { BackupHistory } from './BackupHistory.tsx';
import { CsvExportCard } from './CsvExportCard.tsx';
import { FullBackupCard } from './FullBackupCard.tsx';
import { StoredBackupsCard } from './StoredBackupsCard.tsx';

/** Getting data out: CSV for anyone who can read the business; the restorable backup for owners. */
export function DataTab() {
  const { organization } = useWorkspace();
  const owner = isOwner(organization);
  return (
    <div className="stack">
      <CsvExportCard />
      {owner && <FullBackupCard />}
      {owner && <AutomaticBackupsCard />}
      {owner && <StoredBackupsCard />}
      {owner && <BackupHistory />}
    </div>
  );
}
