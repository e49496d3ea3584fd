// The parts of the code mutation testing covers, each with the test files that exercise it (PGlite
// only). One scope is one Stryker run with its own incremental file, so a scope can be re-run alone
// and a finished scope is never redone because another one changed.
export const SCOPES = {
  links: {
    mutate: ['packages/server/src/backup/signing.ts', 'packages/server/src/backup/token-check.ts'],
    tests: ['packages/server/test/link-signing.test.ts'],
  },
  // Link records in two scopes: the records and owner check on the database alone, and the export
  // quota and owner access, also on the database alone (backup-limit.test.ts checks the same rules
  // through the server, but starts one per run: 25 s per mutant instead of 10).
  'link-records': {
    mutate: ['packages/server/src/backup/token-store.ts', 'packages/server/src/backup/ownership.ts'],
    tests: ['packages/server/test/link-store.test.ts'],
  },
  'link-quota': {
    mutate: ['packages/server/src/backup/export-limit.ts', 'packages/server/src/backup/access.ts'],
    tests: ['packages/server/test/export-quota.test.ts'],
  },
  // The organization rules on the database alone (tenant, invitations and apikey test the same
  // through a server each, far too slow per mutant).
  tenancy: {
    mutate: ['packages/domain/src/tenancy/*.ts', 'packages/server/src/tenancy/*.ts'],
    tests: [
      'packages/domain/test/tenancy-rules.test.ts',
      'packages/domain/test/tenancy-members.test.ts',
      'packages/domain/test/tenancy-invitations.test.ts',
      'packages/server/test/session-organizations.test.ts',
    ],
  },
  'backup-validator': {
    mutate: ['packages/backup/src/row-validator.ts', 'packages/backup/src/row-checks.ts'],
    tests: ['packages/backup/test/row-validator.unit.test.ts'],
  },
  // The reading side, in two scopes, exercised through verify on the stored archive (no database):
  // the suites that restore into a database reach this code too, but cost 20 s or more per mutant on
  // a shared machine, where these take a few seconds.
  'backup-reader': {
    mutate: [
      'packages/backup/src/manifest.ts',
      'packages/backup/src/archive-reader.ts',
      'packages/backup/src/line-splitter.ts',
      'packages/backup/src/verify.ts',
    ],
    tests: [
      'packages/backup/test/archive-reader.unit.test.ts',
      'packages/backup/test/line-splitter.unit.test.ts',
      'packages/backup/test/manifest.unit.test.ts',
      'packages/backup/test/verify-offline.unit.test.ts',
      'packages/backup/test/verify-rejections.unit.test.ts',
    ],
  },
  'backup-compatibility': {
    mutate: ['packages/backup/src/compatibility.ts', 'packages/backup/src/references.ts'],
    tests: [
      'packages/backup/test/compatibility.unit.test.ts',
      'packages/backup/test/compatibility-guards.unit.test.ts',
      'packages/backup/test/references.unit.test.ts',
      'packages/backup/test/verify-offline.unit.test.ts',
      'packages/backup/test/verify-rejections.unit.test.ts',
    ],
  },
  // The line and encoding code, without a database: the line work (parse, check, upgrade, encode
  // as COPY text) through its own tests and through verify, the export's chunking and parallel
  // gzip, the errors and the version tables. line-work.worker.ts is in no scope: it runs only in a
  // worker thread, where Stryker never turns a mutant on (restore-worker.test.ts covers it).
  'backup-lines': {
    mutate: [
      'packages/backup/src/line-work.ts',
      'packages/backup/src/line-transcoder.ts',
      'packages/backup/src/row-encoder.ts',
      'packages/backup/src/table-columns.ts',
      'packages/backup/src/errors.ts',
      'packages/backup/src/export-chunks.ts',
      'packages/backup/src/parallel-gzip.ts',
      'packages/backup/src/hash-tap.ts',
      'packages/backup/src/worker-script.ts',
      'packages/backup/src/schema-versions.ts',
      'packages/backup/src/app-version.ts',
      'packages/backup/src/upgrades/*.ts',
    ],
    tests: [
      'packages/backup/test/line-work.unit.test.ts',
      'packages/backup/test/line-work-rows.unit.test.ts',
      'packages/backup/test/line-transcoder.unit.test.ts',
      'packages/backup/test/row-encoder.unit.test.ts',
      'packages/backup/test/export-chunks.unit.test.ts',
      'packages/backup/test/parallel-gzip.unit.test.ts',
      'packages/backup/test/hash-tap.unit.test.ts',
      'packages/backup/test/errors.unit.test.ts',
      'packages/backup/test/upgrades.unit.test.ts',
      'packages/backup/test/worker-script.unit.test.ts',
      'packages/backup/test/compatibility.unit.test.ts',
      'packages/backup/test/compatibility-guards.unit.test.ts',
      'packages/backup/test/archive-reader.unit.test.ts',
      'packages/backup/test/row-validator.unit.test.ts',
      'packages/backup/test/verify-offline.unit.test.ts',
      'packages/backup/test/verify-rejections.unit.test.ts',
    ],
  },
  // The export on PGlite: the SQL that prints each row's line (checked against row_to_json for every
  // column of every table), the reading of lines and the archive around them. Not round-trip.test.ts:
  // it exports in a beforeAll hook, which makes every export mutant static (run against every test
  // of the scope); export-archive.test.ts and the snapshot tests export inside each test.
  'backup-export': {
    mutate: [
      'packages/backup/src/export.ts',
      'packages/backup/src/export-lines.ts',
      'packages/backup/src/encode.ts',
      'packages/backup/src/table-defs.ts',
    ],
    tests: [
      'packages/backup/test/export-lines.unit.test.ts',
      'packages/backup/test/encode.unit.test.ts',
      'packages/backup/test/encode-lines.test.ts',
      'packages/backup/test/export-archive.test.ts',
      'packages/backup/test/snapshot.test.ts',
    ],
  },
  // The restore's archive walk without a database: verify walks the archive the same way a restore
  // does (entries, order, hashes, line limits, the reference check), in milliseconds a test.
  'backup-walker': {
    mutate: ['packages/backup/src/archive-walker.ts'],
    tests: [
      'packages/backup/test/archive-walker.unit.test.ts',
      'packages/backup/test/archive-walker-flow.unit.test.ts',
      'packages/backup/test/verify-offline.unit.test.ts',
      'packages/backup/test/verify-rejections.unit.test.ts',
      'packages/backup/test/archive-reader.unit.test.ts',
    ],
  },
  // The restore on PGlite: loading by COPY, the foreign-key check after it (integrity.ts), the line
  // stage and its worker, and the upgrade of older archives.
  'backup-restore': {
    mutate: [
      'packages/backup/src/restore.ts',
      'packages/backup/src/loader.ts',
      'packages/backup/src/integrity.ts',
      'packages/backup/src/line-stage.ts',
      'packages/backup/src/database-refusal.ts',
    ],
    tests: [
      'packages/backup/test/restore-defaults.unit.test.ts',
      'packages/backup/test/database-refusal.unit.test.ts',
      'packages/backup/test/line-stage.unit.test.ts',
      'packages/backup/test/restore-report.test.ts',
      'packages/backup/test/rejections.test.ts',
      'packages/backup/test/foreign-keys.test.ts',
      'packages/backup/test/upgrades.test.ts',
      'packages/backup/test/restore-worker.test.ts',
      'packages/backup/test/round-trip.test.ts',
    ],
  },
};

/** The scope named by MUTATION_SCOPE; the runner script sets it for each run. */
export function currentScope() {
  const name = process.env.MUTATION_SCOPE;
  const scope = name ? SCOPES[name] : undefined;
  if (!scope) {
    throw new Error(
      `MUTATION_SCOPE must be one of: ${Object.keys(SCOPES).join(', ')} (got ${name ?? 'nothing'})`,
    );
  }
  return { name, ...scope };
}
