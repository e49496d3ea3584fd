export function ExpenseFormPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
