import { formatInstant } from '../ui/format.ts';
import type { RestoreSuccess } from './restoreResponse.ts';

/** Everything the restore did: every table's rows, every warning, and where the backup came from. */
export function RestoreResult({ result }: { result: RestoreSuccess }) {
  const tables = Object.entries(result.rowsInserted);
  const totalRows = tables.reduce((sum, [, rows]) => sum + rows, 0);
  const { source, compatibility } = result;
  return (
    <section className="card stack" aria-labelledby="restore-result-title">
      <h2 id="restore-result-title">Restore complete</h2>
      <p>
        {totalRows.toLocaleString()} rows in {tables.length} tables restored in{' '}
        {(result.durationMs / 1000).toFixed(1)} s.
      </p>
      {source && (
        <dl className="details">
          <dt>Backup of</dt>
          <dd>
            {source.name ?? '—'}
            {source.slug ? ` (${source.slug})` : ''}
          </dd>
          <dt>Exported</dt>
          <dd>{formatInstant(source.exportedAt)}</dd>
          <dt>Hisaabo version</dt>
          <dd>
            {source.appVersion ?? '—'}
            {compatibility?.appVersionMatch === false &&
              ` (this server runs ${compatibility.targetAppVersion})`}
          </dd>
          {compatibility && (
            <>
              <dt>Archive format</dt>
              <dd>
                version {compatibility.formatVersion}, schema {compatibility.sourceSchemaVersion}
                {compatibility.sourceSchemaVersion !== compatibility.targetSchemaVersion &&
                  ` (upgraded to ${compatibility.targetSchemaVersion})`}
              </dd>
            </>
          )}
        </dl>
      )}
      {compatibility?.upgrades && compatibility.upgrades.length > 0 && (
        <>
          <h3>Upgrades applied</h3>
          <ul className="warnings">
            {compatibility.upgrades.map((upgrade) => (
              <li key={upgrade}>{upgrade}</li>
            ))}
          </ul>
        </>
      )}
      {result.pausedRecurringTemplates !== undefined && result.pausedRecurringTemplates > 0 && (
        <p className="note note-warning">
          {result.pausedRecurringTemplates} recurring invoice template(s) were paused, as asked: resume them
          in the restored data when this copy should bill customers.
        </p>
      )}
      <h3>Warnings</h3>
      {result.warnings.length === 0 ? (
        <p>No warnings.</p>
      ) : (
        <ul className="warnings">
          {result.warnings.map((warning, index) => (
            <li key={index}>
              {warning.table && <strong>{warning.table}: </strong>}
              {warning.message}
            </li>
          ))}
        </ul>
      )}
      <h3>Rows restored per table</h3>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Rows
            </th>
          </tr>
        </thead>
        <tbody>
          {tables.map(([table, rows]) => (
            <tr key={table}>
              <td>{table}</td>
              <td className="num">{rows.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{totalRows.toLocaleString()}</td>
          </tr>
        </tfoot>
      </table>
      <div>
        <button type="button" onClick={() => window.location.assign('/dashboard')}>
          Reload to see your data
        </button>
      </div>
    </section>
  );
}
