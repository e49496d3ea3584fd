import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect, type Database, databaseOnPglite } from './connect.ts';
import { MIGRATIONS_FOLDER, migrate } from './migrate.ts';

/**
 * Test support: migrated templates, so a test database is a copy instead of a fresh migration. On
 * PGlite most of a fresh database's cost is not the migrations but starting an instance twice (initdb
 * runs in an instance of its own) and compiling the WebAssembly; a copy loads a migrated data directory
 * into one instance of an already compiled module. On PostgreSQL a copy is `CREATE DATABASE … TEMPLATE`.
 *
 * A template is named by a hash of the migrations (and of the PGlite release), so a new migration makes
 * a new template and an old one is never used for the new schema. PGlite's is a file in the temporary
 * directory, PostgreSQL's a database `hisaabo_template_<hash>` left on the server for the next run.
 * Both are written under a temporary name and renamed when complete: processes that start at once may
 * each build one, and the first rename wins.
 */

const require = createRequire(import.meta.url);
const PGLITE_DIST = path.dirname(require.resolve('@electric-sql/pglite'));

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(await readFile(path.join(PGLITE_DIST, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  hash.update(`pglite ${pglite.version}\n`);
  const files = (await readdir(MIGRATIONS_FOLDER)).filter((name) => name.endsWith('.sql')).sort();
  for (const name of [...files, 'meta/_journal.json']) {
    hash.update(`${name}\n`);
    hash.update(await readFile(path.join(MIGRATIONS_FOLDER, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

let hashOnce: Promise<string> | undefined;
const templateHash = (): Promise<string> => {
  hashOnce ??= migrationsHash();
  return hashOnce;
};

/** What every PGlite copy of this process starts from: the compiled module, its files, migrated data. */
interface PgliteKit {
  wasm: WebAssembly.Module;
  bundle: Blob;
  migrated: Blob;
}

let kitOnce: Promise<PgliteKit> | undefined;

function pgliteKit(): Promise<PgliteKit> {
  kitOnce ??= loadPgliteKit().catch((error: unknown) => {
    kitOnce = undefined;
    throw error;
  });
  return kitOnce;
}

async function loadPgliteKit(): Promise<PgliteKit> {
  const [wasm, bundleBytes] = await Promise.all([
    readFile(path.join(PGLITE_DIST, 'pglite.wasm')).then((bytes) => WebAssembly.compile(bytes)),
    readFile(path.join(PGLITE_DIST, 'pglite.data')),
  ]);
  const bundle = new Blob([bundleBytes]);
  return { wasm, bundle, migrated: await migratedPgliteDataDir(wasm, bundle) };
}

// Write-ahead log segments of 1 MiB instead of 16: the template holds one, and every copy loads it
// through PGlite's tar reader, whose cost grows with the largest file. Nothing a test shows depends
// on the segment size.
const INITDB = { initDbStartParams: ['--wal-segsize=1'] };
const TEMPLATE_DIRECTORY = path.join(os.tmpdir(), 'hisaabo-test-templates');

async function migratedPgliteDataDir(wasm: WebAssembly.Module, bundle: Blob): Promise<Blob> {
  const file = path.join(TEMPLATE_DIRECTORY, `pglite-${await templateHash()}.tar`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  const { PGlite } = await import('@electric-sql/pglite');
  const database = await databaseOnPglite(
    await PGlite.create('memory://', { pgliteWasmModule: wasm, fsBundle: bundle, ...INITDB }),
    'memory://',
  );
  let dump: Blob;
  try {
    await migrate(database);
    if (database.driver.kind !== 'pglite') throw new Error('expected PGlite');
    // A checkpoint first, so a copy starts without replaying the migrations from the write-ahead log.
    await database.driver.client.exec('CHECKPOINT');
    dump = await database.driver.client.dumpDataDir('none');
  } finally {
    await database.close();
  }
  await mkdir(TEMPLATE_DIRECTORY, { recursive: true });
  const partial = `${file}.${randomBytes(6).toString('hex')}`;
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
  await rename(partial, file).catch(() => rm(partial, { force: true }));
  return dump;
}

/** A fresh in-memory PGlite database holding the migrated schema, loaded from the template. */
export async function openMigratedPglite(): Promise<Database> {
  const { wasm, bundle, migrated } = await pgliteKit();
  const { PGlite } = await import('@electric-sql/pglite');
  const client = await PGlite.create('memory://', {
    loadDataDir: migrated,
    pgliteWasmModule: wasm,
    fsBundle: bundle,
  });
  return databaseOnPglite(client, 'memory://');
}

/**
 * Makes `dataDir` (which must not exist) the embedded database of an instance that has run its
 * migrations: what `connect({ dataDir })` and `migrate` leave, copied from a directory built once per
 * schema in the temporary directory, for tests of commands that open a data directory themselves.
 */
export async function copyMigratedDataDir(dataDir: string): Promise<void> {
  await cp(await migratedDataDirTemplate(), dataDir, { recursive: true, errorOnExist: true, force: false });
}

async function migratedDataDirTemplate(): Promise<string> {
  const directory = path.join(TEMPLATE_DIRECTORY, `pglite-dir-${await templateHash()}`);
  if (await stat(path.join(directory, 'PG_VERSION')).catch(() => null)) return directory;
  await mkdir(TEMPLATE_DIRECTORY, { recursive: true });
  const partial = `${directory}.${randomBytes(6).toString('hex')}`;
  try {
    const database = await connect({ dataDir: partial });
    try {
      await migrate(database);
    } finally {
      await database.close();
    }
    // Another process may have finished the same directory first: then that one is used.
    await rename(partial, directory).catch(() => undefined);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return directory;
}

const DUPLICATE_DATABASE = '42P04';

const templateOnce = new Map<string, Promise<string>>();

/** The name of the migrated template database on the server of `adminUrl`, built on first use. */
export function postgresTemplate(adminUrl: string): Promise<string> {
  let template = templateOnce.get(adminUrl);
  if (!template) {
    template = ensurePostgresTemplate(adminUrl).catch((error: unknown) => {
      templateOnce.delete(adminUrl);
      throw error;
    });
    templateOnce.set(adminUrl, template);
  }
  return template;
}

async function ensurePostgresTemplate(adminUrl: string): Promise<string> {
  const name = `hisaabo_template_${await templateHash()}`;
  const exists = await withAdmin(adminUrl, async (admin) => {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return found.rowCount === 1;
  });
  if (exists) return name;
  const building = `hisaabo_template_build_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${building}`));
  try {
    const database = await connect({ databaseUrl: databaseUrl(adminUrl, building) });
    try {
      await migrate(database);
    } finally {
      await database.close();
    }
    await withAdmin(adminUrl, async (admin) => {
      await admin.query(`ALTER DATABASE ${building} WITH IS_TEMPLATE true`);
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`).catch((error: unknown) => {
        // Another process finished the same template first: use that one.
        if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
      });
    });
  } finally {
    await dropIfLeft(adminUrl, building);
  }
  return name;
}

async function dropIfLeft(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 1) return;
    await admin.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  });
}

/** `adminUrl` with its database replaced by `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
