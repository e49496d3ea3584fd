import { useCallback, useState } from 'react';

export const PAGE_SIZE = 20;

/** Page number and search text of a list; a new search starts again at page 1. */
export function usePaging() {
  const [page, setPage] = useState(1);
  const [search, setSearchText] = useState('');
  const setSearch = useCallback((text: string) => {
    setSearchText(text);
    setPage(1);
  }, []);
  return { page, setPage, search, setSearch, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
}
