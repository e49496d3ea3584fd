import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Workspace,
  codeFiles,
  exportKeyOf,
  importsOf,
  isExported,
  isShipped,
  lineCount,
  packageOf,
} from './workspace.ts';

/**
 * The layers, lowest first. A package may import only packages of a lower layer: db < domain and
 * backup (side by side, neither imports the other) < server < cli and the web app.
 */
export const LAYERS: Record<string, number> = {
  '@hisaabo/db': 0,
  '@hisaabo/domain': 1,
  '@hisaabo/backup': 1,
  '@hisaabo/server': 2,
  '@hisaabo/cli': 3,
  '@hisaabo/web': 3,
};

export const MAX_SOURCE_LINES = 500;

/**
 * The fast tier (*.unit.test.ts) runs without a database, a server or a browser: these imports, which
 * bring one of them (or a child process), are not for it.
 */
const NOT_FOR_UNIT_TESTS = [
  '@hisaabo/db/testing',
  '@hisaabo/server',
  'playwright-core',
  'node:child_process',
  'child_process',
  'pg',
  '@electric-sql/pglite',
];

/** The repository's rules for one set of workspaces; returns one sentence per broken rule. */
export function checkBoundaries(
  root: string,
  workspaces: Workspace[],
  sharedTooling: Record<string, string>,
) {
  const problems = new Set<string>();
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const owner = (file: string) => workspaces.find((w) => file.startsWith(`${w.dir}/`));

  for (const workspace of workspaces) {
    const layer = LAYERS[workspace.name];
    if (layer === undefined) problems.add(`${workspace.name} has no layer in LAYERS`);
    for (const file of codeFiles(root, workspace.dir)) {
      const text = readFileSync(path.join(root, file), 'utf8');
      const shipped = isShipped(workspace.dir, file);
      if (shipped && lineCount(text) > MAX_SOURCE_LINES) {
        problems.add(`${file} has ${lineCount(text)} lines (at most ${MAX_SOURCE_LINES})`);
      }
      for (const specifier of importsOf(text)) {
        if (
          file.endsWith('.unit.test.ts') &&
          (NOT_FOR_UNIT_TESTS.includes(specifier) || /test\/support\//.test(specifier))
        ) {
          problems.add(`${file} is a fast-tier test but imports ${specifier}`);
        }
        let target: Workspace | undefined;
        if (specifier.startsWith('.')) {
          // A relative path into another workspace is an import of that workspace.
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          target = owner(resolved);
          if (target === workspace) continue;
          if (target && shipped) {
            problems.add(`${file} reaches into ${target.dir} by a relative path: import ${target.name}`);
          }
        } else {
          const name = packageOf(specifier);
          if (!name) continue;
          target = byName.get(name);
          if (name !== workspace.name) {
            const declared = shipped
              ? workspace.dependencies
              : { ...workspace.dependencies, ...workspace.devDependencies, ...sharedTooling };
            if (!(name in declared)) {
              problems.add(
                `${file} imports ${name}, not in ${workspace.dir}/package.json ${shipped ? 'dependencies' : 'dependencies or devDependencies'}`,
              );
            }
          }
          if (target && !isExported(target.exports, exportKeyOf(specifier, name))) {
            problems.add(`${file} imports ${specifier}, which ${name} does not export`);
          }
        }
        if (!target || target === workspace || !shipped || layer === undefined) continue;
        const targetLayer = LAYERS[target.name];
        if (targetLayer === undefined || targetLayer >= layer) {
          problems.add(`${file} (${workspace.name}) imports ${target.name}, which is not in a lower layer`);
        }
      }
    }
  }
  return [...problems];
}
