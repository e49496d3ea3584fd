import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { appRouter } from '../../src/routers/index.ts';
import { call, type TestTenant } from '../support/trpc.ts';
import { NO_ORGANIZATION_DATA, TWIN_CASES, type TwinCase } from './cases.ts';
import { createTwins, type Twins, writeInCopy } from './twins.ts';

// Every read procedure, called in an organization and in its restored copy (same ids, other
// tenant_id) before and after the copy is written to on those ids: the original's answers never
// change, the copy sees its own writes, and no answer lists one id twice (a row of each twin).

const queryPaths = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
)
  .filter(([, procedure]) => procedure._def.type === 'query')
  .map(([path]) => path)
  .sort();

describe('every read procedure has a twin case', () => {
  it.each(queryPaths)('%s', (path) => {
    const covered = path in TWIN_CASES || path in NO_ORGANIZATION_DATA;
    expect(
      covered,
      `${path} has no twin case: add it to TWIN_CASES (or NO_ORGANIZATION_DATA with the reason) in packages/server/test/twins/cases.ts`,
    ).toBe(true);
    expect(path in TWIN_CASES && path in NO_ORGANIZATION_DATA, `${path} is listed twice`).toBe(false);
  });

  it('lists no procedure the router does not have', () => {
    const known = new Set(queryPaths);
    const stale = [...Object.keys(TWIN_CASES), ...Object.keys(NO_ORGANIZATION_DATA)].filter(
      (p) => !known.has(p),
    );
    expect(stale).toEqual([]);
  });
});

/** Every `id` inside every array of objects of `value`, grouped by the array's path. */
function duplicatedIds(value: unknown, path = '$'): string[] {
  const found: string[] = [];
  if (Array.isArray(value)) {
    const ids = value
      .filter((v): v is { id: unknown } => typeof v === 'object' && v !== null && 'id' in v)
      .map((v) => String(v.id));
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) found.push(`${path}: ${id}`);
      seen.add(id);
    }
    value.forEach((v, i) => {
      found.push(...duplicatedIds(v, `${path}[${i}]`));
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) found.push(...duplicatedIds(v, `${path}.${key}`));
  }
  return found;
}

for (const backend of testBackends()) {
  describe(`twin organizations: an organization and its restored copy (${backend.kind})`, () => {
    let twins: Twins;
    const before = new Map<string, { original: unknown; copy: unknown }>();
    const after = new Map<string, { original: unknown; copy: unknown }>();
    const cases = Object.entries(TWIN_CASES).sort(([a], [b]) => a.localeCompare(b));

    async function read(path: string, twinCase: TwinCase, tenant: TestTenant): Promise<unknown> {
      const result = await call(
        twins.server.url,
        path,
        twinCase.input?.(twins.ids, tenant),
        twins.scope(tenant),
      );
      if (result.status !== 200) {
        throw new Error(
          `${path} in ${tenant.name} answered ${result.status}: ${JSON.stringify(result.body)}`,
        );
      }
      return twinCase.read ? twinCase.read(result.data, twins) : result.data;
    }

    async function readAll(into: Map<string, { original: unknown; copy: unknown }>): Promise<void> {
      for (const [path, twinCase] of cases) {
        into.set(path, {
          original: await read(path, twinCase, twins.original),
          copy: await read(path, twinCase, twins.copy),
        });
      }
    }

    beforeAll(async () => {
      twins = await createTwins(backend);
      await readAll(before);
      await writeInCopy(twins);
      await readAll(after);
    });

    afterAll(async () => {
      await twins?.close();
    });

    it.each(cases)('%s', (path, twinCase) => {
      const was = before.get(path)!;
      const is = after.get(path)!;
      expect(is.original, `${path}: the copy's writes leaked into the original`).toEqual(was.original);
      if (twinCase.copySeesItsWrites) {
        expect(is.copy, `${path}: the copy does not see its own writes`).not.toEqual(was.copy);
      } else {
        expect(is.copy, `${path}: the copy's answer changed`).toEqual(was.copy);
      }
      expect(duplicatedIds(is.original), `${path} in the original`).toEqual([]);
      expect(duplicatedIds(is.copy), `${path} in the copy`).toEqual([]);
      // The ids the twins share must not carry the other twin's tenant id.
      expect(JSON.stringify(is.original)).not.toContain(twins.copy.id);
      expect(JSON.stringify(is.copy)).not.toContain(twins.original.id);
    });
  });
}
