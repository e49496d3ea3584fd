import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError, errorCode } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { formatInstant } from '../ui/format.ts';
import { saveFromLink } from './saveFromLink.ts';

type Status =
  | { name: 'idle' }
  | { name: 'preparing' }
  | { name: 'handed-over' }
  | { name: 'failed'; title: string; message: string };

/** Owners only: the restorable backup of the whole organization, with the daily limit in sight. */
export function FullBackupCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const [status, setStatus] = useState<Status>({ name: 'idle' });
  const history = useQuery(trpc.backup.history.queryOptions({ tenantId: organization.id, limit: 20 }));
  const requestExport = useMutation(trpc.selfExport.request.mutationOptions());
  const limit = history.data?.exportLimit;
  const busy = status.name === 'preparing';

  async function download() {
    setStatus({ name: 'preparing' });
    try {
      const { url } = await requestExport.mutateAsync({ tenantId: organization.id });
      await saveFromLink(url);
      setStatus({ name: 'handed-over' });
    } catch (error) {
      const code = errorCode(error) ?? (error as { status?: number }).status;
      const title =
        code === 'TOO_MANY_REQUESTS' || code === 429
          ? 'Export limit reached'
          : code === 'FORBIDDEN' || code === 403
            ? 'Only owners can download a full backup'
            : 'The backup could not be downloaded';
      setStatus({ name: 'failed', title, message: describeError(error) });
    } finally {
      const refresh = () => queryClient.invalidateQueries(trpc.backup.history.queryFilter());
      await refresh();
      // The server records the export's outcome after the last byte; show it once it has.
      setTimeout(refresh, 2000);
      setTimeout(refresh, 10_000);
    }
  }

  return (
    <section className="card stack" aria-labelledby="full-backup-title">
      <h2 id="full-backup-title">Full backup (restorable)</h2>
      <p>
        Download a complete snapshot of your organization — all businesses, parties, items, invoices,
        payments, and other records. Re-import into an empty organization to restore.
      </p>
      <p className="hint">
        Limit: 2 exports per day. Restore from the onboarding screen of a new organization.
        {limit && (
          <>
            {' '}
            {limit.remaining > 0
              ? `${limit.remaining} of ${limit.limit} left in the last ${limit.windowHours} hours.`
              : `Export limit reached: the next export is possible at ${formatInstant(limit.nextAllowedAt)}.`}
          </>
        )}
      </p>
      <div>
        <button type="button" onClick={download} disabled={busy} aria-busy={busy}>
          {busy ? 'Preparing backup…' : 'Download backup'}
        </button>
      </div>
      <div aria-live="polite">
        {status.name === 'handed-over' && (
          <p className="note note-success">
            Your browser is saving the backup to your downloads; its progress shows in the browser's downloads
            list. It counts as one of today's exports from its first byte.
          </p>
        )}
      </div>
      {status.name === 'failed' && (
        <div className="note note-error" role="alert">
          <strong>{status.title}.</strong> {status.message}
        </div>
      )}
    </section>
  );
}
