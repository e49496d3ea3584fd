import { isUtf8 } from 'node:buffer';
import { type BackupIssue, issue } from './errors.ts';
import { type EnumValues, type Row, type RowValidator, rowChecker } from './row-checks.ts';
import { LineTranscoder } from './line-transcoder.ts';
import { RowEncoder } from './row-encoder.ts';
import type { TableRules } from './row-validator.ts';
import type { TableDef } from './table-defs.ts';
import { NO_ROW_UPGRADE } from './upgrades/index.ts';

// The per-line work of reading an archive's tables: UTF-8, line ending, JSON, row validation, schema
// upgrade, and for a restore the COPY text. The same class runs on the reading thread (verify, small
// restores) and in the restore's worker thread (line-work.worker.ts); either way it sees the batches
// of a table in order, so it numbers lines and counts problems exactly as one loop would. It imports
// nothing of the database package but its value rules, so the worker starts light.

/** Row problems reported before giving up on an archive. */
export const MAX_ISSUES = 100;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** What a restore needs to turn rows into COPY text. */
export interface EncodeOptions {
  tenantId: string;
  /** Restore recurring invoice templates paused. */
  pauseRecurring: boolean;
  /**
   * Foreign keys are checked set-based at commit (integrity.ts): a self-reference goes into the
   * COPY with its row, since no trigger looks for its target meanwhile. Otherwise it is held back
   * and set in a second pass, once every row of the table exists.
   */
  selfReferencesInline: boolean;
}

export const RECURRING_TABLE = 'recurring_invoice_templates';

/** The result of one batch of whole lines. */
export interface BatchOutcome {
  /** Lines read (every line of the batch, unless the archive reached MAX_ISSUES problems in it). */
  lines: number;
  /** Row problems, in line order. */
  issues: BackupIssue[];
  /** COPY text of the batch's rows while the archive has no problem (restore only), else null. */
  copy: Uint8Array | null;
  /** Rows in `copy`. */
  rows: number;
  /** Per self-referencing column of the table (RowEncoder order): id, target, id, target, … */
  references: string[][];
  /** Recurring templates switched from active to paused. */
  paused: number;
}

/** Where the work is: enough to carry on in another thread. */
export interface LineWorkState {
  table: number;
  line: number;
  problems: number;
}

export type RowCallback = (table: TableDef, row: Row, line: number) => void;

/** The archive's tables as written, as this code's schema has them, and the step between. */
export interface LineTables {
  sourceTables: TableDef[];
  targetTables: TableDef[];
  upgradeRow(table: string, row: Row): Row;
}

interface TableWork {
  source: TableDef;
  target: TableDef;
  validator: RowValidator;
  encoder: RowEncoder | null;
  /** The fast path (line-transcoder.ts), for a restore whose rows need no upgrade or change. */
  transcoder: LineTranscoder | null;
  pause: boolean;
}

export class LineWork {
  private table: TableWork | null = null;
  private tableIndex = -1;
  /** 1-based number of the last line read in the current table. */
  private line = 0;
  /** Row problems found in the whole archive so far. */
  private problems = 0;
  private outcome: BatchOutcome = emptyOutcome(0);
  private copyText = '';
  private readonly targets: Map<string, TableDef>;
  private readonly enumValues: EnumValues;

  /** `encode` for a restore (COPY text out), `onRow` for a reader of rows (verify). */
  constructor(
    private readonly plan: LineTables,
    private readonly rules: TableRules,
    private readonly encode: EncodeOptions | null,
    private readonly onRow?: RowCallback,
  ) {
    this.targets = new Map(plan.targetTables.map((t) => [t.name, t]));
    this.enumValues = new Map(rules.enumValues);
  }

  state(): LineWorkState {
    return { table: this.tableIndex, line: this.line, problems: this.problems };
  }

  resume(state: LineWorkState): void {
    if (state.table >= 0) this.startTable(state.table);
    this.line = state.line;
    this.problems = state.problems;
  }

