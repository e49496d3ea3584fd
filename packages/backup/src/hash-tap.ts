import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged, counting and hashing them on the way. */
export class HashTap extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private digestHex: string | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digestHex = this.hash.digest('hex');
    callback();
  }

  /** The SHA-256 of everything that passed, once the stream has flushed. */
  get sha256(): string | null {
    return this.digestHex;
  }
}
