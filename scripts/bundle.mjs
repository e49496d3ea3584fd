// @ts-check
// The server bundle: esbuild compiles the server, the `hisaabo` command, the bench's step processes and
// every worker thread into one flat directory of plain JavaScript, so production processes run with
// plain `node` (no TypeScript loader: no second V8 isolate for its hooks, no compiling at start).
// Workspace packages are bundled; npm packages stay imports, resolved from node_modules at run time.
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';

/** A worker thread's source: `packages/<pkg>/src/**\/<name>.worker.ts`, emitted as `<name>.worker.js`. */
const WORKER = /\.worker\.ts$/;

/**
 * Every worker source under `packages/*\/src`, by output name. Workers are started with
 * `startWorker(import.meta.url, name)`, which, in compiled code, loads `<name>.worker.js` from the
 * caller's directory: the output is flat, so that is this directory whatever folder either came from.
 * @param {string} root
 * @returns {Record<string, string>}
 */
export function workerEntries(root) {
  /** @type {Record<string, string>} */
  const entries = {};
  const walk = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (WORKER.test(entry.name)) {
        const name = basename(entry.name, '.ts');
        if (entries[name]) throw new Error(`two workers named ${name}: ${entries[name]} and ${path}`);
        entries[name] = path;
      }
    }
  };
  const packages = join(root, 'packages');
  for (const pkg of readdirSync(packages, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    const src = join(packages, pkg.name, 'src');
    try {
      walk(src);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
    }
  }
  return entries;
}

/**
 * npm packages stay external (imported from node_modules at run time); workspace packages
 * (`@hisaabo/*`) and relative imports are bundled.
 * @type {import('esbuild').Plugin}
 */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@hisaabo/') ? undefined : { path: args.path, external: true },
    );
  },
};

const FILE_URL = /new URL\((['"])(\.\.?\/[^'"]*)\1,\s*import\.meta\.url\)/g;

/**
 * A source that reads a file of the checkout by `new URL('../…', import.meta.url)` (package.json for
 * the version, the migrations, the built web app) would look for it next to the bundle instead. This
 * rewrites the relative path so it names the same file from the output directory. Paths that stay
 * inside a package's `src/` are left alone: compiled, those mean files next to the bundle.
 * @param {string} outdir
 * @returns {import('esbuild').Plugin}
 */
function checkoutFileUrls(outdir) {
  return {
    name: 'checkout-file-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const srcDir = srcDirOf(args.path);
        const contents = source.replace(FILE_URL, (whole, quote, path) => {
          const target = resolve(dirname(args.path), path);
          if (srcDir && (target === srcDir || target.startsWith(`${srcDir}${sep}`))) return whole;
          const fromOut = relative(outdir, target).split(sep).join('/');
          return `new URL(${quote}${fromOut.startsWith('.') ? '' : './'}${fromOut}${quote}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** The `src` directory a source file is in (the nearest one above it), or null. */
function srcDirOf(/** @type {string} */ file) {
  const parts = file.split(sep);
  const at = parts.lastIndexOf('src');
  return at > 0 ? parts.slice(0, at + 1).join(sep) : null;
}

/**
 * Bundles `entries` (output name → source) and every worker of `root` into `outdir`, removes what an
 * earlier build left there, and writes `build.json` last, dated when the build began, so a source
 * saved while it ran makes it stale at once.
 * @param {{ root: string, outdir: string, entries: Record<string, string> }} options
 */
export async function bundle({ root, outdir, entries }) {
  const began = new Date();
  const workers = workerEntries(root);
  const entryPoints = { ...entries, ...workers };
  const result = await build({
    entryPoints,
    absWorkingDir: root,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Code shared by the entries is loaded once, and the CLI's lazy imports stay lazy.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [externalNpmPackages, checkoutFileUrls(resolve(root, outdir))],
  });
  const outputs = new Set(Object.keys(result.metafile.outputs).map((file) => resolve(root, file)));
  const absOut = resolve(root, outdir);
  for (const file of readdirSync(absOut)) {
    const path = join(absOut, file);
    if (!outputs.has(path) && file !== 'package.json') rmSync(path, { recursive: true, force: true });
  }
  mkdirSync(absOut, { recursive: true });
  // The output is ES modules wherever it is put.
  writeFileSync(join(absOut, 'package.json'), '{ "type": "module" }\n');
  const marker = join(absOut, 'build.json');
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
  writeFileSync(
    marker,
    `${JSON.stringify({ began: began.toISOString(), entries: Object.keys(entryPoints), inputs }, null, 2)}\n`,
  );
  utimesSync(marker, began, began);
  return { entries: Object.keys(entryPoints), workers: Object.keys(workers) };
}
