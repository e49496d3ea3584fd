import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { humanize } from '../ui/format.ts';
import { ListTable } from '../ui/ListTable.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SearchBox } from '../ui/SearchBox.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { usePaging } from '../ui/usePaging.ts';
import { PARTY_TYPE_FILTERS, type PartyType } from './partyTypes.ts';

export function PartiesPage() {
  const trpc = useTRPC();
  const paging = usePaging();
  const [type, setType] = useState<PartyType | ''>('');
  const list = useQuery({
    ...trpc.party.list.queryOptions({
      search: paging.search || undefined,
      type: type || undefined,
      limit: paging.limit,
      offset: paging.offset,
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.parties ?? [];
  const filtered = paging.search !== '' || type !== '';
  return (
    <section className="stack">
      <PageHeader
        title="Parties"
        actions={
          <button type="button" onClick={() => navigate('/parties/new')}>
            New party
          </button>
        }
      />
      <div className="toolbar">
        <SearchBox label="Search name, phone or GSTIN" onSearch={paging.setSearch} />
        <SelectField
          label="Type"
          value={type}
          options={PARTY_TYPE_FILTERS}
          onChange={(event) => {
            setType(event.target.value as PartyType | '');
            paging.setPage(1);
          }}
        />
      </div>
      <ListTable
        columns={[
          { label: 'Name' },
          { label: 'Type' },
          { label: 'Phone' },
          { label: 'GSTIN' },
          { label: 'Opening balance', numeric: true },
        ]}
        rows={rows}
        renderRow={(party) => (
          <tr key={party.id}>
            <td>
              <Link href={`/parties/${party.id}`}>{party.name}</Link>
            </td>
            <td>{humanize(party.type)}</td>
            <td>{party.phone ?? '—'}</td>
            <td>{party.gstin ?? '—'}</td>
            <td className="num">
              <Money value={party.openingBalance} />
            </td>
          </tr>
        )}
        empty={
          <EmptyState title={filtered ? 'No party matches' : 'No parties yet'}>
            {!filtered && <p>Add your customers and suppliers to bill them and record their payments.</p>}
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
