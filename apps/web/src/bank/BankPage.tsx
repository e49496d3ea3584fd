export function BankPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
