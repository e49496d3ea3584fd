import type { Worker } from 'node:worker_threads';
import { type BatchOutcome, type EncodeOptions, LineWork, type LineWorkState } from './line-work.ts';
import type { LineWorkerData, ToLineWorker } from './line-work.worker.ts';
import type { ReadPlan } from './compatibility.ts';
import { tenantTableRules } from './row-validator.ts';
import { startWorker } from './worker-script.ts';

/**
 * Where the reader's batches of whole lines are read: on the reading thread, or in a worker thread
 * while the reading thread goes on gunzipping, hashing and loading. Outcomes come back in order.
 */
export interface LineStage {
  startTable(index: number): void;
  push(batch: Buffer): BatchOutcome | Promise<BatchOutcome>;
  /** Ends the stage (a worker is terminated); safe to call more than once. */
  close(): Promise<void>;
}

/** A batch is usually one gunzip piece (256 KiB) or less; its memory is reused at this size. */
const BATCH_BUFFER_BYTES = 256 * 1024;
/** Batch buffers kept for reuse: the batches in flight and a few more. */
const SPARE_BATCH_BUFFERS = 8;
/** The worker's young generation, MB (V8's default lets it grow to tens of MB). */
const WORKER_YOUNG_GENERATION_MB = 8;

/** The line work on the calling thread. */
export class LocalLineStage implements LineStage {
  constructor(private readonly work: LineWork) {}
  startTable(index: number): void {
    this.work.startTable(index);
  }
  push(batch: Buffer): BatchOutcome {
    return this.work.process(batch);
  }
  async close(): Promise<void> {}
}

/** Reading thread talking to one line-work worker. */
class WorkerLineStage implements LineStage {
  private readonly waiting: { resolve(o: BatchOutcome): void; reject(e: unknown): void }[] = [];
  private failure: unknown = null;
  private closing = false;
  /** Memory of batches the worker is done with, filled again rather than left to the collector. */
  private readonly spare: ArrayBuffer[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: { kind: string; outcome?: BatchOutcome; spent?: Uint8Array }) => {
      if (message.kind !== 'outcome') return;
      if (this.spare.length < SPARE_BATCH_BUFFERS) this.spare.push(message.spent!.buffer as ArrayBuffer);
      this.waiting.shift()?.resolve(message.outcome!);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the restore's line worker stopped (exit code ${code})`));
    });
  }

  /** Starts the worker and resolves once it has loaded its code. */
  static start(data: LineWorkerData): Promise<WorkerLineStage> {
    const worker = startWorker(import.meta.url, 'line-work', {
      workerData: data,
      // Its garbage is all short-lived (a batch's rows): a small young generation holds it, and
      // keeps the thread's memory small.
      resourceLimits: {
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      },
    });
    return new Promise((resolve, reject) => {
      const ready = (message: { kind: string }) => {
        if (message.kind !== 'ready') return;
        worker.off('message', ready);
        worker.off('error', reject);
        resolve(new WorkerLineStage(worker));
      };
      worker.on('message', ready);
      worker.once('error', reject);
    });
  }

  resume(state: LineWorkState): void {
    this.post({ kind: 'resume', state });
  }

  startTable(index: number): void {
    this.post({ kind: 'table', index });
  }

  push(batch: Buffer): Promise<BatchOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    // Handed over, not copied again in the worker: the batch needs a memory block of its own.
    const own = this.ownCopy(batch);
    const outcome = new Promise<BatchOutcome>((resolve, reject) => this.waiting.push({ resolve, reject }));
    // A restore that failed elsewhere drops the outcomes it no longer waits for; the worker's end
    // then rejects them, which must not surface as an unhandled rejection.
    outcome.catch(() => {});
    this.worker.postMessage({ kind: 'lines', batch: own } satisfies ToLineWorker, [
      own.buffer as ArrayBuffer,
    ]);
    return outcome;
  }

  private ownCopy(batch: Uint8Array): Uint8Array {
    let memory = this.spare.pop();
    if (!memory || memory.byteLength < batch.byteLength) {
      memory = new ArrayBuffer(Math.max(batch.byteLength, BATCH_BUFFER_BYTES));
    }
    const own = new Uint8Array(memory, 0, batch.byteLength);
    own.set(batch);
    return own;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.worker.terminate();
    this.fail(new Error('the line worker was closed'));
  }

  private post(message: ToLineWorker): void {
    this.worker.postMessage(message);
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}

/**
 * A restore's stage: the first `workerAfterBytes` bytes of table lines are read on the calling
 * thread; past that a worker is started, and the work moves to it (between two batches, carrying
 * its line numbers and problem count) once it is ready. A small archive never pays for a thread.
 * `workerAfterBytes` 0 starts the worker before the first line and gives it every line.
 */
export class RestoreLineStage implements LineStage {
  private remote: WorkerLineStage | null = null;
  private ready: WorkerLineStage | null = null;
  private starting: Promise<void> | null = null;
  private startFailure: unknown = null;
  private bytes = 0;
  private closed = false;

  private constructor(
    private readonly local: LineWork,
    private readonly data: LineWorkerData,
    private readonly workerAfterBytes: number,
  ) {}

  static async create(
    plan: ReadPlan,
    encode: EncodeOptions,
    workerAfterBytes: number,
  ): Promise<RestoreLineStage> {
    const rules = tenantTableRules();
    const data: LineWorkerData = {
      sourceTables: plan.sourceTables,
      targetTables: plan.targetTables,
      upgrade: { from: plan.compatibility.sourceSchemaVersion, to: plan.compatibility.targetSchemaVersion },
      rules,
      encode,
    };
    const stage = new RestoreLineStage(new LineWork(plan, rules, encode), data, workerAfterBytes);
    if (workerAfterBytes <= 0) {
      stage.startWorker();
      await stage.starting;
      if (stage.startFailure) throw stage.startFailure;
    }
    return stage;
  }

  startTable(index: number): void {
    if (this.remote) this.remote.startTable(index);
    else this.local.startTable(index);
  }

  push(batch: Buffer): BatchOutcome | Promise<BatchOutcome> {
    if (this.remote) return this.remote.push(batch);
    if (this.startFailure) throw this.startFailure;
    if (this.ready) {
      this.remote = this.ready;
      this.remote.resume(this.local.state());
      return this.remote.push(batch);
    }
    this.bytes += batch.length;
    if (this.bytes >= this.workerAfterBytes) this.startWorker();
    return this.local.process(batch);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => {});
    await this.ready?.close();
  }

  private startWorker(): void {
    this.starting ??= WorkerLineStage.start(this.data).then(
      (worker) => {
        this.ready = worker;
        // Closed while it was starting: nobody will use it.
        if (this.closed) return worker.close();
      },
      (error: unknown) => {
        this.startFailure = error;
      },
    );
  }
}
