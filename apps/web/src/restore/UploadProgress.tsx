import { formatBytes } from '../ui/format.ts';
import type { UploadProgress as Progress } from './uploadArchive.ts';

/** While the file goes up: bytes and percent; once it is sent, the server is still importing. */
export function UploadProgress({ progress }: { progress: Progress }) {
  const percent = progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  const sent = progress.total > 0 && progress.sent >= progress.total;
  return (
    <div className="stack" aria-live="polite">
      {sent ? (
        <>
          <p>
            <strong>Restoring…</strong> The file is uploaded; the server is checking and importing it. Do not
            close this tab.
          </p>
          <progress aria-label="Restoring" />
        </>
      ) : (
        <>
          <p>
            <strong>Uploading... do not close this tab</strong> ({percent}%, {formatBytes(progress.sent)} of{' '}
            {formatBytes(progress.total)})
          </p>
          <progress aria-label="Upload progress" max={100} value={percent} />
        </>
      )}
    </div>
  );
}
