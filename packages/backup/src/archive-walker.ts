import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type ArchiveEntry, type ArchiveLimits, ArchiveReader, DEFAULT_LIMITS } from './archive-reader.ts';
import { BackupError, type BackupIssue, invalid, invalidArchive, issue } from './errors.ts';
import { LineCutError, LineSplitter } from './line-splitter.ts';
import { type LineStage, LocalLineStage } from './line-stage.ts';
import { type BatchOutcome, LineWork, MAX_ISSUES } from './line-work.ts';
import {
  type ArchiveIndex,
  FORMAT_VERSION,
  INDEX_ENTRY,
  MANIFEST_ENTRY,
  MAX_METADATA_BYTES,
  type Manifest,
  indexSchema,
  manifestSchema,
  parseChunkEntryName,
} from './manifest.ts';
import { type ReadPlan, planRead } from './compatibility.ts';
import { type Row, tenantTableRules } from './row-validator.ts';
import type { TableDef } from './table-defs.ts';

/** Receives the archive's tables in load order, and either every valid row (verify) or its COPY text. */
export interface RowSink {
  startTable?(table: TableDef): Promise<void> | void;
  /** Each valid row, already upgraded to this code's schema (read on the calling thread). */
  row?(table: TableDef, row: Row, line: number): void;
  /** A batch of valid rows as COPY text (when the stage encodes them: a restore). */
  rows?(table: TableDef, batch: BatchOutcome): Promise<void> | void;
  endTable?(table: TableDef): Promise<void> | void;
}

export interface WalkResult {
  tables: Record<string, { rows: number; bytes: number }>;
}

interface Stats {
  rows: number;
  bytes: number;
  sha256: string;
}

interface SeenEntry {
  name: string;
  table: string;
  chunk: number;
  rows: number;
  bytes: number;
  sha256: string;
}

/** Batches of lines handed to the line stage and not yet taken back: a few MB at most. */
const MAX_IN_FLIGHT = 8;

/**
 * An archive whose manifest has been read and judged readable; `readTables` then streams the rest.
 * Shared by restore and verify, so both check exactly the same things.
 */
export class OpenedArchive {
  private readonly issues: BackupIssue[] = [];
  private readonly inFlight: { entry: SeenEntry; outcome: BatchOutcome | Promise<BatchOutcome> }[] = [];
  private current: TableState | null = null;
  private sink: RowSink = {};
  /** Set once taking an outcome back failed (a row problem too many, the sink): no more draining. */
  private takeFailed = false;
  /** Set while draining after the reading failed: outcomes are counted, no longer loaded. */
  private failing = false;

  private constructor(
    private readonly reader: ArchiveReader,
    private readonly limits: ArchiveLimits,
    readonly manifest: Manifest,
    readonly plan: ReadPlan,
    private readonly manifestStats: { bytes: number; sha256: string },
  ) {}

  static async open(input: Readable, limits: Partial<ArchiveLimits> = {}): Promise<OpenedArchive> {
    const full = { ...DEFAULT_LIMITS, ...definedOnly(limits) };
    const reader = new ArchiveReader(input, full);
    try {
      const first = await reader.next();
      if (!first) throw invalid('the archive is empty');
      if (first.name !== MANIFEST_ENTRY) {
        throw invalid(`the first entry is "${first.name}"; an archive starts with ${MANIFEST_ENTRY}`);
      }
      const { text, stats } = await readSmallEntry(first);
      const manifest = parseMetadata(text, MANIFEST_ENTRY, manifestSchema);
      const plan = planRead(manifest);
      return new OpenedArchive(reader, full, manifest, plan, stats);
    } catch (error) {
      reader.abandon();
      throw error;
    }
  }

  abandon(): void {
    this.reader.abandon();
  }

