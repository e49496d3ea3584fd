import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { canManage, useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { SequenceRow } from './SequenceRow.tsx';

/** Document numbering: a prefix and the next number for each document type. */
export function NumberingCard() {
  const trpc = useTRPC();
  const { organization } = useWorkspace();
  const sequences = useQuery(trpc.business.sequences.queryOptions());
  return (
    <section className="card stack" aria-labelledby="numbering-title">
      <h2 id="numbering-title">Document numbers</h2>
      <p className="hint">The next number can only move forward, so no number is ever issued twice.</p>
      <ErrorNote error={sequences.error} />
      {sequences.data && (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Documents</th>
                <th scope="col">Prefix</th>
                <th scope="col">Next number</th>
                <th scope="col">Next document</th>
                <th scope="col">
                  <span className="visually-hidden">Save</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sequences.data.map((sequence) => (
                <SequenceRow key={sequence.kind} sequence={sequence} editable={canManage(organization)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
