import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The password hasher is a native addon of about 8 MB resident. An export or a restore run from the
// command line loads the whole domain package and never sees a password: the addon must wait for
// the first password instead of riding along (docs/benchmarks.md, peak RSS).

const domain = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const script = `
const loaded = () => process.report.getReport().sharedObjects.some((file) => file.includes('argon2'));
const domain = await import(${JSON.stringify(domain)});
const before = loaded();
const hash = await domain.hashPassword('chai and samosa');
console.log(JSON.stringify({ before, after: loaded(), verified: await domain.verifyPassword(hash, 'chai and samosa') }));
`;

describe('password hashing', () => {
  it('loads its native addon on the first password, not with the domain package', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true, verified: true });
  });
});
