import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../../scripts/build.mjs', import.meta.url));
const lockDir = fileURLToPath(new URL('../../.build-lock', import.meta.url));

/**
 * Builds apps/web/dist if it is missing or older than the sources (the server serves it). Test
 * files run in parallel processes, so a lock directory keeps two builds from writing dist at once.
 */
export async function ensureWebBuilt(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock older than the longest build was left by a killed run.
      const lock = statSync(lockDir, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 180_000) rmdirSync(lockDir);
      if (Date.now() > deadline) throw new Error('Timed out waiting for another web build');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    execFileSync(process.execPath, [script, 'web', '--if-stale'], { stdio: 'inherit' });
  } finally {
    rmdirSync(lockDir);
  }
}
