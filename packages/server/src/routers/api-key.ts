import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { apiKeys } from '@hisaabo/db';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.ts';
import { protectedProcedure, requireTenantAccess, router } from '../trpc.ts';
import { idInput, tenantRefInput } from '../validation.ts';

// An API key acts as its user, inside one organization, with the user's current role there:
// demoting or removing the user limits or stops the key at once.
export const apiKeyRouter = router({
  /** Returns the key itself once; only its hash is kept. */
  create: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, name: z.string().trim().min(1, 'Required').max(100) }))
    .mutation(async ({ ctx, input }) => {
      // A leaked key must not be able to mint successors that outlive its revocation.
      if (ctx.credential.kind === 'apiKey') {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'API keys can only be created from a signed-in session',
        });
      }
      const { tenant } = await requireTenantAccess(ctx, input.tenantId);
      const created = await createApiKey(ctx.db, {
        userId: ctx.user.id,
        tenantId: tenant.id,
        name: input.name,
      });
      ctx.logger.info('api key created', { apiKeyId: created.id, tenantId: tenant.id });
      return created;
    }),

  /** The caller's own keys in one organization (never the secrets). */
  list: protectedProcedure.input(z.object({ tenantId: tenantRefInput })).query(async ({ ctx, input }) => {
    const { tenant } = await requireTenantAccess(ctx, input.tenantId);
    return listApiKeys(ctx.db, ctx.user.id, tenant.id);
  }),

  revoke: protectedProcedure.input(z.object({ id: idInput })).mutation(async ({ ctx, input }) => {
    const { credential } = ctx;
    const [key] = await ctx.db
      .select({ tenantId: apiKeys.tenantId })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.userId, ctx.user.id)))
      .limit(1);
    const reachable = key && (credential.kind !== 'apiKey' || credential.tenantId === key.tenantId);
    const revoked = reachable ? await revokeApiKey(ctx.db, ctx.user.id, input.id) : undefined;
    if (!revoked) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such active API key of yours' });
    ctx.logger.info('api key revoked', { apiKeyId: revoked.id });
    return revoked;
  }),
});
