export function InvoicesPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
