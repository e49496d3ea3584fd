import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { isUniqueViolation, users } from '@hisaabo/db';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.ts';
import {
  findMembership,
  findUserByEmail,
  hashPassword,
  replacePassword,
  startingOrganization,
  verifyAgainstNothing,
  verifyPassword,
} from '@hisaabo/domain';
import { claimLoginAttempt, loginBlockedMessage, recordLoginSuccess } from '../auth/login-limiter.ts';
import {
  createSession,
  listLiveSessions,
  revokeAllSessions,
  revokeOwnSession,
  revokeSession,
} from '../auth/sessions.ts';
import { secureCookies } from '../config.ts';
import type { Context } from '../context.ts';
import { visibleOrganizations, withRole } from '../tenancy/session-organizations.ts';
import { protectedProcedure, publicProcedure, requireSession, router } from '../trpc.ts';
import { emailInput, idInput, passwordInput, personNameInput } from '../validation.ts';

async function startSession(ctx: Context, user: { id: string; email: string; name: string }) {
  // Start in the organization the user last chose (never merely the first they belong to), so a
  // client can go on working without calling tenant.select.
  const session = await createSession(ctx.db, user.id, await startingOrganization(ctx.db, user.id), {
    userAgent: ctx.req.headers.get('user-agent'),
    ip: ctx.clientIp,
  });
  ctx.resHeaders.append('set-cookie', sessionCookie(session.token, secureCookies(ctx.config)));
  return { user, sessionToken: session.token, expiresAt: session.expiresAt };
}

export const authRouter = router({
  register: publicProcedure
    .input(z.object({ email: emailInput, password: passwordInput, name: personNameInput }))
    .mutation(async ({ ctx, input }) => {
      const passwordHash = await hashPassword(input.password);
      let user: { id: string; email: string; name: string } | undefined;
      try {
        [user] = await ctx.db
          .insert(users)
          .values({ email: input.email, name: input.name, passwordHash })
          .returning({ id: users.id, email: users.email, name: users.name });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new TRPCError({ code: 'CONFLICT', message: 'An account with this email already exists' });
        }
        throw error;
      }
      ctx.logger.info('user registered', { userId: user!.id });
      return startSession(ctx, user!);
    }),

  login: publicProcedure
    .input(z.object({ email: emailInput, password: z.string().min(1, 'Required').max(256) }))
    .mutation(async ({ ctx, input }) => {
      // Counted before the password is checked: attempts past the limit are never checked at all.
      const blocked = await claimLoginAttempt(ctx.db, input.email, ctx.clientIp);
      if (blocked) {
        ctx.logger.warn('login refused: too many failures', { by: blocked.by });
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: loginBlockedMessage(blocked) });
      }
      const found = await findUserByEmail(ctx.db, input.email);
      const ok = found
        ? await verifyPassword(found.passwordHash, input.password)
        : await verifyAgainstNothing(input.password);
      if (!found || !ok) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Email or password is incorrect' });
      }
      await recordLoginSuccess(ctx.db, input.email, ctx.clientIp);
      ctx.logger.info('user signed in', { userId: found.id });
      return startSession(ctx, { id: found.id, email: found.email, name: found.name });
    }),

  /** Revokes the current session (cookie or Bearer) and clears the cookie. */
  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.credential.kind !== 'session') {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'An API key is not a session; revoke it with apiKey.revoke',
      });
    }
    await revokeSession(ctx.db, ctx.credential.sessionId);
    ctx.resHeaders.append('set-cookie', clearedSessionCookie(secureCookies(ctx.config)));
    return { ok: true as const };
  }),

  /**
   * Changes the caller's password after checking the current one (counted like a sign-in attempt),
   * and signs out every other session of theirs; this one stays signed in.
   */
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: z.string().min(1, 'Required').max(256), newPassword: passwordInput }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requireSession(ctx, 'change a password');
      const blocked = await claimLoginAttempt(ctx.db, ctx.user.email, ctx.clientIp);
      if (blocked) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: loginBlockedMessage(blocked) });
      const found = await findUserByEmail(ctx.db, ctx.user.email);
      if (!found || !(await verifyPassword(found.passwordHash, input.currentPassword))) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'currentPassword: the current password is incorrect',
        });
      }
      await recordLoginSuccess(ctx.db, ctx.user.email, ctx.clientIp);
      const { signedOutSessions } = await replacePassword(ctx.db, found.id, input.newPassword, sessionId);
      ctx.logger.info('password changed', { userId: found.id, signedOutSessions });
      return { ok: true as const, signedOutSessions };
    }),

  /** Signs out every session of the caller, this one included, and clears the cookie. */
  logoutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    requireSession(ctx, 'sign out sessions');
    const signedOutSessions = await revokeAllSessions(ctx.db, ctx.user.id);
    ctx.resHeaders.append('set-cookie', clearedSessionCookie(secureCookies(ctx.config)));
    ctx.logger.info('signed out everywhere', { userId: ctx.user.id, signedOutSessions });
    return { ok: true as const, signedOutSessions };
  }),

  /** The caller's live sessions, newest first; `current` marks the one making this request. */
  sessions: protectedProcedure.query(async ({ ctx }) => {
    const sessionId = requireSession(ctx, 'list sessions');
    const live = await listLiveSessions(ctx.db, ctx.user.id);
    return live.map((session) => ({ ...session, current: session.id === sessionId }));
  }),

  /** Signs out one of the caller's other sessions (auth.logout ends the current one). */
  revokeSession: protectedProcedure
    .input(z.object({ sessionId: idInput }))
    .mutation(async ({ ctx, input }) => {
      requireSession(ctx, 'sign out sessions');
      if (!(await revokeOwnSession(ctx.db, ctx.user.id, input.sessionId))) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such live session of yours' });
      }
      return { sessionId: input.sessionId, revoked: true as const };
    }),

  /** The caller, their organizations and the selected one. Works for a user with no organization. */
  me: protectedProcedure.query(async ({ ctx }) => {
    const { credential } = ctx;
    const memberships = await visibleOrganizations(ctx);
    const selectedRef = credential.kind === 'apiKey' ? credential.tenantId : credential.selectedTenantId;
    const selected = selectedRef ? await findMembership(ctx.db, ctx.user.id, selectedRef) : undefined;
    return {
      user: ctx.user,
      authenticatedWith: credential.kind,
      organizations: memberships.map(withRole),
      selectedOrganization: selected ? withRole(selected) : null,
    };
  }),
});
