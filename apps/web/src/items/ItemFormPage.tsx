import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { DeleteButton } from '../ui/DeleteButton.tsx';
import { CheckboxField } from '../ui/CheckboxField.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { FormActions } from '../ui/FormActions.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { optional, useFormFields } from '../ui/useFormFields.ts';
import { useLeaveAfterSave } from '../ui/useLeaveAfterSave.ts';

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

  const done = useLeaveAfterSave([trpc.item.pathFilter(), trpc.dashboard.pathFilter()], '/items');
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
          <Field label="Name" required {...form.text('name')} error={errors.name} />
          <Field label="SKU" {...form.text('sku')} error={errors.sku} />
          <Field label="HSN/SAC code" {...form.text('hsnCode')} error={errors.hsnCode} />
          <Field label="Unit" {...form.text('unit')} error={errors.unit} />
          <Field
            label="Sale price"
            inputMode="decimal"
            {...form.text('salePrice')}
            error={errors.salePrice}
          />
          <Field
            label="Purchase price"
            inputMode="decimal"
            {...form.text('purchasePrice')}
            error={errors.purchasePrice}
          />
          <Field label="Tax rate (%)" inputMode="decimal" {...form.text('taxRate')} error={errors.taxRate} />
        </div>
        <CheckboxField
          label="Prices include tax"
          checked={v.taxInclusive}
          onChange={(e) => form.set('taxInclusive', e.target.checked)}
        />
        <CheckboxField
          label="Track stock"
          checked={v.trackStock}
          onChange={(e) => form.set('trackStock', e.target.checked)}
        />
        <ErrorNote error={save.error} />
        <FormActions submitLabel={id ? 'Save item' : 'Create item'} pending={save.isPending} backTo="/items">
          {id && (
            <DeleteButton
              label="Delete item"
              confirm={`Delete ${v.name}? Documents that use it keep their lines.`}
              run={() => client.item.delete.mutate({ id })}
              then="/items"
            />
          )}
        </FormActions>
      </form>
    </section>
  );
}