  /**
   * Reads every table entry and the index, checking names, order, lines, rows and hashes; throws a
   * BackupError listing every problem. Rows reach the sink only while no problem has been found.
   * The lines are read by `stage` (by default on this thread, handing rows to `sink.row`); the stage
   * is closed when the reading ends, however it ends.
   */
  async readTables(sink: RowSink, stage?: LineStage): Promise<WalkResult> {
    this.sink = sink;
    const lines =
      stage ?? new LocalLineStage(new LineWork(this.plan, tenantTableRules(), null, sink.row?.bind(sink)));
    try {
      return await this.walk(lines);
    } catch (error) {
      this.reader.abandon();
      if (error instanceof BackupError && error.code === 'INVALID_ARCHIVE' && this.issues.length > 0) {
        // Row problems found before the one that stopped the reading come first, in archive order,
        // and the message sums up that same list.
        const earlier = this.issues.filter((i) => !error.errors.includes(i));
        const all = [...earlier, ...error.errors];
        throw invalidArchive(all.slice(0, MAX_ISSUES), all.length >= MAX_ISSUES);
      }
      throw error;
    } finally {
      await lines.close();
    }
  }

  private async walk(stage: LineStage): Promise<WalkResult> {
    try {
      return await this.walkEntries(stage);
    } catch (error) {
      if (this.takeFailed) throw error;
      // The reading failed (a cut gzip stream, a line too long, an entry out of order…) while
      // batches read before that point may still be in the stage: their problems come first, as if
      // every line had been read one after the other, and a line-level problem gets its number.
      this.failing = true;
      await this.drain();
      if (error instanceof LineCutError) {
        throw invalid(error.message, { table: this.current?.source.name, line: this.current!.lines + 1 });
      }
      throw error;
    }
  }

  private async walkEntries(stage: LineStage): Promise<WalkResult> {
    const sourceTables = this.plan.sourceTables;
    const targetTables = new Map(this.plan.targetTables.map((t) => [t.name, t]));
    const seen: SeenEntry[] = [];
    const seenNames = new Set<string>([MANIFEST_ENTRY]);
    const tableStats: Record<string, Stats> = {};
    let tableIndex = -1;
    let chunk = 0;

    const finishTable = async () => {
      const current = this.current;
      if (!current) return;
      await this.drain();
      tableStats[current.source.name] = {
        rows: current.lines,
        bytes: current.bytes,
        sha256: current.hash.digest('hex'),
      };
      if (this.issues.length === 0) await this.sink.endTable?.(current.target);
      this.current = null;
    };

    for (;;) {
      const entry = await this.reader.next();
      if (!entry) throw invalid(`the archive ends without ${INDEX_ENTRY}: it is incomplete`);
      if (seenNames.has(entry.name)) throw invalid(`duplicate entry "${entry.name}"`);
      seenNames.add(entry.name);

      if (entry.name === INDEX_ENTRY) {
        if (tableIndex < sourceTables.length - 1) {
          const missing = sourceTables[tableIndex + 1]!.name;
          throw invalid(`entry "${missing}.ndjson" is missing`, { table: missing });
        }
        await finishTable();
        const { text } = await readSmallEntry(entry);
        const index = parseMetadata(text, INDEX_ENTRY, indexSchema);
        if (await this.reader.next()) throw invalid(`an entry follows ${INDEX_ENTRY}, which must be last`);
        this.compareIndex(index, seen, tableStats);
        if (this.issues.length > 0) {
          throw invalidArchive(this.issues);
        }
        return {
          tables: Object.fromEntries(
            Object.entries(tableStats).map(([name, s]) => [name, { rows: s.rows, bytes: s.bytes }]),
          ),
        };
      }

      const parsed = parseChunkEntryName(entry.name);
      const expectedNext = sourceTables[tableIndex + 1];
      const current = this.current;
      if (parsed && current && parsed.table === current.source.name && parsed.chunk === chunk + 1) {
        chunk += 1;
      } else if (parsed && expectedNext && parsed.table === expectedNext.name && parsed.chunk === 1) {
        await finishTable();
        tableIndex += 1;
        chunk = 1;
        const target = targetTables.get(expectedNext.name);
        if (!target) throw new Error(`no target definition for ${expectedNext.name}`);
        this.current = {
          source: expectedNext,
          target,
          splitter: new LineSplitter(this.limits.maxLineBytes),
          hash: createHash('sha256'),
          lines: 0,
          bytes: 0,
        };
        stage.startTable(tableIndex);
        if (this.issues.length === 0) await this.sink.startTable?.(target);
      } else if (parsed && sourceTables.some((t) => t.name === parsed.table)) {
        const expected = current
          ? `"${current.source.name}.${chunk + 1}.ndjson" or "${expectedNext ? `${expectedNext.name}.ndjson` : INDEX_ENTRY}"`
          : `"${sourceTables[0]!.name}.ndjson"`;
        throw invalid(`entry "${entry.name}" is out of order or a chunk is missing: expected ${expected}`, {
          table: parsed.table,
        });
      } else {
        throw invalid(`unknown entry "${entry.name}": not a table of this archive`);
      }
      const table = this.current!;
      const seenEntry: SeenEntry = {
        name: entry.name,
        table: table.source.name,
        chunk,
        rows: 0,
        bytes: 0,
        sha256: '',
      };
      seen.push(seenEntry);
      await this.readChunk(entry, table, seenEntry, stage);
    }
  }

