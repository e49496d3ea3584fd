import { createHash } from 'node:crypto';
import type { TableSummary } from './export.ts';
import { chunkEntryName } from './manifest.ts';

/** Where a finished chunk goes: the archive entry is written and indexed by the caller. */
export type ChunkSink = (entry: { name: string; chunk: number; rows: number; body: Buffer }) => Promise<void>;

/**
 * Cuts one table's lines into archive entries of at most `chunkBytes` (a longer single line gets an
 * entry of its own), counting rows and bytes and hashing the table as it goes. It does not care
 * where the lines come from: COPY bytes and cursor rows are cut at exactly the same places.
 */
export class TableChunkWriter {
  private readonly tableHash = createHash('sha256');
  private rows = 0;
  private bytes = 0;
  private chunk = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRows = 0;

  constructor(
    private readonly table: string,
    private readonly chunkBytes: number,
    private readonly sink: ChunkSink,
    private readonly onProgress?: (progress: { table: string; rows: number; bytes: number }) => void,
  ) {}

  /** Takes a buffer of whole lines (each ending in \n), then reports progress. */
  async write(lines: Buffer): Promise<void> {
    let buf = lines;
    while (buf.length > 0) {
      const room = this.chunkBytes - this.pendingBytes;
      let take: number;
      if (buf.length <= room) take = buf.length;
      else {
        // As many whole lines as fit; a line that fits nowhere closes the entry, or opens its own.
        const end = room > 0 ? buf.lastIndexOf(10, room - 1) : -1;
        if (end >= 0) take = end + 1;
        else if (this.pendingBytes > 0) {
          await this.flush();
          continue;
        } else take = buf.indexOf(10) + 1;
      }
      this.add(buf.subarray(0, take));
      buf = buf.subarray(take);
      if (this.pendingBytes >= this.chunkBytes && buf.length > 0) await this.flush();
    }
    this.report();
  }

  /** Writes what is left; every table has at least its first entry, empty when it has no rows. */
  async finish(): Promise<TableSummary> {
    if (this.pendingBytes > 0 || this.chunk === 1) await this.flush();
    this.report();
    return { rows: this.rows, bytes: this.bytes, sha256: this.tableHash.digest('hex') };
  }

  private add(piece: Buffer): void {
    let lines = 0;
    for (let at = piece.indexOf(10); at >= 0; at = piece.indexOf(10, at + 1)) lines += 1;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    this.pendingRows += lines;
    this.tableHash.update(piece);
    this.bytes += piece.length;
    this.rows += lines;
  }

  private async flush(): Promise<void> {
    const body = Buffer.concat(this.pending, this.pendingBytes);
    await this.sink({
      name: chunkEntryName(this.table, this.chunk),
      chunk: this.chunk,
      rows: this.pendingRows,
      body,
    });
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingRows = 0;
    this.chunk += 1;
  }

  private report(): void {
    this.onProgress?.({ table: this.table, rows: this.rows, bytes: this.bytes });
  }
}
