import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../errors.ts';

/** How to start the server: node's arguments before the server's own. */
export interface ServerCommand {
  nodeArgs: string[];
  entry: string;
}

/**
 * The server as this command line runs: compiled (this code is the bundle in dist/, whose
 * `server.js` was built beside it, from the same sources) or from the TypeScript sources through tsx.
 * Compiled, source maps are not turned on (`--enable-source-maps` costs 5 to 30 MB of memory, the
 * embedded database's own maps included); NODE_OPTIONS=--enable-source-maps turns them on.
 */
export function serverCommand(moduleUrl: string = import.meta.url): ServerCommand {
  if (moduleUrl.endsWith('.js')) {
    const entry = path.join(path.dirname(fileURLToPath(moduleUrl)), 'server.js');
    if (!existsSync(entry))
      throw new CliError('server_error', `the server's entry point ${entry} is missing`);
    return { nodeArgs: [], entry };
  }
  // tsx is resolved from here, not from the working directory, which may be anywhere.
  return { nodeArgs: ['--import', import.meta.resolve('tsx')], entry: sourceEntry() };
}

function sourceEntry(): string {
  let index: string;
  try {
    index = fileURLToPath(import.meta.resolve('@hisaabo/server'));
  } catch {
    throw new CliError('server_error', 'the Hisaabo server is not installed next to this command line', {
      hint: 'run it from a checkout of the project (npm install, then npx hisaabo serve) or use `npm start` there',
    });
  }
  const main = index.replace(/index\.ts$/, 'main.ts');
  if (!existsSync(main)) throw new CliError('server_error', `the server's entry point ${main} is missing`);
  return main;
}
