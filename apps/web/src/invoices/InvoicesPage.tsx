import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { usePartyNames } from '../parties/usePartyNames.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { ListTable } from '../ui/ListTable.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { usePaging } from '../ui/usePaging.ts';
import {
  DIRECTIONS,
  DOCUMENT_TYPES,
  type Direction,
  type DocumentType,
  documentTypeLabel,
  INVOICE_STATUSES,
  type InvoiceStatus,
} from './documentTypes.ts';

/** Every document type in one list, filtered by type, direction and status. */
export function InvoicesPage() {
  const trpc = useTRPC();
  const paging = usePaging();
  const partyName = usePartyNames();
  const [docType, setDocType] = useState<DocumentType | ''>('');
  const [direction, setDirection] = useState<Direction | ''>('');
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const list = useQuery({
    ...trpc.invoice.list.queryOptions({
      docType: docType || undefined,
      direction: direction || undefined,
      status: status || undefined,
      limit: paging.limit,
      offset: paging.offset,
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.invoices ?? [];
  const filtered = docType !== '' || direction !== '' || status !== '';
  return (
    <section className="stack">
      <PageHeader
        title="Invoices"
        actions={
          <button type="button" onClick={() => navigate('/invoices/new')}>
            New document
          </button>
        }
      />
      <div className="toolbar">
        <SelectField
          label="Document type"
          value={docType}
          options={[{ value: '', label: 'All types' }, ...DOCUMENT_TYPES]}
          onChange={(e) => {
            setDocType(e.target.value as DocumentType | '');
            paging.setPage(1);
          }}
        />
        <SelectField
          label="Sale or purchase"
          value={direction}
          options={[{ value: '', label: 'Both' }, ...DIRECTIONS]}
          onChange={(e) => {
            setDirection(e.target.value as Direction | '');
            paging.setPage(1);
          }}
        />
        <SelectField
          label="Status"
          value={status}
          options={[
            { value: '', label: 'Any' },
            ...INVOICE_STATUSES.map((s) => ({ value: s, label: humanize(s) })),
          ]}
          onChange={(e) => {
            setStatus(e.target.value as InvoiceStatus | '');
            paging.setPage(1);
          }}
        />
      </div>
      <ListTable
        columns={[
          { label: 'Number' },
          { label: 'Type' },
          { label: 'Date' },
          { label: 'Party' },
          { label: 'Total', numeric: true },
          { label: 'Paid', numeric: true },
          { label: 'Status' },
        ]}
        rows={rows}
        renderRow={(invoice) => (
          <tr key={invoice.id}>
            <td>
              <Link href={`/invoices/${invoice.id}`}>{invoice.number}</Link>
            </td>
            <td>
              {documentTypeLabel(invoice.docType)} · {humanize(invoice.direction)}
            </td>
            <td>{formatDate(invoice.invoiceDate)}</td>
            <td>{partyName(invoice.partyId)}</td>
            <td className="num">
              <Money value={invoice.total} />
            </td>
            <td className="num">
              <Money value={invoice.amountPaid} />
            </td>
            <td>{humanize(invoice.status)}</td>
          </tr>
        )}
        empty={
          <EmptyState title={filtered ? 'No document matches' : 'No invoices yet'}>
            {!filtered && <p>Create your first invoice; its number comes from the business's numbering.</p>}
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
