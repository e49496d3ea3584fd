import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker-script.ts';

// startWorker finds `<name>.worker.ts` (sources, through tsx) or `<name>.worker.js` (a build) beside
// the calling module. The probe workers live in test/support: the "caller" is a module there.
const fromSources = new URL('./support/caller.ts', import.meta.url).href;
const fromBuild = new URL('./support/caller.js', import.meta.url).href;

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.terminate()));
});

async function firstMessage(worker: Worker): Promise<unknown> {
  started.push(worker);
  const [message] = await once(worker, 'message');
  return message;
}

describe('startWorker', () => {
  it('runs the TypeScript worker beside a source module, with its data and no inherited options', async () => {
    const worker = startWorker(fromSources, 'probe', { workerData: { n: 21 } });
    expect(await firstMessage(worker)).toEqual({ from: 'ts', given: { n: 21 }, execArgv: [] });
  });

  it('passes the Node options it is given to the worker', async () => {
    const worker = startWorker(fromSources, 'probe', { workerData: 1, execArgv: ['--no-warnings'] });
    expect(await firstMessage(worker)).toEqual({ from: 'ts', given: 1, execArgv: ['--no-warnings'] });
  });

  it('runs the compiled worker beside a built module', async () => {
    const worker = startWorker(fromBuild, 'probe', { workerData: 'hi' });
    expect(await firstMessage(worker)).toMatchObject({ from: 'js', given: 'hi' });
  });

  it('refuses a name that is not a plain word, before starting anything', () => {
    for (const name of ['../probe', 'probe/../probe', 'Probe', 'pro.be', '']) {
      expect(() => startWorker(fromSources, name)).toThrow(`not a worker name: ${name}`);
    }
  });
});
