import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/demo/cli.ts', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    // No database is opened for these: point it somewhere harmless all the same.
    env: { ...process.env, DATABASE_URL: '', HISAABO_DATA_DIR: '/nonexistent-hisaabo-data' },
  });

describe('npm run demo:seed options', () => {
  it('--help prints the usage and exits 0, without touching a database', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run demo:seed -- --tenant <slug>/);
    expect(help.stdout).toContain('--check-only');
    expect(help.stderr).toBe('');
  });

  it('an unknown option is named with the usage, exit 2, no stack trace', () => {
    const wrong = run('--bogus');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^Unknown option '--bogus'\nusage: npm run demo:seed/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
