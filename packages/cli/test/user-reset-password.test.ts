import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, sessions, users } from '@hisaabo/db';
import { copyMigratedDataDir } from '@hisaabo/db/testing';
import { hashPassword, verifyPassword } from '@hisaabo/domain';
import { eq } from 'drizzle-orm';
import { CliSandbox, describeRun } from './support/cli.ts';

// Every step is a real child process compiling TypeScript on a shared machine: allow for it.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const sandbox = new CliSandbox();
const dataDir = sandbox.path('data');
const local = ['--local', '--data-dir', dataDir];
const EMAIL = 'asha@example.com';
const OLD_PASSWORD = 'the old password';
const NEW_PASSWORD = 'a fresh one, long enough';

/** Opens the stopped instance's database for a look, then closes it so the command can open it. */
async function withDatabase<T>(
  work: (db: Awaited<ReturnType<typeof connect>>['db']) => Promise<T>,
): Promise<T> {
  const database = await connect({ dataDir: `${dataDir}/pglite` });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

const account = () =>
  withDatabase(async (db) => {
    const [user] = await db.select().from(users).where(eq(users.email, EMAIL));
    const live = await db
      .select({ revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.userId, user!.id));
    return {
      passwordHash: user!.passwordHash,
      liveSessions: live.filter((s) => s.revokedAt === null).length,
    };
  });

beforeAll(async () => {
  await copyMigratedDataDir(`${dataDir}/pglite`);
  const database = await connect({ dataDir: `${dataDir}/pglite` });
  const [user] = await database.db
    .insert(users)
    .values({ email: EMAIL, name: 'Asha Rao', passwordHash: await hashPassword(OLD_PASSWORD) })
    .returning({ id: users.id });
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  await database.db.insert(sessions).values([
    { userId: user!.id, tokenHash: 'a'.repeat(64), expiresAt },
    { userId: user!.id, tokenHash: 'b'.repeat(64), expiresAt },
  ]);
  await database.close();
});

afterAll(() => sandbox.remove());

describe('hisaabo user reset-password', () => {
  it('refuses without --local, an unknown account, a short password, and a missing terminal, changing nothing', async () => {
    const before = await account();
    const cases: { args: string[]; input?: string; code: number; message: RegExp }[] = [
      {
        args: ['user', 'reset-password', '--email', EMAIL, '--password-stdin'],
        input: NEW_PASSWORD,
        code: 64,
        message: /works on the database directly.*add --local/s,
      },
      {
        args: ['user', 'reset-password', ...local, '--email', 'nobody@example.com', '--password-stdin'],
        input: NEW_PASSWORD,
        code: 1,
        message: /no account uses nobody@example.com/,
      },
      {
        args: ['user', 'reset-password', ...local, '--email', EMAIL, '--password-stdin'],
        input: 'short\n',
        code: 64,
        message: /the new password is not accepted: Use at least 8 characters/,
      },
      {
        args: ['user', 'reset-password', ...local, '--email', EMAIL],
        code: 64,
        message: /stdin is not a terminal.*--password-stdin/s,
      },
    ];
    for (const { args, input, code, message } of cases) {
      const result = await sandbox.run(args, { input: input ?? '' });
      expect(result.code, describeRun(result)).toBe(code);
      expect(result.stderr, describeRun(result)).toMatch(message);
    }
    expect(await account()).toEqual(before);
  });

  it('sets the new password from stdin, never prints it, and signs out every session', async () => {
    expect((await account()).liveSessions).toBe(2);
    const result = await sandbox.run(
      ['user', 'reset-password', ...local, '--email', EMAIL.toUpperCase(), '--password-stdin', '--json'],
      { input: `${NEW_PASSWORD}\n` },
    );
    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, email: EMAIL, signedOutSessions: 2 });
    expect(result.stdout + result.stderr).not.toContain(NEW_PASSWORD);

    const after = await account();
    expect(after.liveSessions).toBe(0);
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(after.passwordHash, OLD_PASSWORD)).toBe(false);
  });
});
