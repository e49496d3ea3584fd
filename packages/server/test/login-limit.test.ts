import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { LOGIN_LIMITS } from '../src/auth/login-limiter.ts';
import { MAX_BATCH_CALLS } from '../src/http/batch-limit.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, registerUser } from './support/trpc.ts';

for (const backend of testBackends()) {
  describe(`login limiting (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    const login = (email: string, password: string, ip?: string) =>
      call(server.url, 'auth.login', { email, password }, ip ? { headers: { 'x-forwarded-for': ip } } : {});

    // Every test signs in from 127.0.0.1; each starts with that address's count at zero.
    beforeEach(async () => {
      await server.database.db.execute(`delete from login_limits where key like 'ip:%'`);
    });

    /** Status of each call of a tRPC batch (or the whole answer's, when it was refused as a whole). */
    async function loginBatch(method: 'GET' | 'POST', attempts: { email: string; password: string }[]) {
      const paths = attempts.map(() => 'auth.login').join(',');
      const inputs = JSON.stringify(Object.fromEntries(attempts.map((input, i) => [i, input])));
      const url = `${server.url}/api/trpc/${paths}?batch=1${method === 'GET' ? `&input=${encodeURIComponent(inputs)}` : ''}`;
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-requested-with': 'hisaabo' },
        body: method === 'POST' ? inputs : undefined,
      });
      return { response, body: (await response.json()) as unknown };
    }

    const failuresOf = async (email: string) => {
      const { rows } = (await server.database.db.execute(
        `select failures from login_limits where key = 'account:${email}'`,
      )) as unknown as { rows: { failures: number }[] };
      return rows[0]?.failures ?? 0;
    };

    it('refuses a batch of 300 sign-ins (299 wrong, the right one last) before any is tried, by POST and GET', async () => {
      const user = await registerUser(server.url);
      const batch = (size: number) => [
        ...Array.from({ length: size - 1 }, (_, i) => ({ email: user.email, password: `wrong ${i}` })),
        { email: user.email, password: user.password },
      ];
      // By GET the inputs travel in the URL, which Node caps at 16 KiB: 30 calls fit.
      for (const [method, size] of [
        ['POST', 300],
        ['GET', 30],
      ] as const) {
        const { response, body } = await loginBatch(method, batch(size));
        expect(response.status, method).toBe(400);
        expect(response.headers.get('set-cookie'), method).toBeNull();
        expect((body as { error: { message: string } }).error.message).toBe(
          `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one holds ${size}. Send the calls in smaller batches.`,
        );
      }
      // No procedure ran: nothing was counted, and the account has only the session of its sign-up.
      expect(await failuresOf(user.email)).toBe(0);
      const { rows } = (await server.database.db.execute(
        `select count(*)::int as n from sessions where user_id = '${user.id}'`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBe(1);
    });

    it('checks at most the limit of a batch of the largest size, then refuses even the right password', async () => {
      const user = await registerUser(server.url);
      const attempts = Array.from({ length: MAX_BATCH_CALLS }, (_, i) => ({
        email: user.email,
        password: `wrong ${i}`,
      }));
      const { response, body } = await loginBatch('POST', attempts);
      expect(response.status).not.toBe(200);
      const statuses = (body as { error: { data: { httpStatus: number } } }[]).map(
        (r) => r.error.data.httpStatus,
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.perAccount);
      expect(statuses.filter((s) => s === 429)).toHaveLength(MAX_BATCH_CALLS - LOGIN_LIMITS.perAccount);
      expect((await login(user.email, user.password)).status).toBe(429);
    });

    it('checks at most the limit of 25 parallel wrong sign-ins', async () => {
      const user = await registerUser(server.url);
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => login(user.email, `parallel guess ${i}`)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.perAccount);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25 - LOGIN_LIMITS.perAccount);
      expect((await login(user.email, user.password)).status).toBe(429);
    });

    it('locks an account after repeated failures, even for the right password, and records them durably', async () => {
      const user = await registerUser(server.url);
      for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
        expect((await login(user.email, `wrong password ${i}`)).status).toBe(401);
      }
      const locked = await login(user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.error?.data.code).toBe('TOO_MANY_REQUESTS');
      expect(locked.error?.message).toMatch(/try again in 1[45] minutes/);

      // The count lives in the database, so every process sees it; the refused attempt counted too.
      const { rows } = (await server.database.db.execute(
        `select failures from login_limits where key = 'account:${user.email}'`,
      )) as unknown as { rows: { failures: number }[] };
      expect(rows[0]!.failures).toBe(LOGIN_LIMITS.perAccount + 1);

      // Once the window has passed, the account opens again.
      await server.database.db.execute(
        `update login_limits set window_started_at = now() - interval '16 minutes' where key = 'account:${user.email}'`,
      );
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it('a successful login resets the count for the account', async () => {
      const user = await registerUser(server.url);
      for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await login(user.email, 'wrong password');
      expect((await login(user.email, user.password)).status).toBe(200);
      for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await login(user.email, 'wrong password');
      expect((await login(user.email, user.password)).status).toBe(200);
    });

    it('limits one client address guessing across many accounts', async () => {
      const victim = await registerUser(server.url);
      // Attempts are counted by the connection's address (X-Forwarded-For is ignored unless TRUST_PROXY),
      // so spoofing the header does not escape the limit.
      for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
        const status = (await login(`nobody-${i}@example.com`, 'guess', `10.0.0.${i}`)).status;
        expect(status === 401 || status === 429).toBe(true);
      }
      const blocked = await login(victim.email, victim.password, '10.9.9.9');
      expect(blocked.status).toBe(429);
    });
  });
}
