export function PartiesPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
