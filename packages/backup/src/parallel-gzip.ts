import { Transform, type TransformCallback } from 'node:stream';
import { gzip } from 'node:zlib';

const READ_RECHECK_MS = 10;

export interface ParallelGzipOptions {
  /** Uncompressed bytes per gzip member: a member is cut once this many bytes have come in. */
  memberBytes: number;
  /** Members being compressed at once (on the libuv thread pool); the input waits beyond that. */
  maxInFlight: number;
  level: number;
}

/**
 * gzip on several threads: the input is cut into independent gzip members (RFC 1952 allows a file
 * of several; gzip, tar and zlib's gunzip read them as one stream), compressed side by side on the
 * libuv thread pool and written in input order. Memory is bounded by `maxInFlight` members, in and
 * out. `flush()` ends the current member early so what came in so far can leave at once.
 */
export class ParallelGzip extends Transform {
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  /** One promise per member not yet written, in input order; each leaves the queue once written. */
  private readonly unwritten: Promise<void>[] = [];
  /** The last member's write: each member is written after the one before it. */
  private tail: Promise<void> = Promise.resolve();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  /** Woken when the reader asks for more (or the stream is destroyed). */
  private readWaiters: (() => void)[] = [];

  constructor(private readonly options: ParallelGzipOptions) {
    super();
    if (!(options.memberBytes > 0) || !(options.maxInFlight >= 1)) {
      throw new Error('ParallelGzip needs memberBytes > 0 and maxInFlight >= 1');
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.accept(chunk).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.cut();
    this.writeUpTo(0).then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Members already handed to the thread pool cannot be recalled: the stream reports its end only
    // once they are done, so nothing of it is still running after that.
    this.pieces = [];
    this.pendingBytes = 0;
    for (const wake of this.readWaiters.splice(0)) wake();
    this.idle().then(() => callback(error));
  }

  override _read(size: number): void {
    for (const wake of this.readWaiters.splice(0)) wake();
    super._read(size);
  }

  /** Ends the current member now (when it holds anything), so its bytes go out without waiting. */
  flush(): void {
    this.cut();
  }

  /** Members being compressed now. */
  get compressing(): number {
    return this.running;
  }

  /** Resolves once no member is being compressed. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async accept(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      const room = this.options.memberBytes - this.pendingBytes;
      const piece = rest.length <= room ? rest : rest.subarray(0, room);
      this.pieces.push(piece);
      this.pendingBytes += piece.length;
      rest = rest.subarray(piece.length);
      if (this.pendingBytes >= this.options.memberBytes) {
        this.cut();
        // Backpressure: no more than maxInFlight members wait or run at once...
        await this.writeUpTo(this.options.maxInFlight - 1);
      }
    }
    // ...and no more input is taken while the reader has not taken what was written. _read wakes
    // this at once; the stream does not call _read again while an earlier call is unanswered, so
    // the condition is also looked at again every few milliseconds rather than missed for good.
    while (this.readableLength >= this.readableHighWaterMark && !this.destroyed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.readWaiters = this.readWaiters.filter((waiter) => waiter !== wake);
          resolve();
        }, READ_RECHECK_MS);
        this.readWaiters.push(wake);
      });
    }
  }

  /** Starts compressing what has come in as one member. */
  private cut(): void {
    if (this.pendingBytes === 0 || this.destroyed) return;
    const input = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.pendingBytes);
    this.pieces = [];
    this.pendingBytes = 0;
    this.running += 1;
    const member = new Promise<Buffer>((resolve, reject) => {
      gzip(input, { level: this.options.level, chunkSize: 128 * 1024 }, (error, output) => {
        this.running -= 1;
        if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        if (error) reject(error);
        else resolve(output);
      });
    });
    const written = this.tail.then(async () => {
      const output = await member;
      this.unwritten.shift();
      if (!this.destroyed) this.push(output);
    });
    // Awaited by writeUpTo; a failure must not also surface as an unhandled rejection.
    written.catch(() => {});
    this.tail = written;
    this.unwritten.push(written);
  }

  /** Waits until at most `left` members are not yet written (they are written in order as they finish). */
  private async writeUpTo(left: number): Promise<void> {
    while (this.unwritten.length > left) await this.unwritten[0];
  }
}
