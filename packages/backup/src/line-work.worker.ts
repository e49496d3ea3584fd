import { parentPort, workerData } from 'node:worker_threads';
import { planRead } from './compatibility.ts';
import { type EncodeOptions, LineWork, type LineWorkState } from './line-work.ts';
import type { Manifest } from './manifest.ts';

// The restore's line worker: parses, validates, upgrades and encodes the batches of whole lines the
// reading thread transfers to it, and transfers their COPY text back, in order (line-stage.ts).

export interface LineWorkerData {
  /** The archive's manifest, already checked by the reading thread (the plan is made again here). */
  manifest: Manifest;
  encode: EncodeOptions;
}

export type ToLineWorker =
  | { kind: 'resume'; state: LineWorkState }
  | { kind: 'table'; index: number }
  | { kind: 'lines'; batch: Uint8Array };

const port = parentPort;
if (port) {
  const data = workerData as LineWorkerData;
  const work = new LineWork(planRead(data.manifest), data.encode);
  port.on('message', (message: ToLineWorker) => {
    if (message.kind === 'resume') work.resume(message.state);
    else if (message.kind === 'table') work.startTable(message.index);
    else {
      const outcome = work.process(message.batch);
      port.postMessage(
        { kind: 'outcome', outcome },
        outcome.copy ? [outcome.copy.buffer as ArrayBuffer] : [],
      );
    }
  });
  port.postMessage({ kind: 'ready' });
}
