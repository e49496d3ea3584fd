export function DashboardPage(_props: { id?: string }) {
  return <p>Loading…</p>;
}
