/**
 * The schema checksum of every version of the organization tables this code has known
 * (docs/backup-format.md). An archive is readable when its checksum is the one of its version and
 * that version is not newer than ours. A test checks that the current entry matches the live
 * database, so a migration that changes an organization table cannot land without a new entry (and
 * its upgrade step); a migration that changes only accounts, sessions or other server tables needs
 * none, and archives stay compatible across it.
 */
export const KNOWN_SCHEMA_CHECKSUMS: Readonly<Record<number, string>> = {
  1: 'sha256:39f608397ad7f83b537eed3362e94d432a9265aa1f8d3a0513cd1887405ded14',
  // 0001_invoice_irn: invoices.irn text (nullable), appended.
  2: 'sha256:88de5c2eb4dfa574b69f22125ec976de34a0ff838b0556811277de21f967ccd1',
};

/** The organization schema version this server writes and reads: the newest one above. */
export const CURRENT_SCHEMA_VERSION: number = Math.max(...Object.keys(KNOWN_SCHEMA_CHECKSUMS).map(Number));
