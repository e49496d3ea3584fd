import { parentPort, workerData } from 'node:worker_threads';

// A worker for worker-script's tests: its TypeScript only runs if the loader was registered. It
// answers with what it was given and the Node options it runs with.
const given: unknown = workerData;
parentPort?.postMessage({ from: 'ts', given, execArgv: process.execArgv });
