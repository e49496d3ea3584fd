import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';

/** A small form beside the expense form: add a category without leaving the page. */
export function NewCategoryField({ onCreated }: { onCreated: (categoryId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.expense.createCategory.mutationOptions({
      onSuccess: async (category) => {
        setName('');
        await queryClient.invalidateQueries(trpc.expense.listCategories.queryFilter());
        onCreated(category.id);
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name });
  }
  return (
    <form className="card stack" onSubmit={submit} aria-label="New category">
      <div className="toolbar">
        <Field label="New category" value={name} required onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="secondary" disabled={create.isPending}>
          Add category
        </button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
