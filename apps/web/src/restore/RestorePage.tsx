import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { Link } from '../app/router.tsx';
import type { Organization } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { ConfirmRestoreDialog } from './ConfirmRestoreDialog.tsx';
import { FilePicker } from './FilePicker.tsx';
import { type FileKind, inspectFile } from './inspectFile.ts';
import { RestoreFailureCard } from './RestoreFailureCard.tsx';
import { RestoreResult } from './RestoreResult.tsx';
import { parseRestoreResponse, type RestoreOutcome } from './restoreResponse.ts';
import { type StoredChoice, StoredBackupChoices } from './StoredBackupChoices.tsx';
import { type UploadProgress as Progress, uploadArchive } from './uploadArchive.ts';
import { UploadProgress } from './UploadProgress.tsx';

type Stage =
  | { name: 'choose' }
  | { name: 'confirm' }
  | { name: 'confirmStored'; choice: StoredChoice }
  | { name: 'restoringStored' }
  | { name: 'uploading'; progress: Progress }
  | { name: 'done'; outcome: RestoreOutcome };

/** Restore a backup into this (empty) organization: choose, confirm, upload, see everything it did. */
export function RestorePage({ organization }: { organization: Organization }) {
  const trpc = useTRPC();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<FileKind | null>(null);
  const [stage, setStage] = useState<Stage>({ name: 'choose' });
  const [pauseRecurring, setPauseRecurring] = useState(false);
  const requestUpload = useMutation(trpc.selfImport.request.mutationOptions());
  const restoreStored = useMutation(trpc.storedBackup.restoreInto.mutationOptions());

  async function choose(chosen: File | null) {
    setFile(chosen);
    setKind(null);
    requestUpload.reset();
    if (chosen) setKind(await inspectFile(chosen));
  }

  async function restore() {
    if (!file) return;
    setStage({ name: 'uploading', progress: { sent: 0, total: file.size } });
    let url: string;
    try {
      ({ url } = await requestUpload.mutateAsync({ tenantId: organization.id }));
    } catch {
      // The error is shown from the mutation's state.
      setStage({ name: 'choose' });
      return;
    }
    const outcome = await uploadArchive(url, file, {
      pauseRecurring,
      onProgress: (progress) => setStage({ name: 'uploading', progress }),
    });
    setStage({ name: 'done', outcome });
  }

  async function restoreFromServer(choice: StoredChoice) {
    setStage({ name: 'restoringStored' });
    try {
      const report = await restoreStored.mutateAsync({
        tenantId: organization.id,
        from: { tenantId: choice.tenantId, id: choice.id },
        pauseRecurring,
      });
      setStage({ name: 'done', outcome: parseRestoreResponse(200, JSON.stringify(report)) });
    } catch (error) {
      const data = (error as { data?: { httpStatus?: number; hisaaboCode?: string } }).data;
      setStage({
        name: 'done',
        outcome: {
          ok: false,
          status: data?.httpStatus ?? 0,
          code: data?.hisaaboCode,
          message: (error as Error).message,
          errors: [],
          warnings: [],
        },
      });
    }
  }

  const busy = stage.name === 'uploading' || stage.name === 'restoringStored';

  if (stage.name === 'done' && stage.outcome.ok) return <RestoreResult result={stage.outcome} />;

  return (
    <section className="stack restore">
      <header>
        <h1>Restore from a backup</h1>
        <p className="subtitle">into {organization.name}</p>
      </header>
      {stage.name === 'done' && !stage.outcome.ok ? (
        <RestoreFailureCard failure={stage.outcome} onRetry={() => setStage({ name: 'choose' })} />
      ) : (
        <div className="card stack">
          <div className="note note-warning">
            Upload a .tar.gz backup exported from Hisaabo (Settings &gt; Data &gt; Download backup, or hisaabo
            export). All data will be imported preserving original IDs. This action cannot be undone.
          </div>
          <FilePicker
            organizationSlug={organization.slug}
            file={file}
            kind={kind}
            disabled={busy}
            onChoose={choose}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={pauseRecurring}
              disabled={busy}
              onChange={(event) => setPauseRecurring(event.target.checked)}
            />
            Pause recurring invoices in the restored data (for a test copy, so it does not bill the same
            customers)
          </label>
          <ErrorNote error={requestUpload.error} title="The restore could not start" />
          {stage.name === 'uploading' ? (
            <UploadProgress progress={stage.progress} />
          ) : stage.name === 'restoringStored' ? (
            <p aria-live="polite">Restoring…</p>
          ) : (
            <div className="row">
              <button
                type="button"
                disabled={!file || kind !== 'gzip'}
                onClick={() => setStage({ name: 'confirm' })}
              >
                Restore from backup
              </button>
              <Link href="/get-started">Back</Link>
            </div>
          )}
        </div>
      )}
      {stage.name !== 'done' && (
        <StoredBackupChoices
          disabled={busy}
          onChoose={(choice) => setStage({ name: 'confirmStored', choice })}
        />
      )}
      <ConfirmRestoreDialog
        open={stage.name === 'confirmStored'}
        fileName={stage.name === 'confirmStored' ? stage.choice.fileName : ''}
        organization={organization}
        onConfirm={() => stage.name === 'confirmStored' && void restoreFromServer(stage.choice)}
        onCancel={() => setStage({ name: 'choose' })}
      />
      <ConfirmRestoreDialog
        open={stage.name === 'confirm'}
        fileName={file?.name ?? ''}
        organization={organization}
        onConfirm={restore}
        onCancel={() => setStage({ name: 'choose' })}
      />
    </section>
  );
}
