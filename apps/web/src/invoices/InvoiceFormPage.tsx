import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { DeleteButton } from '../ui/DeleteButton.tsx';
import { navigate } from '../app/router.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { FormActions } from '../ui/FormActions.tsx';
import { humanize, todayIso } from '../ui/format.ts';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { TextAreaField } from '../ui/TextAreaField.tsx';
import { optional } from '../ui/useFormFields.ts';
import {
  DIRECTIONS,
  DOCUMENT_TYPES,
  type Direction,
  type DocumentType,
  documentTypeLabel,
} from './documentTypes.ts';
import { InvoiceTotals } from './InvoiceTotals.tsx';
import { LinesEditor } from './LinesEditor.tsx';
import { CORRECTING_TYPES, ReferenceField } from './ReferenceField.tsx';
import { emptyLine, type LineDraft } from './lineDraft.ts';

/** Create any document type, or edit one; the totals shown are the server's. */
export function InvoiceFormPage({ id }: { id?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const existing = useQuery({ ...trpc.invoice.get.queryOptions({ id: id ?? '' }), enabled: Boolean(id) });
  const parties = useQuery(trpc.party.list.queryOptions({ limit: 500, offset: 0 }));
  const [docType, setDocType] = useState<DocumentType>('invoice');
  const [direction, setDirection] = useState<Direction>('sale');
  const [partyId, setPartyId] = useState('');
  const [invoiceDate, setInvoiceDate] = useState(todayIso());
  const [dueDate, setDueDate] = useState('');
  const [notes, setNotes] = useState('');
  const [referenceInvoiceId, setReferenceInvoiceId] = useState('');
  const [lines, setLines] = useState<LineDraft[]>(() => [emptyLine()]);

  useEffect(() => {
    const invoice = existing.data;
    if (!invoice) return;
    setDocType(invoice.docType);
    setDirection(invoice.direction);
    setPartyId(invoice.partyId ?? '');
    setInvoiceDate(invoice.invoiceDate);
    setDueDate(invoice.dueDate ?? '');
    setNotes(invoice.notes ?? '');
    setReferenceInvoiceId(invoice.referenceInvoiceId ?? '');
    setLines(
      invoice.lines.map((line) => ({
        ...emptyLine(),
        itemId: line.itemId ?? '',
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountPercent: line.discountPercent,
        taxRate: line.taxRate,
        taxInclusive: line.taxInclusive,
      })),
    );
  }, [existing.data]);

  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.invoice.pathFilter());
    await queryClient.invalidateQueries(trpc.dashboard.pathFilter());
    await queryClient.invalidateQueries(trpc.item.pathFilter());
  };
  const create = useMutation(
    trpc.invoice.create.mutationOptions({
      onSuccess: async (saved) => {
        await refresh();
        navigate(`/invoices/${saved.id}`);
      },
    }),
  );
  const update = useMutation(trpc.invoice.update.mutationOptions({ onSuccess: refresh }));
  const save = id ? update : create;
  const errors = fieldErrors(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const common = {
      partyId: partyId || null,
      invoiceDate,
      dueDate: optional(dueDate) ?? null,
      notes: optional(notes) ?? null,
      referenceInvoiceId: CORRECTING_TYPES.has(docType) ? referenceInvoiceId || null : null,
      lines: lines.map((line) => ({
        itemId: line.itemId || null,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountPercent: optional(line.discountPercent) ?? '0',
        taxRate: optional(line.taxRate) ?? '0',
        taxInclusive: line.taxInclusive,
      })),
    };
    if (id) update.mutate({ id, document: common });
    else create.mutate({ docType, direction, ...common });
  }

  const invoice = existing.data;
  const title = invoice ? `${documentTypeLabel(invoice.docType)} ${invoice.number}` : 'New document';
  return (
    <section className="stack">
      <PageHeader title={title} />
      <ErrorNote error={existing.error} />
      {invoice && (
        <p>
          {humanize(invoice.direction)} · Status: <strong>{humanize(invoice.status)}</strong>
        </p>
      )}
      <form className="card stack" onSubmit={submit}>
        <div className="form-grid">
          <SelectField
            label="Document type"
            value={docType}
            disabled={Boolean(id)}
            options={DOCUMENT_TYPES}
            onChange={(e) => setDocType(e.target.value as DocumentType)}
          />
          <SelectField
            label="Sale or purchase"
            value={direction}
            disabled={Boolean(id)}
            options={DIRECTIONS}
            onChange={(e) => setDirection(e.target.value as Direction)}
          />
          <SelectField
            label="Party"
            value={partyId}
            options={[
              { value: '', label: 'No party' },
              ...(parties.data?.parties ?? []).map((p) => ({ value: p.id, label: p.name })),
            ]}
            onChange={(e) => setPartyId(e.target.value)}
            error={errors.partyId}
          />
          <Field
            label="Date"
            type="date"
            required
            value={invoiceDate}
            onChange={(e) => setInvoiceDate(e.target.value)}
            error={errors.invoiceDate}
          />
          {CORRECTING_TYPES.has(docType) && (
            <ReferenceField
              partyId={partyId}
              direction={direction}
              value={referenceInvoiceId}
              onChange={setReferenceInvoiceId}
              error={errors.referenceInvoiceId}
            />
          )}
          <Field
            label="Due date"
            type="date"
            value={dueDate}
            onChange={(e) => setDueDate(e.target.value)}
            error={errors.dueDate}
          />
        </div>
        <LinesEditor lines={lines} onChange={setLines} direction={direction} errors={errors} />
        <TextAreaField label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        <ErrorNote error={save.error} />
        {update.isSuccess && <p className="note note-success">Saved. The totals below are the server's.</p>}
        <FormActions
          submitLabel={id ? 'Save changes' : 'Create'}
          pending={save.isPending}
          backTo="/invoices"
          backLabel="Back to list"
        >
          {invoice && invoice.status !== 'cancelled' && (
            <DeleteButton
              label="Cancel document"
              confirm={`Cancel ${invoice.number}? Its stock movements are reversed; the number stays used.`}
              run={() => client.invoice.cancel.mutate({ id: invoice.id })}
              then="/invoices"
            />
          )}
          {invoice && (
            <DeleteButton
              label="Delete"
              confirm={`Delete ${invoice.number}?`}
              run={() => client.invoice.delete.mutate({ id: invoice.id })}
              then="/invoices"
            />
          )}
        </FormActions>
      </form>
      {invoice && (
        <section className="card stack" aria-labelledby="totals-title">
          <h2 id="totals-title">Totals</h2>
          <InvoiceTotals invoice={invoice} />
        </section>
      )}
    </section>
  );
}