  private async readChunk(
    entry: ArchiveEntry,
    table: TableState,
    seen: SeenEntry,
    stage: LineStage,
  ): Promise<void> {
    const hash = createHash('sha256');
    const batches: Buffer[] = [];
    const emit = (batch: Buffer) => batches.push(batch);
    for await (const chunk of entry.body) {
      hash.update(chunk);
      table.hash.update(chunk);
      seen.bytes += chunk.length;
      table.bytes += chunk.length;
      let cut: unknown = null;
      try {
        table.splitter.push(chunk, emit);
      } catch (error) {
        cut = error;
      }
      for (const batch of batches) await this.send(stage, batch, seen);
      batches.length = 0;
      if (cut) throw cut;
    }
    table.splitter.endOfEntry(entry.name);
    seen.sha256 = hash.digest('hex');
  }

  /** Hands a batch to the stage, taking outcomes back in order once MAX_IN_FLIGHT are out. */
  private async send(stage: LineStage, batch: Buffer, entry: SeenEntry): Promise<void> {
    this.inFlight.push({ entry, outcome: stage.push(batch) });
    while (this.inFlight.length > MAX_IN_FLIGHT) await this.takeOldest();
  }

  /** Takes every outcome still out back, in order. */
  private async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.takeOldest();
  }

  private async takeOldest(): Promise<void> {
    const { entry, outcome: pending } = this.inFlight.shift()!;
    try {
      const outcome = pending instanceof Promise ? await pending : pending;
      this.report(outcome.issues);
      entry.rows += outcome.lines;
      this.current!.lines += outcome.lines;
      if (outcome.rows > 0 && !this.failing && this.issues.length === 0) {
        await this.sink.rows?.(this.current!.target, outcome);
      }
    } catch (error) {
      this.takeFailed = true;
      this.inFlight.length = 0;
      throw error;
    }
  }

  private report(problems: BackupIssue[]): void {
    if (problems.length === 0) return;
    this.issues.push(...problems);
    if (this.issues.length >= MAX_ISSUES) {
      this.issues.length = MAX_ISSUES;
      throw invalidArchive(this.issues, true);
    }
  }

  private compareIndex(index: ArchiveIndex, seen: SeenEntry[], tables: Record<string, Stats>): void {
    const at = { table: INDEX_ENTRY };
    const same = (a: { rows?: number; bytes: number; sha256: string }, b: typeof a) =>
      a.bytes === b.bytes && a.sha256 === b.sha256 && (a.rows === undefined || a.rows === b.rows);
    if (!same(index.manifest, this.manifestStats)) {
      this.issues.push(issue(`${MANIFEST_ENTRY} does not match its size or SHA-256 in ${INDEX_ENTRY}`, at));
    }
    const listed = index.entries.map((e) => e.name).join(',');
    if (listed !== seen.map((e) => e.name).join(',')) {
      this.issues.push(
        issue(
          `${INDEX_ENTRY} lists entries [${listed}] but the archive holds [${seen.map((e) => e.name).join(',')}]`,
          at,
        ),
      );
      return;
    }
    index.entries.forEach((expected, i) => {
      const actual = seen[i]!;
      const problems: string[] = [];
      if (expected.rows !== actual.rows) problems.push(`${actual.rows} rows, index says ${expected.rows}`);
      if (expected.bytes !== actual.bytes)
        problems.push(`${actual.bytes} bytes, index says ${expected.bytes}`);
      if (expected.sha256 !== actual.sha256)
        problems.push('SHA-256 differs from the index: the entry was altered');
      if (problems.length > 0) {
        this.issues.push(issue(`entry ${actual.name}: ${problems.join('; ')}`, { table: actual.table }));
      }
    });
    for (const [name, actual] of Object.entries(tables)) {
      const expected = index.tables[name];
      if (!expected || !same(expected, actual)) {
        this.issues.push(
          issue(
            `table ${name}: ${actual.rows} rows / ${actual.bytes} bytes, index says ${expected ? `${expected.rows} rows / ${expected.bytes} bytes` : 'nothing'}${expected && expected.sha256 !== actual.sha256 ? ' (SHA-256 differs)' : ''}`,
            { table: name },
          ),
        );
      }
    }
    for (const name of Object.keys(index.tables)) {
      if (!(name in tables))
        this.issues.push(issue(`${INDEX_ENTRY} names table ${name}, which the archive lacks`, at));
    }
  }
}

