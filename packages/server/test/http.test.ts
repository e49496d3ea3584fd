import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION } from '@hisaabo/backup';
import { SCHEMA_VERSION } from '@hisaabo/db';
import { testBackends } from '@hisaabo/db/testing';
import { createLogger } from '../src/logger.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, createTenant, registerOwner, registerUser } from './support/trpc.ts';

for (const backend of testBackends()) {
  describe(`HTTP surface (${backend.kind})`, () => {
    let server: TestServer;
    const logLines: string[] = [];
    beforeAll(async () => {
      server = await startTestServer(backend, {
        logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
        env: { MAX_JSON_BODY_BYTES: '4096' },
      });
    });
    afterAll(() => server?.close());

    it('sends security headers and never lets API answers be cached', async () => {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    });

    it('names its two versions for what they are, and keeps the old field', async () => {
      const health = (await (await fetch(`${server.url}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        ok: true,
        migrations: SCHEMA_VERSION,
        archiveSchemaVersion: CURRENT_SCHEMA_VERSION,
        schemaVersion: SCHEMA_VERSION,
      });
    });

    describe('CSRF guard', () => {
      it('refuses a cookie-authenticated mutation without X-Requested-With, and changes nothing', async () => {
        const user = await registerUser(server.url);
        const refused = await call(
          server.url,
          'tenant.create',
          { name: 'Forged', slug: 'forged-org' },
          {
            cookie: user.cookie,
            csrf: false,
          },
        );
        expect(refused.status).toBe(403);
        expect(refused.error?.message).toMatch(/X-Requested-With: hisaabo/);
        const list = await call<unknown[]>(server.url, 'tenant.list', undefined, {
          cookie: user.cookie,
          csrf: false,
        });
        expect(list.status).toBe(200); // queries are safe reads
        expect(list.data).toEqual([]);

        const accepted = await call(
          server.url,
          'tenant.create',
          { name: 'Real', slug: 'real-org' },
          {
            cookie: user.cookie,
          },
        );
        expect(accepted.status).toBe(200);
      });

      it('refuses a cookie logout without the header (the session survives)', async () => {
        const user = await registerUser(server.url);
        const refused = await call(server.url, 'auth.logout', undefined, {
          cookie: user.cookie,
          csrf: false,
        });
        expect(refused.status).toBe(403);
        expect((await call(server.url, 'auth.me', undefined, { cookie: user.cookie })).status).toBe(200);
      });

      it('exempts Bearer calls, and guards non-tRPC POSTs that carry the cookie', async () => {
        const user = await registerUser(server.url);
        const bearer = await call(
          server.url,
          'tenant.create',
          { name: 'Scripted', slug: 'scripted-org' },
          {
            token: user.token,
            csrf: false,
          },
        );
        expect(bearer.status).toBe(200);
        const plain = await fetch(`${server.url}/api/anything`, {
          method: 'POST',
          headers: { cookie: user.cookie },
          body: 'x',
        });
        expect(plain.status).toBe(403);
        expect(await plain.json()).toEqual({ error: expect.stringMatching(/X-Requested-With/) });
      });
    });

    describe('malformed input', () => {
      it('answers 400 naming each bad field, never 500', async () => {
        const result = await call(server.url, 'auth.register', {
          email: 'not-an-email',
          password: 'short',
          name: '',
        });
        expect(result.status).toBe(400);
        expect(result.error?.data.code).toBe('BAD_REQUEST');
        expect(result.error?.message).toContain('email: Invalid email address');
        expect(result.error?.message).toContain('password: Use at least 8 characters');
        expect(result.error?.message).toContain('name: Required');
        expect(Object.keys(result.error?.data.fieldErrors ?? {}).sort()).toEqual([
          'email',
          'name',
          'password',
        ]);
      });

      it('names a wrong type, a missing input, an unknown role and a bad id', async () => {
        const { owner: user, org } = await registerOwner(server.url);
        const cases: [string, unknown, RegExp][] = [
          ['auth.login', { email: 'a@b.co', password: 12345678 }, /^password: /],
          ['auth.login', undefined, /^input: /],
          ['tenant.addMember', { tenantId: org.id, email: user.email, role: 'superuser' }, /^role: /],
          ['tenant.removeMember', { tenantId: org.id, userId: 'nope' }, /^userId: Invalid id/],
          ['apiKey.create', { tenantId: org.id, name: '   ' }, /^name: Required/],
          ['tenant.select', {}, /^tenantId: /],
        ];
        for (const [path, input, message] of cases) {
          const result = await call(server.url, path, input, { token: user.token });
          expect(result.status, path).toBe(400);
          expect(result.error?.message, path).toMatch(message);
        }
      });

      it('answers 400 for bodies and query strings that are not JSON', async () => {
        const post = await fetch(`${server.url}/api/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"email": ',
        });
        expect(post.status).toBe(400);
        expect(((await post.json()) as { error: { message: string } }).error.message).toMatch(
          /^input: not valid JSON/,
        );
        const user = await registerUser(server.url);
        const get = await fetch(`${server.url}/api/trpc/tenant.members?input=%7Bnot-json`, {
          headers: { authorization: `Bearer ${user.token}` },
        });
        expect(get.status).toBe(400);
        expect(((await get.json()) as { error: { message: string } }).error.message).toMatch(
          /^input: not valid JSON/,
        );
        const unknownProcedure = await fetch(`${server.url}/api/trpc/nothing.here`);
        expect(unknownProcedure.status).toBe(404);
        const wrongMethod = await fetch(`${server.url}/api/trpc/auth.login?input=%7B%7D`);
        expect(wrongMethod.status).toBe(405);
      });

      it('answers 413 to a body over the limit', async () => {
        const response = await fetch(`${server.url}/api/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(10_000) }),
        });
        expect(response.status).toBe(413);
      });
    });

    it('logs one JSON line per request with its id, and never a password, token or key', async () => {
      const user = await registerUser(server.url, { password: 'very secret password 42' });
      const key = await call<{ key: string }>(
        server.url,
        'apiKey.create',
        { tenantId: (await createTenant(server.url, user.token)).id, name: 'log-check' },
        { token: user.token },
      );
      await call(server.url, 'auth.login', { email: user.email, password: 'very secret password 42' });
      await call(server.url, 'auth.me', undefined, { token: key.data.key });
      await call(server.url, 'auth.me', undefined, { cookie: user.cookie });
      const response = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'trace-123' } });
      expect(response.headers.get('x-request-id')).toBe('trace-123');

      const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries.every((e) => typeof e.time === 'string' && typeof e.level === 'string')).toBe(true);
      expect(entries).toContainEqual(
        expect.objectContaining({ msg: 'request', requestId: 'trace-123', path: '/api/health', status: 200 }),
      );
      const all = logLines.join('\n');
      for (const secret of [
        'very secret password 42',
        user.token,
        key.data.key,
        user.cookie.split('=')[1]!,
      ]) {
        expect(all).not.toContain(secret);
      }
    });
  });
}
