import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatBytes, formatInstant, humanize } from '../ui/format.ts';
import { saveFromLink } from './saveFromLink.ts';

/** The backups the server keeps for the organization, each downloadable by its owners. */
export function StoredBackupsCard() {
  const trpc = useTRPC();
  const { organization } = useWorkspace();
  const list = useQuery({
    ...trpc.storedBackup.list.queryOptions({ tenantId: organization.id }),
    // While a run is in progress, follow it until it ends.
    refetchInterval: (query) =>
      query.state.data?.backups.some((b) => b.status === 'running') ? 1000 : false,
  });
  const requestDownload = useMutation(trpc.storedBackup.requestDownload.mutationOptions());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const backups = list.data?.backups ?? [];

  async function download(id: string, fileName: string) {
    setMessage(null);
    try {
      const { url } = await requestDownload.mutateAsync({ tenantId: organization.id, id });
      // The browser's download manager streams it to disk: a large backup never sits in page memory.
      await saveFromLink(url);
      setMessage({ ok: true, text: `Your browser is saving ${fileName}.` });
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    }
  }

  return (
    <section className="card stack" aria-labelledby="stored-backups-title">
      <h2 id="stored-backups-title">Stored backups</h2>
      <ErrorNote error={list.error} />
      {list.isSuccess && backups.length === 0 && (
        <EmptyState title="No stored backups yet">Turn on automatic backups, or press Run now.</EmptyState>
      )}
      {backups.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Started by</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.map((backup) => (
                <tr key={backup.id}>
                  <td>{formatInstant(backup.createdAt)}</td>
                  <td>
                    {backup.trigger === 'schedule'
                      ? 'Schedule'
                      : backup.trigger === 'manual'
                        ? 'Run now'
                        : 'Command line'}
                  </td>
                  <td className="num">{backup.bytes === null ? '—' : formatBytes(backup.bytes)}</td>
                  <td>
                    {backup.status === 'verified' ? 'Verified' : humanize(backup.status)}
                    {backup.encrypted && ' · encrypted'}
                    {backup.error && <div className="hint">{backup.error}</div>}
                    {backup.hookOutcome && backup.hookOutcome !== 'succeeded' && (
                      <div className="hint">Off-site copy {backup.hookOutcome}</div>
                    )}
                  </td>
                  <td>
                    {backup.status === 'verified' && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void download(backup.id, backup.fileName)}
                        aria-label={`Download the backup of ${formatInstant(backup.createdAt)}`}
                      >
                        Download
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div aria-live="polite">
        {message && (
          <p
            className={message.ok ? 'note note-success' : 'note note-error'}
            role={message.ok ? undefined : 'alert'}
          >
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
