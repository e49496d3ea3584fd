import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { planRead } from '../src/compatibility.ts';
import { BackupError } from '../src/errors.ts';
import { type Manifest, manifestSchema } from '../src/manifest.ts';
import type { UpgradeStep } from '../src/upgrades/index.ts';
import { readEntries } from './support/archive.ts';

// The guards against a broken upgrade registry, which the real registry never trips: a missing step,
// and steps that do not arrive at this server's schema.

const registry = vi.hoisted(() => ({ path: null as UpgradeStep[] | null }));
vi.mock('../src/upgrades/index.ts', () => ({ upgradePath: () => registry.path }));

let v1: Manifest;
beforeAll(async () => {
  const entries = await readEntries(
    await readFile(new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url)),
  );
  v1 = manifestSchema.parse(JSON.parse(entries.find((e) => e.name === 'manifest.json')!.body.toString()));
});

function refusal(): BackupError {
  try {
    planRead(v1);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    return error as BackupError;
  }
  throw new Error('planRead accepted the manifest');
}

describe('planRead with a broken upgrade registry', () => {
  it('refuses when a step is missing', () => {
    registry.path = null;
    const error = refusal();
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
    expect(error.message).toBe('no upgrade path from schema version 1 to 2');
  });

  it("refuses when the steps do not arrive at this server's schema", () => {
    registry.path = [
      {
        from: 1,
        to: 2,
        description: 'does nothing',
        upgradeTables: (tables) => [...tables],
        upgradeRow: (_t, row) => row,
      },
    ];
    const error = refusal();
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
    expect(error.message).toBe("upgrading schema version 1 to 2 does not give this server's schema");
  });
});
