import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HashTap } from '../src/hash-tap.ts';
import { collect } from './support/archive.ts';

// The export's manifest and index state each entry's size and SHA-256: the tap measures the bytes
// it passes on, unchanged.
describe('HashTap', () => {
  it('passes the bytes on unchanged, counting them and hashing them once they end', async () => {
    const pieces = [randomBytes(1000), Buffer.alloc(0), randomBytes(70_000), Buffer.from('end\n')];
    const whole = Buffer.concat(pieces);
    const tap = new HashTap();
    expect(tap.sha256).toBeNull();
    const out = await collect(Readable.from(pieces).pipe(tap));
    expect(out.equals(whole)).toBe(true);
    expect(tap.bytes).toBe(whole.length);
    expect(tap.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('gives the hash of nothing for an empty stream', async () => {
    const tap = new HashTap();
    expect(await collect(Readable.from([]).pipe(tap))).toHaveLength(0);
    expect(tap.bytes).toBe(0);
    expect(tap.sha256).toBe(createHash('sha256').digest('hex'));
  });
});
