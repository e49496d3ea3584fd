import { Transform, type TransformCallback } from 'node:stream';
import { formatBytes, formatDuration } from './output.ts';

type TtyStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A one-line progress display on stderr: bytes so far (of the total when known), speed and elapsed
 * time. It draws only on a terminal; in scripts and logs it stays silent rather than flood them with
 * carriage returns.
 */
export class Progress {
  private readonly started = Date.now();
  private bytes = 0;
  private lastDraw = 0;
  private drawn = false;
  private detail = '';
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly stream: TtyStream = process.stderr,
    enabled = true,
  ) {
    this.enabled = enabled && Boolean(this.stream.isTTY);
  }

  get transferred(): number {
    return this.bytes;
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  add(count: number): void {
    this.bytes += count;
    this.draw(false);
  }

  /** Extra context shown after the numbers, e.g. the table being read. */
  setDetail(detail: string): void {
    this.detail = detail;
    this.draw(false);
  }

  /** A pass-through stream that counts what flows through it. */
  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        this.add(chunk.length);
        callback(null, chunk);
      },
    });
  }

  /** Erases the line so the summary that follows starts clean. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const speed = elapsed > 0 ? this.bytes / elapsed : 0;
    const amount =
      this.total !== undefined && this.total > 0
        ? `${formatBytes(this.bytes)} / ${formatBytes(this.total)} (${Math.min(100, Math.floor((this.bytes / this.total) * 100))}%)`
        : formatBytes(this.bytes);
    let line = `${this.label} ${amount}  ${formatBytes(speed)}/s  ${formatDuration(now - this.started)}`;
    if (this.detail) line += `  ${this.detail}`;
    const width = this.stream.columns ?? 80;
    if (line.length > width - 1) line = line.slice(0, width - 1);
    this.stream.write(`\r\u001b[2K${line}`);
    this.drawn = true;
  }
}
