// @ts-check
// `npm run build`: the web app (Vite, apps/web/dist) and the server bundle (esbuild, dist/).
//   node scripts/build.mjs [web] [server] [--if-stale]
// With no target, both. With --if-stale (what `npm start` runs first), only a build that is missing or
// older than its sources is made, so a start rebuilds nothing when nothing changed.
import { execFileSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, SERVER_BUILD, WEB_BUILD, isFresh } from './freshness.mjs';

function buildWeb() {
  const began = new Date();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', join(ROOT, 'apps', 'web', 'vite.config.ts'), '--logLevel', 'warn'],
    // Test runners set NODE_ENV=test, which would make Vite bundle React's development build.
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  // Dated when the build began: a source saved while it ran makes it stale at once.
  utimesSync(WEB_BUILD.marker, began, began);
}

async function buildServer() {
  // Loaded here: a start with fresh builds does not load esbuild at all.
  const { bundle } = await import('./bundle.mjs');
  const { workers } = await bundle({ root: ROOT, outdir: 'dist', entries: SERVER_BUILD.entries });
  if (workers.length) console.log(`Workers: ${workers.map((name) => `${name}.js`).join(', ')}`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'if-stale': { type: 'boolean', default: false } },
});
const targets = positionals.length ? positionals : ['web', 'server'];
for (const target of targets) {
  if (target !== 'web' && target !== 'server') {
    console.error(`unknown build ${target}: web or server`);
    process.exit(2);
  }
  const spec = target === 'web' ? WEB_BUILD : SERVER_BUILD;
  if (values['if-stale'] && isFresh(spec)) continue;
  console.log(`Building the ${target === 'web' ? 'web app' : 'server'}…`);
  try {
    if (target === 'web') buildWeb();
    else await buildServer();
  } catch (error) {
    console.error(
      `The ${target === 'web' ? 'web app' : 'server'} did not build: ${/** @type {Error} */ (error).message}`,
    );
    process.exit(1);
  }
}
