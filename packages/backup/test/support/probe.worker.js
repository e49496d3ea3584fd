import { parentPort, workerData } from 'node:worker_threads';

// The compiled twin of probe.worker.ts, for worker-script's test of a build's `.worker.js`.
parentPort?.postMessage({ from: 'js', given: workerData, execArgv: process.execArgv });
