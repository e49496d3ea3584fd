import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the thread whose code is `<name>.worker.ts` (from sources) or `<name>.worker.js` (from a
 * compiled build) in the directory of the calling module: pass the caller's `import.meta.url`.
 *
 * From sources the TypeScript is loaded through tsx, resolved from the caller's own location so it
 * works from any working directory. The worker registers tsx itself, first thing: a parent started
 * with `--import tsx` does not hand its loader to a worker (Node 20), and `--import` in a worker's
 * `execArgv` is not honoured reliably either. A compiled build ships `<name>.worker.js` beside the
 * bundle that holds the caller, and needs nothing of the kind.
 */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not a worker name: ${name}`);
  if (!callerUrl.endsWith('.ts')) {
    return new Worker(new URL(`./${name}.worker.js`, callerUrl), options);
  }
  const script = new URL(`./${name}.worker.ts`, callerUrl).href;
  const tsxApi = pathToFileURL(tsxEsmApi(callerUrl)).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(script)}); });`;
  // The parent's execArgv (say `--import tsx`) would run in the worker too, before the bootstrap.
  return new Worker(bootstrap, { ...options, eval: true, execArgv: options.execArgv ?? [] });
}

/** tsx's ESM API module (its ESM build: a worker's eval code resolves packages as CommonJS). */
function tsxEsmApi(callerUrl: string): string {
  const resolved = createRequire(callerUrl).resolve('tsx/esm/api');
  return resolved.replace(/\.cjs$/, '.mjs');
}
