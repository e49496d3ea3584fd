export function PartyFormPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
