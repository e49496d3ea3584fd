import { invalid } from './errors.ts';

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into `\n`-terminated lines without ever holding more than one line (at most
 * `maxLineBytes`) plus one incoming chunk.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** 1-based number of the last line returned, counted across every chunk of a table. */
  line = 0;

  constructor(
    private readonly table: string,
    private readonly maxLineBytes: number,
  ) {}

  *push(chunk: Buffer): Generator<Buffer> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      const piece = chunk.subarray(start, end);
      this.checkLength(this.carryBytes + piece.length);
      const line = this.carryBytes > 0 ? Buffer.concat([...this.carry, piece]) : piece;
      this.carry = [];
      this.carryBytes = 0;
      this.line += 1;
      yield line;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.checkLength(this.carryBytes + rest.length);
      this.carry.push(rest);
      this.carryBytes += rest.length;
    }
  }

  /** An entry ends between lines: a last line without its `\n` means a cut or altered file. */
  endOfEntry(entry: string): void {
    if (this.carryBytes > 0) {
      throw invalid(`entry ${entry} ends in the middle of a line (no final newline)`, {
        table: this.table,
        line: this.line + 1,
      });
    }
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) {
      throw invalid(`line is longer than the maximum of ${this.maxLineBytes} bytes`, {
        table: this.table,
        line: this.line + 1,
      });
    }
  }
}