interface TableState {
  source: TableDef;
  target: TableDef;
  splitter: LineSplitter;
  hash: ReturnType<typeof createHash>;
  /** Lines of the table read so far (taken back from the stage). */
  lines: number;
  bytes: number;
}

async function readSmallEntry(
  entry: ArchiveEntry,
): Promise<{ text: string; stats: { bytes: number; sha256: string } }> {
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of entry.body) {
    bytes += chunk.length;
    if (bytes > MAX_METADATA_BYTES) throw invalid(`${entry.name} is larger than ${MAX_METADATA_BYTES} bytes`);
    parts.push(chunk);
  }
  const body = Buffer.concat(parts, bytes);
  if (!isUtf8(body)) throw invalid(`${entry.name} is not valid UTF-8`, { table: entry.name });
  return {
    text: body.toString('utf8'),
    stats: { bytes, sha256: createHash('sha256').update(body).digest('hex') },
  };
}

function parseMetadata<T>(
  text: string,
  name: string,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(`${name} is not valid JSON (${(error as Error).message})`, { table: name });
  }
  if (name === MANIFEST_ENTRY && typeof value === 'object' && value !== null) {
    const v = value as { format?: unknown; formatVersion?: unknown };
    if (v.format !== 'hisaabo-export')
      throw invalid(`${name}: format is ${JSON.stringify(v.format)}, not "hisaabo-export"`, { table: name });
    // Before the schema: a newer format may be shaped differently, and is named as newer, not malformed.
    if (typeof v.formatVersion === 'number' && v.formatVersion !== FORMAT_VERSION) {
      throw new BackupError(
        'INCOMPATIBLE_VERSION',
        `the archive is in format version ${v.formatVersion}; this server reads format version ${FORMAT_VERSION}`,
      );
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = result.error.issues.map((i) =>
      issue(`${name}: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`, {
        table: name,
        column: i.path.map(String).join('.') || null,
      }),
    );
    throw new BackupError('INVALID_ARCHIVE', errors[0]!.message, errors);
  }
  return result.data;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
