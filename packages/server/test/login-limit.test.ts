import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { LOGIN_LIMITS } from '../src/auth/loginLimiter.ts';
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

    it('locks an account after repeated failures, even for the right password, and records them durably', async () => {
      const user = await registerUser(server.url);
      for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
        expect((await login(user.email, `wrong password ${i}`)).status).toBe(401);
      }
      const locked = await login(user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.error?.data.code).toBe('TOO_MANY_REQUESTS');
      expect(locked.error?.message).toMatch(/try again in 15 minutes/);

      // The attempts live in the database, so every process sees them.
      const { rows } = (await server.database.db.execute(
        `select count(*)::int as n from login_attempts where email = '${user.email}' and not succeeded`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBe(LOGIN_LIMITS.perAccount);

      // Once the failures are older than the window, the account opens again.
      await server.database.db.execute(
        `update login_attempts set created_at = now() - interval '16 minutes' where email = '${user.email}'`,
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
