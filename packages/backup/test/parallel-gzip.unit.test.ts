import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParallelGzip } from '../src/parallel-gzip.ts';
import { collect } from './support/archive.ts';
import { gzipMembers } from './support/gzip-members.ts';

/** Input whose pieces take very different times to compress: text, then random bytes, and so on. */
function mixedInput(pieces: number, pieceBytes: number): Buffer[] {
  const text = Buffer.alloc(pieceBytes, '{"id":"0193a000-0000-7000-8000-000000000100","total":"118.00"}\n');
  return Array.from({ length: pieces }, (_, i) => (i % 2 === 0 ? text : randomBytes(pieceBytes)));
}

describe('ParallelGzip', () => {
  it('refuses members of no bytes and fewer than one member in flight', () => {
    const message = 'ParallelGzip needs memberBytes > 0 and maxInFlight >= 1';
    expect(() => new ParallelGzip({ memberBytes: 0, maxInFlight: 1, level: 6 })).toThrow(message);
    expect(() => new ParallelGzip({ memberBytes: Number.NaN, maxInFlight: 1, level: 6 })).toThrow(message);
    expect(() => new ParallelGzip({ memberBytes: 1, maxInFlight: 0, level: 6 })).toThrow(message);
    expect(() => new ParallelGzip({ memberBytes: 1, maxInFlight: 0.5, level: 6 })).toThrow(message);
    expect(new ParallelGzip({ memberBytes: 1, maxInFlight: 1, level: 6 }).compressing).toBe(0);
  });

  it('closes at once when destroyed with nothing on the thread pool', async () => {
    const gzip = new ParallelGzip({ memberBytes: 1024, maxInFlight: 2, level: 6 });
    await gzip.idle();
    const closed = new Promise<void>((resolve) => gzip.on('close', resolve));
    gzip.destroy();
    await closed;
    expect(gzip.destroyed).toBe(true);
  });

  it('writes one gzip member per memberBytes of input, in input order, that gunzip reads as one stream', async () => {
    const input = Buffer.concat(mixedInput(12, 64 * 1024));
    const gzip = new ParallelGzip({ memberBytes: 100_000, maxInFlight: 4, level: 6 });
    // Fed in pieces that do not line up with members.
    const output = await collect(Readable.from(chunks(input, 7_777)).pipe(gzip));

    const expected: Buffer[] = [];
    for (let at = 0; at < input.length; at += 100_000) {
      expected.push(gzipSync(input.subarray(at, at + 100_000), { level: 6 }));
    }
    expect(gzipMembers(output)).toBe(expected.length);
    expect(output.equals(Buffer.concat(expected))).toBe(true);
    expect(gunzipSync(output).equals(input)).toBe(true);
    const streamed = await collect(Readable.from([output]).pipe(createGunzip()));
    expect(streamed.equals(input)).toBe(true);
  });

  it('keeps the order when the reader is slow and later members finish first', async () => {
    const pieces = mixedInput(16, 256 * 1024);
    const gzip = new ParallelGzip({ memberBytes: 256 * 1024, maxInFlight: 4, level: 9 });
    const out: Buffer[] = [];
    await pipeline(Readable.from(pieces), gzip, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        out.push(chunk);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const output = Buffer.concat(out);
    expect(output.equals(Buffer.concat(pieces.map((p) => gzipSync(p, { level: 9 }))))).toBe(true);
  });

  it('holds at most maxInFlight members: the writer waits beyond that', async () => {
    const gzip = new ParallelGzip({ memberBytes: 1024, maxInFlight: 2, level: 1 });
    let most = 0;
    // Nobody reads: once the readable side's buffer is full, the input is no longer taken.
    for (let i = 0; i < 200; i += 1) {
      gzip.write(randomBytes(1024));
      most = Math.max(most, gzip.compressing);
      await sleep(1);
    }
    await sleep(100);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    // About the readable side's high-water mark (16 KiB) is compressed; the rest waits uncompressed.
    expect(gzip.readableLength).toBeLessThan(16 * 1024 + 3 * 1100);
    expect(gzip.writableLength).toBeGreaterThan(150 * 1024);
    gzip.destroy();
  });

  it('flush() sends what came in so far as a whole member, before the input ends', async () => {
    const gzip = new ParallelGzip({ memberBytes: 1024 * 1024, maxInFlight: 4, level: 6 });
    const iterator = gzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    gzip.write(Buffer.from('{"format":"hisaabo-export"}\n'));
    gzip.flush();
    const first = await iterator.next();
    expect(gunzipSync(first.value).toString()).toBe('{"format":"hisaabo-export"}\n');
    gzip.end();
  });

  it('when destroyed, reports its end only after the members on the thread pool are done', async () => {
    const gzip = new ParallelGzip({ memberBytes: 4 * 1024 * 1024, maxInFlight: 3, level: 9 });
    gzip.on('error', () => {});
    gzip.write(randomBytes(4 * 1024 * 1024));
    gzip.write(randomBytes(4 * 1024 * 1024));
    // Two members at once: the end must wait for the last of them, not the first.
    await sleep(1);
    expect(gzip.compressing).toBe(2);
    const closed = new Promise<number>((resolve) => gzip.on('close', () => resolve(gzip.compressing)));
    gzip.destroy(new Error('export aborted'));
    expect(await closed).toBe(0);
    // Nothing more is started once destroyed.
    gzip.flush();
    expect(gzip.compressing).toBe(0);
  });
});

function* chunks(buffer: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
