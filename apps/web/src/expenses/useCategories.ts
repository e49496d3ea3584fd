import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';

export function useCategories() {
  const trpc = useTRPC();
  return useQuery(trpc.expense.listCategories.queryOptions());
}

/** Category names by id, for rows that carry only the id. */
export function useCategoryNames(): (categoryId: string | null | undefined) => string {
  const categories = useCategories();
  const names = new Map((categories.data ?? []).map((category) => [category.id, category.name]));
  return (categoryId) => (categoryId ? (names.get(categoryId) ?? '…') : 'Uncategorised');
}
