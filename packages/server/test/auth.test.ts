import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, registerUser, uniqueSuffix } from './support/trpc.ts';

for (const backend of testBackends()) {
  describe(`accounts and sessions (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    it('registers, answers auth.me by Bearer and by cookie, with no organization yet', async () => {
      const email = `Ada-${uniqueSuffix()}@Example.com`;
      const register = await call<{
        user: { id: string; email: string };
        sessionToken: string;
        expiresAt: string;
      }>(server.url, 'auth.register', { email, password: 'a long password', name: 'Ada' });
      expect(register.status).toBe(200);
      expect(register.data.user.email).toBe(email.toLowerCase());
      expect(register.data.sessionToken).toMatch(/^[\w-]{40,}$/);
      const expires = new Date(register.data.expiresAt).getTime();
      expect(expires - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
      expect(expires - Date.now()).toBeLessThan(31 * 24 * 3600 * 1000);
      const setCookie = register.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^hisaabo_session=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);

      const byBearer = await call<{
        user: { id: string };
        organizations: unknown[];
        selectedOrganization: unknown;
      }>(server.url, 'auth.me', undefined, { token: register.data.sessionToken });
      expect(byBearer.status).toBe(200);
      expect(byBearer.data.user.id).toBe(register.data.user.id);
      expect(byBearer.data.organizations).toEqual([]);
      expect(byBearer.data.selectedOrganization).toBeNull();

      const byCookie = await call<{ user: { id: string } }>(server.url, 'auth.me', undefined, {
        cookie: setCookie.split(';')[0],
      });
      expect(byCookie.status).toBe(200);
      expect(byCookie.data.user.id).toBe(register.data.user.id);
    });

    it('stores only hashes: neither the password nor the session token is in the database', async () => {
      const user = await registerUser(server.url);
      const { rows } = (await server.database.db.execute(
        `select u.password_hash, s.token_hash from users u join sessions s on s.user_id = u.id where u.id = '${user.id}'`,
      )) as unknown as { rows: { password_hash: string; token_hash: string }[] };
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]!.token_hash).not.toContain(user.token);
    });

    it('logs in with the right password only, case-insensitively on the email', async () => {
      const user = await registerUser(server.url);
      const wrong = await call(server.url, 'auth.login', { email: user.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.error?.message).toBe('Email or password is incorrect');
      const unknown = await call(server.url, 'auth.login', {
        email: 'nobody@example.com',
        password: 'whatever1',
      });
      expect(unknown.status).toBe(401);
      expect(unknown.error?.message).toBe('Email or password is incorrect');

      const login = await call<{ sessionToken: string; user: { id: string } }>(server.url, 'auth.login', {
        email: user.email.toUpperCase(),
        password: user.password,
      });
      expect(login.status).toBe(200);
      expect(login.data.user.id).toBe(user.id);
      expect(login.data.sessionToken).not.toBe(user.token);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect((await call(server.url, 'auth.me', undefined, { cookie })).status).toBe(200);
      expect((await call(server.url, 'auth.me', undefined, { token: login.data.sessionToken })).status).toBe(
        200,
      );
    });

    it('refuses a second account with the same email, whatever its case', async () => {
      const user = await registerUser(server.url);
      const again = await call(server.url, 'auth.register', {
        email: user.email.toUpperCase(),
        password: 'another password',
        name: 'Copy',
      });
      expect(again.status).toBe(409);
      expect(again.error?.message).toMatch(/already exists/);
    });

    it('logout revokes the session (Bearer) and clears the cookie', async () => {
      const user = await registerUser(server.url);
      const out = await call(server.url, 'auth.logout', undefined, { token: user.token });
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(/hisaabo_session=;.*Max-Age=0/i);
      const after = await call(server.url, 'auth.me', undefined, { token: user.token });
      expect(after.status).toBe(401);
      expect(after.error?.data.code).toBe('UNAUTHORIZED');
    });

    it('logout by cookie revokes that session, and the same cookie no longer works', async () => {
      const user = await registerUser(server.url);
      const out = await call(server.url, 'auth.logout', undefined, { cookie: user.cookie });
      expect(out.status).toBe(200);
      expect((await call(server.url, 'auth.me', undefined, { cookie: user.cookie })).status).toBe(401);
      // The other session of the same user (none here) would be untouched; the Bearer one is the same session.
      expect((await call(server.url, 'auth.me', undefined, { token: user.token })).status).toBe(401);
    });

    it('rejects anonymous and made-up credentials with 401', async () => {
      expect((await call(server.url, 'auth.me')).status).toBe(401);
      expect((await call(server.url, 'auth.me', undefined, { token: 'made-up-token' })).status).toBe(401);
      expect(
        (await call(server.url, 'auth.me', undefined, { cookie: 'hisaabo_session=made-up' })).status,
      ).toBe(401);
    });

    it('expired sessions stop working', async () => {
      const user = await registerUser(server.url);
      await server.database.db.execute(
        `update sessions set expires_at = now() - interval '1 second' where user_id = '${user.id}'`,
      );
      expect((await call(server.url, 'auth.me', undefined, { token: user.token })).status).toBe(401);
    });
  });
}
