import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, ok, registerUser } from './support/trpc.ts';

interface SessionRow {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
}

for (const backend of testBackends()) {
  describe(`account sessions and password (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    const signIn = async (email: string, password: string, userAgent = 'test-agent/1') => {
      const result = await call<{ sessionToken: string }>(
        server.url,
        'auth.login',
        { email, password },
        { headers: { 'user-agent': userAgent } },
      );
      expect(result.status).toBe(200);
      return result.data.sessionToken;
    };
    const alive = async (token: string) =>
      (await call(server.url, 'auth.me', undefined, { token })).status === 200;

    it('lists the live sessions with where they were opened, and signs one out', async () => {
      const user = await registerUser(server.url);
      const laptop = await signIn(user.email, user.password, 'Laptop Browser/2.0');
      const sessions = await ok<SessionRow[]>(server.url, 'auth.sessions', undefined, { token: laptop });
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);
      expect(sessions.find((s) => s.current)).toMatchObject({
        userAgent: 'Laptop Browser/2.0',
        ip: '127.0.0.1',
      });

      const other = sessions.find((s) => !s.current)!;
      expect(
        (await call(server.url, 'auth.revokeSession', { sessionId: other.id }, { token: laptop })).status,
      ).toBe(200);
      expect(await alive(user.token)).toBe(false);
      expect(await alive(laptop)).toBe(true);
      expect(await ok<SessionRow[]>(server.url, 'auth.sessions', undefined, { token: laptop })).toHaveLength(
        1,
      );

      // Another user's session cannot be signed out.
      const stranger = await registerUser(server.url);
      const theirs = await ok<SessionRow[]>(server.url, 'auth.sessions', undefined, {
        token: stranger.token,
      });
      const refused = await call(
        server.url,
        'auth.revokeSession',
        { sessionId: theirs[0]!.id },
        { token: laptop },
      );
      expect(refused.status).toBe(404);
      expect(await alive(stranger.token)).toBe(true);
    });

    it('changing the password signs out the other sessions and keeps this one', async () => {
      const user = await registerUser(server.url);
      const phone = await signIn(user.email, user.password);
      const wrong = await call(
        server.url,
        'auth.changePassword',
        { currentPassword: 'not it at all', newPassword: 'a brand new secret' },
        { token: user.token },
      );
      expect(wrong.status).toBe(403);
      expect(await alive(phone)).toBe(true);
      const short = await call(
        server.url,
        'auth.changePassword',
        { currentPassword: user.password, newPassword: 'short' },
        { token: user.token },
      );
      expect(short.status).toBe(400);
      expect(short.error?.message).toMatch(/^newPassword: Use at least 8 characters/);

      const changed = await call<{ signedOutSessions: number }>(
        server.url,
        'auth.changePassword',
        { currentPassword: user.password, newPassword: 'a brand new secret' },
        { token: user.token },
      );
      expect(changed.status).toBe(200);
      expect(changed.data.signedOutSessions).toBe(1);
      expect(await alive(phone)).toBe(false);
      expect(await alive(user.token)).toBe(true);

      expect(
        (await call(server.url, 'auth.login', { email: user.email, password: user.password })).status,
      ).toBe(401);
      await signIn(user.email, 'a brand new secret');
    });

    it('signs out everywhere, this session included, and clears the cookie', async () => {
      const user = await registerUser(server.url);
      const second = await signIn(user.email, user.password);
      const result = await call<{ signedOutSessions: number }>(
        server.url,
        'auth.logoutEverywhere',
        undefined,
        {
          cookie: user.cookie,
        },
      );
      expect(result.status).toBe(200);
      expect(result.data.signedOutSessions).toBe(2);
      expect(result.headers.get('set-cookie')).toMatch(/hisaabo_session=;.*Max-Age=0/i);
      expect(await alive(second)).toBe(false);
      expect(await alive(user.token)).toBe(false);
    });
  });
}
