import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@hisaabo/db';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.ts';
import { LOGIN_LIMITS, loginBlocked, recordLoginAttempt } from '../auth/loginLimiter.ts';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../auth/passwords.ts';
import { createSession, revokeSession } from '../auth/sessions.ts';
import { secureCookies } from '../config.ts';
import type { Context } from '../context.ts';
import { isUniqueViolation } from '../errors.ts';
import { findMembership, listMemberships } from '../tenancy/membership.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';
import { emailInput, passwordInput, personNameInput } from '../validation.ts';

async function startSession(ctx: Context, user: { id: string; email: string; name: string }) {
  // Land in the user's first organization, so a client can work without calling tenant.select.
  const [first] = await listMemberships(ctx.db, user.id);
  const session = await createSession(ctx.db, user.id, first?.tenant.id ?? null);
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
      const blocked = await loginBlocked(ctx.db, input.email, ctx.clientIp);
      if (blocked) {
        ctx.logger.warn('login refused: too many failures', { by: blocked });
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many failed sign-in attempts; try again in ${LOGIN_LIMITS.windowMinutes} minutes`,
        });
      }
      const [found] = await ctx.db
        .select()
        .from(users)
        .where(eq(sql`lower(${users.email})`, input.email))
        .limit(1);
      const ok = found
        ? await verifyPassword(found.passwordHash, input.password)
        : await verifyAgainstNothing(input.password);
      await recordLoginAttempt(ctx.db, input.email, ctx.clientIp, ok);
      if (!found || !ok) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Email or password is incorrect' });
      }
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

  /** The caller, their organizations and the selected one. Works for a user with no organization. */
  me: protectedProcedure.query(async ({ ctx }) => {
    const { credential } = ctx;
    const all = await listMemberships(ctx.db, ctx.user.id);
    // An API key sees only the organization it is bound to.
    const memberships =
      credential.kind === 'apiKey' ? all.filter((m) => m.tenant.id === credential.tenantId) : all;
    const selectedRef = credential.kind === 'apiKey' ? credential.tenantId : credential.selectedTenantId;
    const selected = selectedRef ? await findMembership(ctx.db, ctx.user.id, selectedRef) : undefined;
    return {
      user: ctx.user,
      authenticatedWith: credential.kind,
      organizations: memberships.map((m) => ({ ...m.tenant, role: m.role })),
      selectedOrganization: selected ? { ...selected.tenant, role: selected.role } : null,
    };
  }),
});
