import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTenant } from '@hisaabo/backup';
import { businesses, newId, parties } from '@hisaabo/db';
import { createPostgresDatabase, type TestDatabase } from '@hisaabo/db/testing';
import { createTenant, ok, registerOwner } from './support/trpc.ts';
import { type BackupLink, TEST_SECRET, upload } from './backup-support.ts';

// A measurement more than a check: the restore route's memory while a >200 MB upload streams through
// a real server process. Heavy (about a minute and 500 MB of disk), so it runs only when asked:
//   HISAABO_HEAVY_TESTS=1 TEST_DATABASE_URL=postgres://… npx vitest run packages/server/test/backup-upload-memory.test.ts

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MiB = 1024 * 1024;
const adminUrl = process.env.TEST_DATABASE_URL;

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

describe.skipIf(!adminUrl || !process.env.HISAABO_HEAVY_TESTS)(
  'a 200 MB upload through a server process',
  () => {
    let database: TestDatabase;
    let dir: string;
    let child: ChildProcess;
    let url: string;

    beforeAll(async () => {
      database = await createPostgresDatabase(adminUrl!);
      dir = mkdtempSync(path.join(tmpdir(), 'hisaabo-upload-'));
      // `node --import tsx` rather than the tsx command, whose server would be a grandchild of ours.
      // A small JavaScript heap: holding the upload (or a table of it) would exhaust it.
      child = spawn(
        process.execPath,
        ['--max-old-space-size=128', '--import', 'tsx', 'packages/server/src/main.ts'],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            PORT: '0',
            HOST: '127.0.0.1',
            HISAABO_SECRET: TEST_SECRET,
            HISAABO_DATA_DIR: dir,
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      url = await new Promise<string>((resolve) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && entry.url) resolve(`http://127.0.0.1:${new URL(entry.url).port}`);
        });
      });
    });
    afterAll(async () => {
      if (child && child.exitCode === null) {
        await new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        });
      }
      await database?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('restores it with the server process staying small', { timeout: 600_000 }, async () => {
      const { owner, org: source } = await registerOwner(url);
      const businessId = newId();
      await database.db.insert(businesses).values({ tenantId: source.id, id: businessId, name: 'Big notes' });
      // Notes of random text barely compress, so the archive is about as large as the data.
      const rows = 4400;
      for (let done = 0; done < rows; done += 100) {
        await database.db.insert(parties).values(
          Array.from({ length: 100 }, (_, i) => ({
            tenantId: source.id,
            businessId,
            type: 'customer' as const,
            name: `Party ${done + i}`,
            notes: randomBytes(48 * 1024).toString('base64'),
          })),
        );
      }
      // The archive is made here with the engine: the server process is kept for the upload alone.
      const archive = path.join(dir, 'big.tar.gz');
      const handle = exportTenant(database, source.id);
      await pipeline(handle.stream, createWriteStream(archive));
      await handle.done;
      const size = statSync(archive).size;
      expect(size).toBeGreaterThan(200 * MiB);

      const target = await createTenant(url, owner.token);
      const importLink = await ok<BackupLink>(
        url,
        'selfImport.request',
        { tenantId: target.id },
        { token: owner.token },
      );
      // Reset the server's high-water mark, so the peak is the upload's own.
      writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
      const before = memoryOf(child.pid!);
      const started = performance.now();
      const result = await upload(
        url,
        importLink.url,
        Readable.toWeb(createReadStream(archive)) as ReadableStream,
      );
      const seconds = (performance.now() - started) / 1000;
      const after = memoryOf(child.pid!);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ ok: true, rowsInserted: { parties: rows } });
      const figures = {
        uploadMiB: +(size / MiB).toFixed(1),
        seconds: +seconds.toFixed(1),
        rssBeforeMiB: +(before.rss / MiB).toFixed(0),
        peakRssMiB: +(after.peak / MiB).toFixed(0),
      };
      console.log(JSON.stringify({ upload: figures }));
      // Far below the upload's size: the body is streamed, never held.
      expect(after.peak - before.rss).toBeLessThan(100 * MiB);
    });
  },
);
