export function PaymentsPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
