export function BusinessTab(_props: { id?: string }) {
  return <p>Loading…</p>;
}
