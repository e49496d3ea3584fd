import { useId } from 'react';
import { formatBytes } from '../ui/format.ts';
import type { FileKind } from './inspectFile.ts';

interface FilePickerProps {
  /** For the command line shown when the file needs decrypting. */
  organizationSlug: string;
  file: File | null;
  kind: FileKind | null;
  disabled?: boolean;
  onChoose: (file: File | null) => void;
}

export function FilePicker({ organizationSlug, file, kind, disabled, onChoose }: FilePickerProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Backup file (.tar.gz)</label>
      <input
        id={id}
        type="file"
        accept=".gz,.tar.gz,application/gzip,.age"
        disabled={disabled}
        onChange={(event) => onChoose(event.target.files?.[0] ?? null)}
      />
      {file && (
        <p className="file-summary" aria-live="polite">
          <strong>{file.name}</strong> · {formatBytes(file.size)}
        </p>
      )}
      <FileKindNote kind={kind} slug={organizationSlug} fileName={file?.name ?? 'backup.tar.gz.age'} />
    </div>
  );
}

function FileKindNote({ kind, slug, fileName }: { kind: FileKind | null; slug: string; fileName: string }) {
  if (kind === 'age') {
    return (
      <div className="note note-warning" role="alert">
        <strong>This backup is encrypted.</strong> It starts with the age encryption header
        (age-encryption.org/v1), so it was encrypted after export (for example with{' '}
        <code>hisaabo export --passphrase</code>). The browser does not decrypt backups. Restore it from the
        command line, which decrypts on the way:{' '}
        <code>
          hisaabo restore --tenant {slug} -i {fileName} --passphrase
        </code>{' '}
        (or <code>--identity key.txt</code>), or decrypt it first with{' '}
        <code>age -d -o backup.tar.gz {fileName}</code> and choose the decrypted .tar.gz here.
      </div>
    );
  }
  if (kind === 'empty') {
    return (
      <div className="note note-error" role="alert">
        This file is empty (0 bytes). The download may not have finished; download the backup again.
      </div>
    );
  }
  if (kind === 'unknown') {
    return (
      <div className="note note-error" role="alert">
        This is not a gzip-compressed backup. Choose the .tar.gz file downloaded from Settings &gt; Data &gt;
        Download backup (or written by hisaabo export).
      </div>
    );
  }
  return null;
}
