import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, createTenant, ok, registerUser, uniqueSuffix, type TestUser } from './support/trpc.ts';

interface Invitation {
  tenant: { id: string; slug: string; name: string };
  role: string;
  invitedBy: { name: string; email: string } | null;
}

for (const backend of testBackends()) {
  describe(`membership by invitation (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(() => server?.close());

    const memberIds = async (owner: TestUser, tenantId: string) =>
      (await ok<{ userId: string }[]>(server.url, 'tenant.members', { tenantId }, { token: owner.token }))
        .map((m) => m.userId)
        .sort();
    const invite = (by: TestUser, tenantId: string, email: string, role = 'member') =>
      call(server.url, 'tenant.addMember', { tenantId, email, role }, { token: by.token });

    it('addMember only invites, and answers alike whether or not the email has an account', async () => {
      const owner = await registerUser(server.url);
      const invitee = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      const nobody = `nobody-${uniqueSuffix()}@example.com`;

      const forAccount = await invite(owner, org.id, invitee.email.toUpperCase(), 'owner');
      const forNobody = await invite(owner, org.id, nobody, 'owner');
      expect(forAccount.status).toBe(200);
      expect(forNobody.status).toBe(200);
      expect(forAccount.data).toMatchObject({ email: invitee.email, role: 'owner', status: 'pending' });
      const { email: _a, invitedAt: _t1, ...restA } = forAccount.data as Record<string, unknown>;
      const { email: _b, invitedAt: _t2, ...restB } = forNobody.data as Record<string, unknown>;
      expect(restA).toEqual(restB);

      // Nobody joined: the invitee has no organization and is not among the members.
      expect(await memberIds(owner, org.id)).toEqual([owner.id]);
      expect(await ok(server.url, 'tenant.list', undefined, { token: invitee.token })).toEqual([]);
      expect(
        (await call(server.url, 'tenant.members', { tenantId: org.id }, { token: invitee.token })).status,
      ).toBe(403);
      // A new session of the invitee lands in no organization.
      const login = await ok<{ sessionToken: string }>(server.url, 'auth.login', {
        email: invitee.email,
        password: invitee.password,
      });
      const me = await ok<{ selectedOrganization: unknown }>(server.url, 'auth.me', undefined, {
        token: login.sessionToken,
      });
      expect(me.selectedOrganization).toBeNull();

      // The owner sees both pending invitations.
      const pending = await ok<{ email: string; role: string }[]>(
        server.url,
        'tenant.invitations',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(pending.map((p) => p.email).sort()).toEqual([invitee.email, nobody].sort());
    });

    it('the invitee sees the invitation and becomes a member only by accepting it', async () => {
      const owner = await registerUser(server.url, { name: 'Asha Owner' });
      const invitee = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token, { name: 'Zenith Traders' });
      expect((await invite(owner, org.slug, invitee.email, 'admin')).status).toBe(200);

      const mine = await ok<Invitation[]>(server.url, 'invitation.list', undefined, { token: invitee.token });
      expect(mine).toEqual([
        expect.objectContaining({
          tenant: { id: org.id, slug: org.slug, name: 'Zenith Traders' },
          role: 'admin',
          invitedBy: { name: 'Asha Owner', email: owner.email },
        }),
      ]);
      // Someone else cannot accept it.
      const stranger = await registerUser(server.url);
      const stolen = await call(
        server.url,
        'invitation.accept',
        { tenantId: org.id },
        { token: stranger.token },
      );
      expect(stolen.status).toBe(404);

      const accepted = await call(
        server.url,
        'invitation.accept',
        { tenantId: org.id },
        { token: invitee.token },
      );
      expect(accepted.status).toBe(200);
      expect(accepted.data).toMatchObject({ id: org.id, role: 'admin' });
      expect(await memberIds(owner, org.id)).toEqual([owner.id, invitee.id].sort());
      expect(await ok(server.url, 'invitation.list', undefined, { token: invitee.token })).toEqual([]);
      expect(
        await ok(server.url, 'tenant.invitations', { tenantId: org.id }, { token: owner.token }),
      ).toEqual([]);
      // Accepted once: nothing left to accept, and inviting a member again is refused.
      expect(
        (await call(server.url, 'invitation.accept', { tenantId: org.id }, { token: invitee.token })).status,
      ).toBe(404);
      const again = await invite(owner, org.id, invitee.email);
      expect(again.status).toBe(409);
      expect(again.error?.message).toBe(`${invitee.email} is already a member`);
    });

    it('declining leaves the invitee outside and the invitation gone', async () => {
      const owner = await registerUser(server.url);
      const invitee = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      await invite(owner, org.id, invitee.email);
      const declined = await call(
        server.url,
        'invitation.decline',
        { tenantId: org.id },
        { token: invitee.token },
      );
      expect(declined.status).toBe(200);
      expect(await memberIds(owner, org.id)).toEqual([owner.id]);
      expect(
        await ok(server.url, 'tenant.invitations', { tenantId: org.id }, { token: owner.token }),
      ).toEqual([]);
      expect(
        (await call(server.url, 'invitation.accept', { tenantId: org.id }, { token: invitee.token })).status,
      ).toBe(404);
    });

    it('owners cancel pending invitations; admins cannot cancel an owner invitation; members see none', async () => {
      const owner = await registerUser(server.url);
      const admin = await registerUser(server.url);
      const member = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      for (const [user, role] of [
        [admin, 'admin'],
        [member, 'member'],
      ] as const) {
        await invite(owner, org.id, user.email, role);
        await ok(server.url, 'invitation.accept', { tenantId: org.id }, { token: user.token });
      }
      // An invitation to an address that registers afterwards waits for it.
      const laterEmail = `later-${uniqueSuffix()}@example.com`;
      await invite(owner, org.id, laterEmail, 'owner');

      expect(
        (await call(server.url, 'tenant.invitations', { tenantId: org.id }, { token: member.token })).status,
      ).toBe(403);
      const byAdmin = await call(
        server.url,
        'tenant.cancelInvitation',
        { tenantId: org.id, email: laterEmail },
        { token: admin.token },
      );
      expect(byAdmin.status).toBe(403);

      const later = await registerUser(server.url, { email: laterEmail });
      expect(
        await ok<Invitation[]>(server.url, 'invitation.list', undefined, { token: later.token }),
      ).toHaveLength(1);

      const cancelled = await call(
        server.url,
        'tenant.cancelInvitation',
        { tenantId: org.id, email: laterEmail },
        { token: owner.token },
      );
      expect(cancelled.status).toBe(200);
      expect(await ok(server.url, 'invitation.list', undefined, { token: later.token })).toEqual([]);
      expect(
        (await call(server.url, 'invitation.accept', { tenantId: org.id }, { token: later.token })).status,
      ).toBe(404);
      const unknown = await call(
        server.url,
        'tenant.cancelInvitation',
        { tenantId: org.id, email: laterEmail },
        { token: owner.token },
      );
      expect(unknown.status).toBe(404);
      expect(await memberIds(owner, org.id)).toEqual([owner.id, admin.id, member.id].sort());
    });

    it('a new session starts in the organization the user last chose, not the first they belong to', async () => {
      const user = await registerUser(server.url);
      const inviter = await registerUser(server.url);
      const own = await createTenant(server.url, user.token, { name: 'Zulu Books' });
      const other = await createTenant(server.url, inviter.token, { name: 'Alpha Books' });
      await invite(inviter, other.id, user.email);
      await ok(server.url, 'invitation.accept', { tenantId: other.id }, { token: user.token });
      await ok(server.url, 'tenant.select', { tenantId: own.id }, { token: user.token });

      const session = await ok<{ sessionToken: string }>(server.url, 'auth.login', {
        email: user.email,
        password: user.password,
      });
      const me = await ok<{ selectedOrganization: { id: string } | null }>(server.url, 'auth.me', undefined, {
        token: session.sessionToken,
      });
      expect(me.selectedOrganization?.id).toBe(own.id);

      // Removed from the organization they last chose: the next session starts in none.
      await ok(server.url, 'tenant.select', { tenantId: other.id }, { token: user.token });
      const removal = await call(
        server.url,
        'tenant.removeMember',
        { tenantId: other.id, userId: user.id },
        { token: inviter.token },
      );
      expect(removal.status).toBe(200);
      const next = await ok<{ sessionToken: string }>(server.url, 'auth.login', {
        email: user.email,
        password: user.password,
      });
      const after = await ok<{ selectedOrganization: unknown }>(server.url, 'auth.me', undefined, {
        token: next.sessionToken,
      });
      expect(after.selectedOrganization).toBeNull();
    });

    it('an API key can neither see nor accept invitations', async () => {
      const owner = await registerUser(server.url);
      const org = await createTenant(server.url, owner.token);
      const key = await ok<{ key: string }>(
        server.url,
        'apiKey.create',
        { tenantId: org.id, name: 'ci' },
        {
          token: owner.token,
        },
      );
      expect((await call(server.url, 'invitation.list', undefined, { token: key.key })).status).toBe(403);
      expect(
        (await call(server.url, 'invitation.accept', { tenantId: org.id }, { token: key.key })).status,
      ).toBe(403);
    });
  });
}
