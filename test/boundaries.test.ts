import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries } from './boundaries/checks.ts';
import { readWorkspaces } from './boundaries/workspace.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function rootDevDependencies(root: string): Record<string, string> {
  const { devDependencies = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  return devDependencies;
}

describe('package boundaries', () => {
  it('hold in this repository: declared imports, layers, public entries, files of at most 500 lines', () => {
    const problems = checkBoundaries(ROOT, readWorkspaces(ROOT), rootDevDependencies(ROOT));
    expect(problems).toEqual([]);
  });

  describe('catch what they are for', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'boundaries-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write(
      'package.json',
      JSON.stringify({ workspaces: ['packages/db', 'packages/server'], devDependencies: { vitest: '3' } }),
    );
    write(
      'packages/db/package.json',
      JSON.stringify({ name: '@hisaabo/db', exports: { '.': './src/index.ts' }, dependencies: { pg: '8' } }),
    );
    write(
      'packages/server/package.json',
      JSON.stringify({
        name: '@hisaabo/server',
        exports: { '.': './src/index.ts' },
        dependencies: { '@hisaabo/db': '0.1.0' },
      }),
    );
    write('packages/server/src/index.ts', "import { connect } from '@hisaabo/db';\nexport { connect };\n");
    write('packages/db/test/pool.test.ts', "import { it } from 'vitest';\nimport pg from 'pg';\n");

    it('passes a clean tree', () => {
      write('packages/db/src/index.ts', "import pg from 'pg';\nimport { x } from './x.ts';\n");
      expect(checkBoundaries(root, readWorkspaces(root), { vitest: '3' })).toEqual([]);
    });

    it('fails a lower layer importing a higher one, also by a relative path', () => {
      write(
        'packages/db/src/index.ts',
        "import { app } from '@hisaabo/server';\nimport '../../server/src/app.ts';\n",
      );
      const problems = checkBoundaries(root, readWorkspaces(root), { vitest: '3' });
      expect(problems).toContain(
        'packages/db/src/index.ts (@hisaabo/db) imports @hisaabo/server, which is not in a lower layer',
      );
      expect(problems).toContain(
        'packages/db/src/index.ts reaches into packages/server by a relative path: import @hisaabo/server',
      );
      expect(problems).toContain(
        'packages/db/src/index.ts imports @hisaabo/server, not in packages/db/package.json dependencies',
      );
    });

    it('fails an undeclared npm import, a deep import past the exports, and a file over 500 lines', () => {
      write('packages/db/src/index.ts', `import { z } from 'zod';\n${'// filler\n'.repeat(500)}`);
      write('packages/server/src/deep.ts', "import { registry } from '@hisaabo/db/src/registry.ts';\n");
      const problems = checkBoundaries(root, readWorkspaces(root), { vitest: '3' });
      expect(problems).toContain(
        'packages/db/src/index.ts imports zod, not in packages/db/package.json dependencies',
      );
      expect(problems).toContain(
        'packages/server/src/deep.ts imports @hisaabo/db/src/registry.ts, which @hisaabo/db does not export',
      );
      expect(problems).toContain('packages/db/src/index.ts has 501 lines (at most 500)');
    });

    it('fails a fast-tier test that needs a database or a server', () => {
      write('packages/db/test/pool.unit.test.ts', "import { testBackends } from '@hisaabo/db/testing';\n");
      const problems = checkBoundaries(root, readWorkspaces(root), { vitest: '3' });
      expect(problems).toContain(
        'packages/db/test/pool.unit.test.ts is a fast-tier test but imports @hisaabo/db/testing',
      );
    });
  });
});
