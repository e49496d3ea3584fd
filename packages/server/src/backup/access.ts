import { TRPCError } from '@trpc/server';
import { requireTenantAccess, type Membership, type ProtectedContext } from '../trpc.ts';
import { OWNERS_ONLY_MESSAGE } from './ownership.ts';

/** The caller's membership in an active organization they own; FORBIDDEN for every other role. */
export async function requireOwnerAccess(ctx: ProtectedContext, tenantId: string): Promise<Membership> {
  const membership = await requireTenantAccess(ctx, tenantId);
  if (membership.role !== 'owner') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `${OWNERS_ONLY_MESSAGE} (you are ${membership.role})`,
    });
  }
  return membership;
}
