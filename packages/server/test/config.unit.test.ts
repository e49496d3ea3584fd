import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('the server configuration', () => {
  it('derives the embedded database folder from the data directory, in one place', () => {
    expect(loadConfig({}).pgliteDir).toBe(path.resolve('data', 'pglite'));
    expect(loadConfig({ HISAABO_DATA_DIR: '/srv/hisaabo' }).pgliteDir).toBe('/srv/hisaabo/pglite');
  });

  it('reads HISAABO_SCHEDULER with the other settings and refuses a value it does not know', () => {
    expect(loadConfig({}).HISAABO_SCHEDULER).toBe('on');
    expect(loadConfig({ HISAABO_SCHEDULER: 'off' }).HISAABO_SCHEDULER).toBe('off');
    expect(() => loadConfig({ HISAABO_SCHEDULER: 'no' })).toThrow(/HISAABO_SCHEDULER/);
  });
});
