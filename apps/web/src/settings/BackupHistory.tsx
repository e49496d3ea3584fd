import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatBytes, formatInstant, humanize } from '../ui/format.ts';

/** Every export and restore of the organization: who, when, how big, and how it ended. */
export function BackupHistory() {
  const trpc = useTRPC();
  const { organization } = useWorkspace();
  const history = useQuery(trpc.backup.history.queryOptions({ tenantId: organization.id, limit: 20 }));
  const events = history.data?.events ?? [];
  return (
    <section className="card stack" aria-labelledby="backup-history-title">
      <h2 id="backup-history-title">Backup history</h2>
      <ErrorNote error={history.error} />
      {history.isSuccess && events.length === 0 && (
        <EmptyState title="No backups yet">
          Downloads and restores of this organization will be listed here.
        </EmptyState>
      )}
      {events.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>{formatInstant(event.startedAt)}</td>
                  <td>
                    {event.kind === 'export'
                      ? 'Backup downloaded'
                      : event.kind === 'stored'
                        ? `Backup stored${event.verified ? ' and verified' : ''}`
                        : 'Backup restored'}
                  </td>
                  <td>
                    {event.user
                      ? event.user.name || event.user.email
                      : event.kind === 'stored'
                        ? 'Automatic'
                        : 'Deleted account'}
                  </td>
                  <td className="num">{event.bytes === null ? '—' : formatBytes(event.bytes)}</td>
                  <td className="num">{event.totalRows === null ? '—' : event.totalRows.toLocaleString()}</td>
                  <td>
                    {humanize(event.outcome)}
                    {event.error && <div className="hint">{event.error}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
