// Builds the web app when apps/web/dist is missing or older than its sources, so `npm start` (and the
// browser tests) always serve the current app without rebuilding on every start.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtIndex = join(webDir, 'dist', 'index.html');
const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((name) => join(webDir, name));

function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const changedAt = Math.max(...sources.filter((path) => existsSync(path)).map(newestChange));
if (builtAt < changedAt) {
  console.log(builtAt === 0 ? 'Building the web app…' : 'The web app changed; rebuilding…');
  const vite = join(webDir, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    execFileSync(
      process.execPath,
      [vite, 'build', '--config', join(webDir, 'vite.config.ts'), '--logLevel', 'warn'],
      {
        stdio: 'inherit',
        // Test runners set NODE_ENV=test, which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  } catch {
    console.error('The web app did not build (see above).');
    process.exit(1);
  }
}
