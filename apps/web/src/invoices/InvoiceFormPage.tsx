export function InvoiceFormPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
