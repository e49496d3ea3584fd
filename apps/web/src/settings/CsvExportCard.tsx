import { useState } from 'react';
import { describeError } from '../api/errors.ts';
import { useTRPCClient } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { formatBytes } from '../ui/format.ts';
import { downloadFile } from './downloadFile.ts';

type Status =
  | { name: 'idle' }
  | { name: 'busy' }
  | { name: 'done'; fileName: string; bytes: number }
  | { name: 'failed'; message: string };

/** The current business as spreadsheet files, for anyone who can read it. Not a backup. */
export function CsvExportCard() {
  const client = useTRPCClient();
  const { business } = useWorkspace();
  const [status, setStatus] = useState<Status>({ name: 'idle' });

  async function exportCsv() {
    setStatus({ name: 'busy' });
    try {
      const { url } = await client.business.exportCsv.query();
      setStatus({ name: 'done', ...(await downloadFile(url, `${business.name}-csv.zip`)) });
    } catch (error) {
      setStatus({ name: 'failed', message: describeError(error) });
    }
  }

  return (
    <section className="card stack" aria-labelledby="csv-export-title">
      <h2 id="csv-export-title">Export as CSV</h2>
      <p>
        Download <strong>{business.name}</strong> as CSV files in a ZIP: parties, items, invoices, invoice
        lines, payments and expenses, ready for a spreadsheet.
      </p>
      <p className="hint">Not used for restoring: to move or restore your data, use the full backup.</p>
      <div>
        <button type="button" className="secondary" onClick={exportCsv} disabled={status.name === 'busy'}>
          {status.name === 'busy' ? 'Preparing CSV files…' : 'Export as CSV'}
        </button>
      </div>
      {status.name === 'done' && (
        <p className="note note-success" aria-live="polite">
          Saved <strong>{status.fileName}</strong> ({formatBytes(status.bytes)}) to your downloads.
        </p>
      )}
      {status.name === 'failed' && (
        <div className="note note-error" role="alert">
          <strong>The CSV export failed.</strong> {status.message}
        </div>
      )}
    </section>
  );
}
