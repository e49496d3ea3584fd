import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { humanize } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { Pagination } from '../ui/Pagination.tsx';
import { SearchBox } from '../ui/SearchBox.tsx';
import { usePaging } from '../ui/usePaging.ts';

export function ItemsPage() {
  const trpc = useTRPC();
  const paging = usePaging();
  const list = useQuery({
    ...trpc.item.list.queryOptions({
      search: paging.search || undefined,
      limit: paging.limit,
      offset: paging.offset,
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  return (
    <section className="stack">
      <PageHeader
        title="Items"
        actions={
          <button type="button" onClick={() => navigate('/items/new')}>
            New item
          </button>
        }
      />
      <div className="toolbar">
        <SearchBox label="Search name or SKU" onSearch={paging.setSearch} />
      </div>
      <ErrorNote error={list.error} />
      {list.isSuccess && rows.length === 0 && (
        <EmptyState title={paging.search ? 'No item matches' : 'No items yet'}>
          {!paging.search && (
            <p>Add the products and services you sell or buy, with their prices and tax rates.</p>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Sale price
                </th>
                <th scope="col" className="num">
                  Tax
                </th>
                <th scope="col" className="num">
                  Stock
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => (
                <tr key={item.id}>
                  <td>
                    <Link href={`/items/${item.id}`}>{item.name}</Link>
                  </td>
                  <td>{humanize(item.type)}</td>
                  <td>{item.sku ?? '—'}</td>
                  <td className="num">
                    <Money value={item.salePrice} />
                  </td>
                  <td className="num">{item.taxRate}%</td>
                  <td className="num">{item.trackStock ? `${item.stockQuantity} ${item.unit}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        page={paging.page}
        pageSize={paging.limit}
        count={rows.length}
        total={list.data?.total}
        onPage={paging.setPage}
      />
    </section>
  );
}
