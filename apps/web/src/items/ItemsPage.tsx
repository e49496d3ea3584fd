import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { humanize } from '../ui/format.ts';
import { ListTable } from '../ui/ListTable.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
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
      <ListTable
        columns={[
          { label: 'Name' },
          { label: 'Type' },
          { label: 'SKU' },
          { label: 'Sale price', numeric: true },
          { label: 'Tax', numeric: true },
          { label: 'Stock', numeric: true },
        ]}
        rows={rows}
        renderRow={(item) => (
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
        )}
        empty={
          <EmptyState title={paging.search ? 'No item matches' : 'No items yet'}>
            {!paging.search && (
              <p>Add the products and services you sell or buy, with their prices and tax rates.</p>
            )}
          </EmptyState>
        }
        loaded={list.isSuccess}
        error={list.error}
        paging={paging}
        total={list.data?.total}
      />
    </section>
  );
}