  /** The next table, by its index in the archive's (source) tables. */
  startTable(index: number): void {
    const source = this.plan.sourceTables[index];
    const target = source && this.targets.get(source.name);
    if (!source || !target) throw new Error(`no table ${index} in the archive`);
    this.tableIndex = index;
    this.line = 0;
    const encoder = this.encode
      ? new RowEncoder(
          target,
          this.encode.tenantId,
          this.encode.selfReferencesInline ? [] : (this.rules.selfReferences[target.name] ?? []),
        )
      : null;
    const pause = Boolean(this.encode?.pauseRecurring) && target.name === RECURRING_TABLE;
    this.table = {
      source,
      target,
      validator: rowChecker(source, this.enumValues),
      encoder,
      transcoder:
        encoder && !pause && this.plan.upgradeRow === NO_ROW_UPGRADE
          ? new LineTranscoder(source, this.enumValues, encoder)
          : null,
      pause,
    };
  }

  /** Reads a batch of whole lines (each ending in `\n`) of the current table. */
  process(batch: Uint8Array): BatchOutcome {
    const table = this.table;
    if (!table) throw new Error('no table started');
    this.outcome = emptyOutcome(table.encoder?.selfReferences.length ?? 0);
    this.copyText = '';
    // Valid UTF-8 as a whole means every line is (a line ends at a \n byte, never inside a
    // character): decode once and cut the text; otherwise look at each line's bytes.
    if (isUtf8(batch))
      this.readText(Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength).toString());
    else this.readBytes(batch);
    const outcome = this.outcome;
    if (this.copyText.length > 0) outcome.copy = utf8(this.copyText);
    this.copyText = '';
    return outcome;
  }

  private readText(text: string): void {
    let start = 0;
    while (this.problems < MAX_ISSUES) {
      const end = text.indexOf('\n', start);
      if (end === -1) return;
      this.line += 1;
      this.outcome.lines += 1;
      // JSON.parse would take the \r as whitespace; the format ends lines with \n alone.
      if (end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN) this.carriageReturn();
      else if (!this.transcode(text, start)) this.readLine(text.slice(start, end));
      start = end + 1;
    }
  }

  private readBytes(batch: Uint8Array): void {
    const bytes = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength);
    let start = 0;
    while (this.problems < MAX_ISSUES) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end === -1) return;
      this.line += 1;
      this.outcome.lines += 1;
      const line = bytes.subarray(start, end);
      if (!isUtf8(line)) this.problem([issue('the line is not valid UTF-8', this.where())]);
      else if (line[line.length - 1] === CARRIAGE_RETURN) this.carriageReturn();
      else this.readLine(line.toString('utf8'));
      start = end + 1;
    }
  }

  /** The fast path for a line of an archive with no problem so far; false when it must go the long way. */
  private transcode(text: string, start: number): boolean {
    const transcoder = this.table!.transcoder;
    if (!transcoder || this.problems > 0) return false;
    const copy = transcoder.transcode(text, start, this.outcome.references);
    if (copy === null) return false;
    this.copyText += copy;
    this.outcome.rows += 1;
    return true;
  }

  private carriageReturn(): void {
    this.problem([issue('the line ends in \\r: lines end with \\n alone', this.where())]);
  }

  private readLine(text: string): void {
    const table = this.table!;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.problem([issue(`the line is not valid JSON (${(error as Error).message})`, this.where())]);
      return;
    }
    const problems = table.validator.check(value, this.line);
    if (problems.length > 0) {
      this.problem(problems);
      return;
    }
    if (this.problems > 0) return;
    const row = this.plan.upgradeRow(table.source.name, value as Row);
    if (!table.encoder) {
      this.onRow?.(table.target, row, this.line);
      return;
    }
    if (table.pause && row.status === 'active') {
      row.status = 'paused';
      this.outcome.paused += 1;
    }
    this.copyText += table.encoder.encode(row, this.outcome.references);
    this.outcome.rows += 1;
  }

  private problem(problems: BackupIssue[]): void {
    this.problems += problems.length;
    for (const p of problems) this.outcome.issues.push(p);
  }

  private where(): { table: string; line: number } {
    return { table: this.table!.source.name, line: this.line };
  }
}

function emptyOutcome(selfReferences: number): BatchOutcome {
  return {
    lines: 0,
    issues: [],
    copy: null,
    rows: 0,
    references: Array.from({ length: selfReferences }, () => []),
    paused: 0,
  };
}

/** UTF-8 bytes in a buffer of their own (never a slice of Node's shared pool: it may be transferred). */
function utf8(text: string): Uint8Array {
  const out = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  out.write(text);
  return out;
}
