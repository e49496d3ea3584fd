export function ItemsPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
