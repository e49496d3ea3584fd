import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type RouterOutputs, useTRPC } from '../api/trpc.ts';

type Expense = RouterOutputs['expense']['list'][number];

/**
 * One expense for the edit form. The API lists expenses but has no single-expense query, so the row
 * comes from a list already loaded (the page the user clicked on), else from the latest 500.
 */
export function useExpense(id: string | undefined): {
  data: Expense | undefined;
  error: unknown;
  missing: boolean;
} {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cached = id
    ? queryClient
        .getQueriesData<Expense[]>({ queryKey: trpc.expense.list.pathKey() })
        .flatMap(([, rows]) => rows ?? [])
        .find((expense) => expense.id === id)
    : undefined;
  const latest = useQuery({
    ...trpc.expense.list.queryOptions({ limit: 500, offset: 0 }),
    enabled: Boolean(id) && !cached,
  });
  const data = cached ?? latest.data?.find((expense) => expense.id === id);
  return { data, error: latest.error, missing: Boolean(id) && latest.isSuccess && !data };
}
