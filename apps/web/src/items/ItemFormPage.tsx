export function ItemFormPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
