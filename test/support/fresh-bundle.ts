import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds the server bundle (dist/) when it is missing or older than the sources,
 * as `npm start` does. The `hisaabo` commands the tests start then run it instead of compiling every
 * TypeScript source through tsx in each child process (about a third of the CPU per command). The
 * bundle is made from the tree being tested; a source saved during the run makes it stale, and
 * bin/hisaabo.js then runs the sources.
 */
export default function setup(): void {
  const build = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [build, 'server', '--if-stale'], { stdio: 'inherit' });
}
