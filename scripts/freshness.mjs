// @ts-check
// The one staleness check of the builds (the web app and the server bundle): a build is fresh when it
// exists and nothing under its sources changed after it began. Directories count too, so a file added
// or removed (a new worker, say) makes the build stale as an edited one does.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The server, CLI, bench-step and worker bundle (`npm run build`), one flat directory. */
export const SERVER_BUILD = {
  /** Output name → source (worker threads are found by scripts/bundle.mjs). */
  entries: {
    server: 'packages/server/src/main.ts',
    hisaabo: 'packages/cli/src/main.ts',
    'bench-steps': 'bench/steps.ts',
  },
  /** Written last by a build, dated when the build began (see scripts/bundle.mjs). */
  marker: join(ROOT, 'dist', 'build.json'),
  sources: [
    ...workspaceDirs().flatMap((dir) => [join(dir, 'src'), join(dir, 'package.json')]),
    join(ROOT, 'bench', 'steps.ts'),
    join(ROOT, 'bench', 'lib'),
    join(ROOT, 'scripts', 'bundle.mjs'),
    join(ROOT, 'scripts', 'freshness.mjs'),
  ],
};

/** The web app (Vite), served by the server at `/`. */
export const WEB_BUILD = {
  marker: join(ROOT, 'apps', 'web', 'dist', 'index.html'),
  sources: [
    ...['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(ROOT, 'apps', 'web', name)),
    // The one server module the web app bundles (the rest it takes as types only).
    join(ROOT, 'packages', 'server', 'src', 'error-codes.ts'),
  ],
};

function workspaceDirs() {
  const packages = join(ROOT, 'packages');
  return readdirSync(packages).map((name) => join(packages, name));
}

/**
 * The latest modification time (ms) of a file, or of a directory and everything in it.
 * @param {string} path
 * @returns {number}
 */
export function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/**
 * True when the build's marker exists and no source changed after it.
 * @param {{ marker: string, sources: string[] }} build
 */
export function isFresh(build) {
  if (!existsSync(build.marker)) return false;
  const builtAt = statSync(build.marker).mtimeMs;
  return build.sources.every((path) => !existsSync(path) || newestChange(path) <= builtAt);
}

/**
 * Whether the `hisaabo` command runs compiled: when the bundle is fresh, unless
 * HISAABO_FROM_SOURCES=1 asks for the sources (the tests do, to test what is in the tree).
 * @param {NodeJS.ProcessEnv} env
 */
export function runCompiled(env = process.env) {
  return env.HISAABO_FROM_SOURCES !== '1' && isFresh(SERVER_BUILD);
}
