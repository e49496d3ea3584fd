interface PaginationProps {
  page: number;
  pageSize: number;
  /** Rows on this page. */
  count: number;
  /** All matching rows, when the server counts them. */
  total?: number;
  onPage: (page: number) => void;
}

/** Previous / next with "21–40 of 75" (or "21–40" when the total is not known); pages are 1-based. */
export function Pagination({ page, pageSize, count, total, onPage }: PaginationProps) {
  const first = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + count;
  const hasMore = total === undefined ? count === pageSize : last < total;
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        {first}–{last}
        {total !== undefined && ` of ${total}`}
      </span>
      <button type="button" className="secondary" disabled={!hasMore} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
