import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '@hisaabo/db/testing';
import { LOGIN_LIMITS } from '../src/auth/login-limiter.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './support/server-process.ts';
import { call, registerUser } from './support/trpc.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('sign-in limit shared by two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl!);
    dataDir = mkdtempSync(path.join(tmpdir(), 'hisaabo-login-limit-'));
    [a, b] = await Promise.all([
      startServerProcess(database.url!, dataDir),
      startServerProcess(database.url!, dataDir),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stopServerProcess(a?.child), stopServerProcess(b?.child)]);
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('checks at most the limit of wrong passwords sent to both processes at once', async () => {
    const user = await registerUser(a.url);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        call((i % 2 === 0 ? a : b).url, 'auth.login', { email: user.email, password: `guess ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.perAccount);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16 - LOGIN_LIMITS.perAccount);
    for (const server of [a, b]) {
      expect(
        (await call(server.url, 'auth.login', { email: user.email, password: user.password })).status,
      ).toBe(429);
    }
  });
});
