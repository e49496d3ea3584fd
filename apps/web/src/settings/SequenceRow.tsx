import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type RouterOutputs, useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { humanize } from '../ui/format.ts';

type Sequence = RouterOutputs['business']['sequences'][number];

export function SequenceRow({ sequence, editable }: { sequence: Sequence; editable: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [prefix, setPrefix] = useState(sequence.prefix);
  const [nextNumber, setNextNumber] = useState(String(sequence.nextNumber));
  const save = useMutation(
    trpc.business.updateSequence.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.business.sequences.queryFilter()),
    }),
  );
  const label = humanize(sequence.kind);
  const changed = prefix !== sequence.prefix || nextNumber !== String(sequence.nextNumber);
  const preview = `${prefix}-${nextNumber.padStart(sequence.padding, '0')}`;
  return (
    <tr>
      <td>{label}</td>
      <td>
        <input
          aria-label={`${label} prefix`}
          value={prefix}
          disabled={!editable}
          onChange={(e) => setPrefix(e.target.value)}
        />
      </td>
      <td>
        <input
          aria-label={`${label} next number`}
          type="number"
          min={sequence.nextNumber}
          value={nextNumber}
          disabled={!editable}
          onChange={(e) => setNextNumber(e.target.value)}
        />
      </td>
      <td>{preview}</td>
      <td>
        {editable && (
          <button
            type="button"
            className="secondary"
            disabled={!changed || save.isPending}
            onClick={() =>
              save.mutate({ kind: sequence.kind, prefix, nextNumber: Number.parseInt(nextNumber, 10) })
            }
          >
            Save
          </button>
        )}
        {save.error && <ErrorNote error={save.error} />}
      </td>
    </tr>
  );
}
