import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** A workspace package, as its package.json declares it. */
export interface Workspace {
  /** Folder relative to the repository root, e.g. `packages/db`. */
  dir: string;
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  exports: Record<string, string>;
}

/** One import of one file: the specifier as written and whether it is production code. */
export interface SourceImport {
  /** Path relative to the repository root. */
  file: string;
  specifier: string;
  /** Under src/ or bin/: shipped code, held to the layer rule and to `dependencies`. */
  shipped: boolean;
}

const CODE = /\.(ts|tsx|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', 'drizzle', 'fixtures']);
// Static imports and re-exports (`from '…'`), bare imports (`import '…'`), dynamic imports,
// require() and import.meta.resolve().
const IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bimport\.meta\.resolve\s*\(\s*)(['"])([^'"\n]+)\1/g;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function readWorkspaces(root: string): Workspace[] {
  const { workspaces } = readJson<{ workspaces: string[] }>(path.join(root, 'package.json'));
  return workspaces.map((dir) => {
    const manifest = readJson<Partial<Workspace> & { exports?: Record<string, string> | string }>(
      path.join(root, dir, 'package.json'),
    );
    const exports =
      typeof manifest.exports === 'string' ? { '.': manifest.exports } : (manifest.exports ?? {});
    return {
      dir,
      name: manifest.name ?? dir,
      dependencies: manifest.dependencies ?? {},
      devDependencies: manifest.devDependencies ?? {},
      exports,
    };
  });
}

/** Every code file of a workspace (sources, tests, configs), relative to the root. */
export function codeFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(child);
      } else if (CODE.test(entry.name)) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}

export function isShipped(workspaceDir: string, file: string): boolean {
  const inner = file.slice(workspaceDir.length + 1);
  return inner.startsWith('src/') || inner.startsWith('bin/');
}

export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[2]!);
}

/** The package a bare specifier names (`@scope/name` or `name`), or null for a relative or builtin one. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? null : name;
}

/** The subpath of a package specifier as an `exports` key: `.` or `./x`. */
export function exportKeyOf(specifier: string, name: string): string {
  return specifier === name ? '.' : `.${specifier.slice(name.length)}`;
}

/** Whether `key` is served by the exports map (exact entries and `./dir/*` patterns). */
export function isExported(exports: Record<string, string>, key: string): boolean {
  if (key in exports) return true;
  return Object.keys(exports).some((pattern) => {
    const star = pattern.indexOf('*');
    return star >= 0 && key.startsWith(pattern.slice(0, star)) && key.endsWith(pattern.slice(star + 1));
  });
}

export function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}
