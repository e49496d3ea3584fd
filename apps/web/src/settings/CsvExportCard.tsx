export function CsvExportCard(_props: { id?: string }) {
  return <p>Loading…</p>;
}
