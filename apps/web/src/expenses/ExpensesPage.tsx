export function ExpensesPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
