import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { DeleteButton } from '../ui/DeleteButton.tsx';
import { navigate } from '../app/router.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { optional, useFormFields } from '../ui/useFormFields.ts';

const ITEM_TYPES = [
  { value: 'product', label: 'Product' },
  { value: 'service', label: 'Service' },
] as const;

const EMPTY = {
  type: 'product' as string,
  name: '',
  sku: '',
  hsnCode: '',
  unit: 'pcs',
  salePrice: '0.00',
  purchasePrice: '0.00',
  taxRate: '0',
  taxInclusive: false as boolean,
  trackStock: true as boolean,
};

export function ItemFormPage({ id }: { id?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const existing = useQuery({ ...trpc.item.get.queryOptions({ id: id ?? '' }), enabled: Boolean(id) });
  const form = useFormFields(EMPTY);
  const { setValues } = form;
  useEffect(() => {
    const item = existing.data;
    if (!item) return;
    setValues({
      type: item.type,
      name: item.name,
      sku: item.sku ?? '',
      hsnCode: item.hsnCode ?? '',
      unit: item.unit,
      salePrice: item.salePrice,
      purchasePrice: item.purchasePrice,
      taxRate: item.taxRate,
      taxInclusive: item.taxInclusive,
      trackStock: item.trackStock,
    });
  }, [existing.data, setValues]);

  const done = async () => {
    await queryClient.invalidateQueries(trpc.item.pathFilter());
    await queryClient.invalidateQueries(trpc.dashboard.pathFilter());
    navigate('/items');
  };
  const create = useMutation(trpc.item.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.item.update.mutationOptions({ onSuccess: done }));
  const save = id ? update : create;
  const errors = fieldErrors(save.error);
  const v = form.values;

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      type: v.type as 'product' | 'service',
      name: v.name,
      sku: optional(v.sku) ?? null,
      hsnCode: optional(v.hsnCode) ?? null,
      unit: optional(v.unit),
      salePrice: optional(v.salePrice) ?? '0',
      purchasePrice: optional(v.purchasePrice) ?? '0',
      taxRate: optional(v.taxRate) ?? '0',
      taxInclusive: v.taxInclusive,
      trackStock: v.trackStock,
    };
    if (id) update.mutate({ id, patch: input });
    else create.mutate(input);
  }

  return (
    <section className="stack">
      <PageHeader title={id ? (existing.data?.name ?? 'Item') : 'New item'} />
      <ErrorNote error={existing.error} />
      {existing.data?.trackStock && (
        <p>
          In stock: {existing.data.stockQuantity} {existing.data.unit}
        </p>
      )}
      <form className="card stack" onSubmit={submit}>
        <div className="form-grid">
          <SelectField
            label="Type"
            value={v.type}
            options={ITEM_TYPES}
            onChange={(e) => form.set('type', e.target.value)}
          />
          <Field
            label="Name"
            required
            value={v.name}
            onChange={(e) => form.set('name', e.target.value)}
            error={errors.name}
          />
          <Field
            label="SKU"
            value={v.sku}
            onChange={(e) => form.set('sku', e.target.value)}
            error={errors.sku}
          />
          <Field
            label="HSN/SAC code"
            value={v.hsnCode}
            onChange={(e) => form.set('hsnCode', e.target.value)}
            error={errors.hsnCode}
          />
          <Field
            label="Unit"
            value={v.unit}
            onChange={(e) => form.set('unit', e.target.value)}
            error={errors.unit}
          />
          <Field
            label="Sale price"
            inputMode="decimal"
            value={v.salePrice}
            onChange={(e) => form.set('salePrice', e.target.value)}
            error={errors.salePrice}
          />
          <Field
            label="Purchase price"
            inputMode="decimal"
            value={v.purchasePrice}
            onChange={(e) => form.set('purchasePrice', e.target.value)}
            error={errors.purchasePrice}
          />
          <Field
            label="Tax rate (%)"
            inputMode="decimal"
            value={v.taxRate}
            onChange={(e) => form.set('taxRate', e.target.value)}
            error={errors.taxRate}
          />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={v.taxInclusive}
            onChange={(e) => form.set('taxInclusive', e.target.checked)}
          />
          Prices include tax
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={v.trackStock}
            onChange={(e) => form.set('trackStock', e.target.checked)}
          />
          Track stock
        </label>
        <ErrorNote error={save.error} />
        <div className="row">
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : id ? 'Save item' : 'Create item'}
          </button>
          <button type="button" className="secondary" onClick={() => navigate('/items')}>
            Cancel
          </button>
          {id && (
            <DeleteButton
              label="Delete item"
              confirm={`Delete ${v.name}? Documents that use it keep their lines.`}
              run={() => client.item.delete.mutate({ id })}
              then="/items"
            />
          )}
        </div>
      </form>
    </section>
  );
}
