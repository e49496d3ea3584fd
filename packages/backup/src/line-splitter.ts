const NEWLINE = 0x0a;

/**
 * A line-level problem found while cutting: the splitter does not number lines (the line work
 * does), so the reader places it once the lines before it are read.
 */
export class LineCutError extends Error {}

/**
 * Cuts a table's byte stream into batches of whole `\n`-terminated lines, never holding more than
 * one line (at most `maxLineBytes`) plus one incoming chunk. A batch is the carried start of a line
 * plus the incoming chunk up to its last newline: lines are not looked at one by one unless the
 * batch is longer than the line limit (only then can a line in it be too long).
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /**
   * Hands every whole line of `chunk` (with the carried start of the first) to `emit`, in one or
   * two batches; throws a LineCutError after emitting the lines before an overlong one.
   */
  push(chunk: Buffer, emit: (batch: Buffer) => void): void {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.checkLength(this.carryBytes + chunk.length);
      this.carry.push(chunk);
      this.carryBytes += chunk.length;
      return;
    }
    const batchBytes = this.carryBytes + last + 1;
    const batch =
      this.carryBytes > 0
        ? Buffer.concat([...this.carry, chunk.subarray(0, last + 1)], batchBytes)
        : chunk.subarray(0, last + 1);
    this.carry = [];
    this.carryBytes = 0;
    if (batchBytes > this.maxLineBytes) this.emitChecked(batch, emit);
    else emit(batch);
    const rest = chunk.subarray(last + 1);
    if (rest.length > 0) {
      this.checkLength(rest.length);
      this.carry.push(rest);
      this.carryBytes = rest.length;
    }
  }

  /** An entry ends between lines: a last line without its `\n` means a cut or altered file. */
  endOfEntry(entry: string): void {
    if (this.carryBytes > 0) {
      throw new LineCutError(`entry ${entry} ends in the middle of a line (no final newline)`);
    }
  }

  /** The slow path: emits the lines up to the first overlong one, then refuses that one. */
  private emitChecked(batch: Buffer, emit: (batch: Buffer) => void): void {
    let start = 0;
    for (;;) {
      const end = batch.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (end - start > this.maxLineBytes) {
        if (start > 0) emit(batch.subarray(0, start));
        this.tooLong();
      }
      start = end + 1;
    }
    emit(batch);
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) this.tooLong();
  }

  private tooLong(): never {
    throw new LineCutError(`line is longer than the maximum of ${this.maxLineBytes} bytes`);
  }
}
