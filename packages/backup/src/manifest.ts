import { z } from 'zod';

export const FORMAT = 'hisaabo-export';
export const FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const INDEX_ENTRY = 'index.json';
/** A manifest or index bigger than this is not one this software wrote. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lowercase SQL identifier');

const columnSchema = z.strictObject({
  name: identifier,
  type: z.string().min(1).max(200),
  notNull: z.boolean(),
});

const tableSchema = z.strictObject({
  name: identifier,
  columns: z.array(columnSchema).min(1),
  redacted: z.record(identifier, z.string()).optional(),
});

export const manifestSchema = z.strictObject({
  format: z.literal(FORMAT),
  formatVersion: z.number().int().positive(),
  schemaVersion: z.number().int().positive(),
  schemaChecksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  appVersion: z.string().max(100),
  exportedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  source: z.strictObject({
    instanceId: z.string().max(200),
    tenantId: z.uuid(),
    slug: z.string().max(200),
    name: z.string().max(500),
  }),
  tables: z.array(tableSchema).min(1),
  chunkBytes: z.number().int().positive(),
});
export type Manifest = z.infer<typeof manifestSchema>;

const entryStats = z.strictObject({
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: sha256Hex,
});

export const indexSchema = z.strictObject({
  manifest: z.strictObject({ bytes: z.number().int().nonnegative(), sha256: sha256Hex }),
  entries: z.array(
    z.strictObject({
      name: z.string(),
      table: identifier,
      chunk: z.number().int().positive(),
      rows: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: sha256Hex,
    }),
  ),
  tables: z.record(identifier, entryStats),
});
export type ArchiveIndex = z.infer<typeof indexSchema>;

/** `invoices.ndjson` for the first chunk, `invoices.<n>.ndjson` for chunk n ≥ 2. */
export function chunkEntryName(table: string, chunk: number): string {
  return chunk === 1 ? `${table}.ndjson` : `${table}.${chunk}.ndjson`;
}

export function parseChunkEntryName(name: string): { table: string; chunk: number } | null {
  const match = /^([a-z_][a-z0-9_]*)(?:\.([1-9][0-9]{0,8}))?\.ndjson$/.exec(name);
  if (!match) return null;
  const chunk = match[2] === undefined ? 1 : Number(match[2]);
  if (chunk === 1 && match[2] !== undefined) return null;
  return { table: match[1]!, chunk };
}
