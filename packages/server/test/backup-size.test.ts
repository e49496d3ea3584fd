import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, createTenant, ok, registerUser, type TestUser } from './support/trpc.ts';
import {
  BACKUP_ENV,
  type BackupLink,
  exportArchive,
  seedBusiness,
  upload,
  uploadStreamTolerant,
} from './backup-support.ts';

const MiB = 1024 * 1024;

/** A 512-byte ustar header for one regular file of `size` bytes. */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  field(0, 100, name);
  field(100, 8, '0000644\0');
  field(108, 8, '0000000\0');
  field(116, 8, '0000000\0');
  field(124, 12, `${size.toString(8).padStart(11, '0')}\0`);
  field(
    136,
    12,
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
  );
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** `header` then `total` bytes from `chunk()`, gzipped on the fly: generated only as fast as it is read. */
function gzipStream(
  header: Buffer,
  total: number,
  chunk: () => Buffer,
  level = 1,
): ReadableStream<Uint8Array> {
  async function* body() {
    yield header;
    for (let sent = 0; sent < total; ) {
      const next = chunk();
      sent += next.length;
      yield next;
    }
  }
  const gzipped = Readable.from(body()).pipe(createGzip({ level }));
  return Readable.toWeb(gzipped) as ReadableStream<Uint8Array>;
}

async function peakRssDuring<T>(work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthBytes: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

for (const backend of testBackends()) {
  describe(`upload and archive size limits (${backend.kind})`, () => {
    let server: TestServer;
    let user: TestUser;

    beforeAll(async () => {
      server = await startTestServer(backend, {
        env: {
          ...BACKUP_ENV,
          HISAABO_MAX_ARCHIVE_BYTES: String(100 * MiB),
          HISAABO_MAX_UPLOAD_BYTES: String(2 * MiB),
        },
      });
      user = await registerUser(server.url);
    });
    afterAll(() => server?.close());

    async function importLink(): Promise<{ tenantId: string; link: BackupLink }> {
      const org = await createTenant(server.url, user.token);
      const link = await ok<BackupLink>(
        server.url,
        'selfImport.request',
        { tenantId: org.id },
        { token: user.token },
      );
      return { tenantId: org.id, link };
    }

    /** The failed restore is in the history, and the organization is still empty enough to restore into. */
    async function stillEmptyAfterFailure(tenantId: string): Promise<boolean> {
      const history = await ok<{ events: { kind: string; outcome: string }[] }>(
        server.url,
        'backup.history',
        { tenantId },
        { token: user.token },
      );
      expect(history.events[0]).toMatchObject({ kind: 'restore', outcome: 'failed' });
      const again = await call(server.url, 'selfImport.request', { tenantId }, { token: user.token });
      return again.status === 200;
    }

    it('refuses a gzip bomb (1 GiB decompressed, limit 100 MiB) with 413, streaming, and restores nothing', async () => {
      // A genuine archive followed by 1 GiB of zeros: every entry checks out, only the size gives it away.
      const source = await createTenant(server.url, user.token);
      await seedBusiness(server.database.db, source.id);
      const genuine = gunzipSync(await exportArchive(server.url, user.token, source.id));
      const { tenantId, link } = await importLink();
      const zeros = Buffer.alloc(MiB);
      const { result, growthBytes } = await peakRssDuring(() =>
        uploadStreamTolerant(
          server.url,
          link.url,
          // At level 9 the 1 GiB is about 1 MiB on the wire, under the 2 MiB upload limit: on the embedded
          // database, which receives the whole upload before restoring, the decompressed guard is
          // what refuses it too.
          gzipStream(genuine, 1024 * MiB, () => zeros, 9),
        ),
      );
      expect(result.status).toBe(413);
      expect(result.body).toMatchObject({
        error: 'ARCHIVE_TOO_LARGE',
        message: expect.stringMatching(/104857600/),
      });
      // Holding even the 100 MiB that passed the guard would show here.
      expect(growthBytes).toBeLessThan(64 * MiB);
      expect(await stillEmptyAfterFailure(tenantId)).toBe(true);
    });

    it('refuses an upload over HISAABO_MAX_UPLOAD_BYTES: at once when declared, while streaming when not', async () => {
      const { tenantId, link } = await importLink();
      const declared = await upload(server.url, link.url, randomBytes(3 * MiB));
      expect(declared).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });

      // Not spent by the refusal above: the same link now streams a body of unannounced length.
      const streamed = await uploadStreamTolerant(
        server.url,
        link.url,
        gzipStream(tarHeader('manifest.json', 7 * MiB), 7 * MiB, () => randomBytes(64 * 1024)),
      );
      expect(streamed).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
      expect(await stillEmptyAfterFailure(tenantId)).toBe(true);
    });
  });
}
