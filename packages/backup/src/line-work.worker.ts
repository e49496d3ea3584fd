import { parentPort, workerData } from 'node:worker_threads';
import { type EncodeOptions, LineWork, type LineWorkState } from './line-work.ts';
import type { TableRules } from './row-validator.ts';
import type { TableDef } from './table-defs.ts';
import { composeRowUpgrades, upgradePath } from './upgrades/index.ts';

// The restore's line worker: parses, validates, upgrades and encodes the batches of whole lines the
// reading thread transfers to it, and transfers their COPY text back, in order (line-stage.ts).

// Its imports are kept to the line work and the database package's value rules: what the schema
// says (enumerations, self-references) and the read plan come as data from the reading thread.

export interface LineWorkerData {
  sourceTables: TableDef[];
  targetTables: TableDef[];
  /** Schema versions of the archive and of this code: the row upgrades between them. */
  upgrade: { from: number; to: number };
  rules: TableRules;
  encode: EncodeOptions;
}

export type ToLineWorker =
  | { kind: 'resume'; state: LineWorkState }
  | { kind: 'table'; index: number }
  | { kind: 'lines'; batch: Uint8Array };

const port = parentPort;
if (port) {
  const data = workerData as LineWorkerData;
  const steps = upgradePath(data.upgrade.from, data.upgrade.to);
  if (!steps) throw new Error(`no upgrade path from schema ${data.upgrade.from} to ${data.upgrade.to}`);
  const plan = { ...data, upgradeRow: composeRowUpgrades(steps) };
  const work = new LineWork(plan, data.rules, data.encode);
  port.on('message', (message: ToLineWorker) => {
    if (message.kind === 'resume') work.resume(message.state);
    else if (message.kind === 'table') work.startTable(message.index);
    else if (message.kind === 'lines') {
      const outcome = work.process(message.batch);
      // The batch's memory goes back for the reading thread to fill again, with the COPY text.
      const transfer = [message.batch.buffer as ArrayBuffer];
      if (outcome.copy) transfer.push(outcome.copy.buffer as ArrayBuffer);
      port.postMessage({ kind: 'outcome', outcome, spent: message.batch }, transfer);
    } else throw new Error(`the line worker got a message it does not know: ${JSON.stringify(message)}`);
  });
  port.postMessage({ kind: 'ready' });
}
