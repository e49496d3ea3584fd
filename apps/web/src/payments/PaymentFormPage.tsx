export function PaymentFormPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
