import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { DeleteButton } from '../ui/DeleteButton.tsx';
import { navigate } from '../app/router.tsx';
import { useAccountOptions } from '../bank/useAccountOptions.ts';
import { PAYMENT_MODES, type PaymentMode } from '../payments/paymentModes.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { CheckboxField } from '../ui/CheckboxField.tsx';
import { Field } from '../ui/Field.tsx';
import { FormActions } from '../ui/FormActions.tsx';
import { todayIso } from '../ui/format.ts';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { optional } from '../ui/useFormFields.ts';
import { NewCategoryField } from './NewCategoryField.tsx';
import { useCategories } from './useCategories.ts';
import { useExpense } from './useExpense.ts';

export function ExpenseFormPage({ id }: { id?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const categories = useCategories();
  const accounts = useAccountOptions();
  const existing = useExpense(id);
  const [categoryId, setCategoryId] = useState('');
  const [expenseDate, setExpenseDate] = useState(todayIso());
  const [amount, setAmount] = useState('');
  const [taxAmount, setTaxAmount] = useState('0.00');
  const [paid, setPaid] = useState(true);
  const [mode, setMode] = useState<PaymentMode>('cash');
  const [bankAccountId, setBankAccountId] = useState('');
  const [reference, setReference] = useState('');
  const [notes, setNotes] = useState('');

  useEffect(() => {
    const expense = existing.data;
    if (!expense) return;
    setCategoryId(expense.categoryId ?? '');
    setExpenseDate(expense.expenseDate);
    setAmount(expense.amount);
    setTaxAmount(expense.taxAmount);
    setPaid(expense.paid);
    setMode((expense.mode as PaymentMode | null) ?? 'cash');
    setBankAccountId(expense.bankAccountId ?? '');
    setReference(expense.reference ?? '');
    setNotes(expense.notes ?? '');
  }, [existing.data]);

  const done = async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.expense.pathFilter()),
      queryClient.invalidateQueries(trpc.dashboard.pathFilter()),
      queryClient.invalidateQueries(trpc.bankAccount.pathFilter()),
    ]);
    navigate('/expenses');
  };
  const create = useMutation(trpc.expense.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.expense.update.mutationOptions({ onSuccess: done }));
  const save = id ? update : create;
  const errors = fieldErrors(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      categoryId: categoryId || null,
      expenseDate,
      amount,
      taxAmount: optional(taxAmount) ?? '0',
      paid,
      mode: paid ? mode : null,
      bankAccountId: paid ? bankAccountId || accounts[0]?.value || null : null,
      reference: optional(reference) ?? null,
      notes: optional(notes) ?? null,
    };
    if (id) update.mutate({ id, expense: input });
    else create.mutate(input);
  }

  return (
    <section className="stack">
      <PageHeader title={id ? 'Expense' : 'New expense'} />
      <ErrorNote error={existing.error} />
      {existing.missing && (
        <p className="note note-error" role="alert">
          This expense was not found among the latest 500; open it from the Expenses list.
        </p>
      )}
      <form className="card stack" onSubmit={submit}>
        <div className="form-grid">
          <SelectField
            label="Category"
            value={categoryId}
            options={[
              { value: '', label: 'Uncategorised' },
              ...(categories.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
            onChange={(e) => setCategoryId(e.target.value)}
            error={errors.categoryId}
          />
          <Field
            label="Date"
            type="date"
            required
            value={expenseDate}
            onChange={(e) => setExpenseDate(e.target.value)}
            error={errors.expenseDate}
          />
          <Field
            label="Amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={errors.amount}
          />
          <Field
            label="Tax included"
            inputMode="decimal"
            value={taxAmount}
            onChange={(e) => setTaxAmount(e.target.value)}
            error={errors.taxAmount}
          />
          {paid && (
            <SelectField
              label="Mode"
              value={mode}
              options={PAYMENT_MODES}
              onChange={(e) => setMode(e.target.value as PaymentMode)}
            />
          )}
          {paid && (
            <SelectField
              label="Paid from"
              value={bankAccountId || accounts[0]?.value || ''}
              options={accounts}
              onChange={(e) => setBankAccountId(e.target.value)}
            />
          )}
          <Field label="Reference" value={reference} onChange={(e) => setReference(e.target.value)} />
          <Field label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <CheckboxField label="Already paid" checked={paid} onChange={(e) => setPaid(e.target.checked)} />
        <ErrorNote error={save.error} />
        <FormActions
          submitLabel={id ? 'Save expense' : 'Create expense'}
          pending={save.isPending}
          backTo="/expenses"
        >
          {id && (
            <DeleteButton
              label="Delete expense"
              confirm="Delete this expense? A paid expense's withdrawal is reversed."
              run={() => client.expense.delete.mutate({ id })}
              then="/expenses"
            />
          )}
        </FormActions>
      </form>
      <NewCategoryField onCreated={setCategoryId} />
    </section>
  );
}
