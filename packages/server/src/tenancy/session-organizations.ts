import { listMemberships, rememberChosenOrganization, type Membership } from '@hisaabo/domain';
import type { Role } from '@hisaabo/db';
import { selectTenantForSession } from '../auth/sessions.ts';
import type { ProtectedContext } from '../trpc.ts';

// The organization a session works in: HTTP-side glue over the domain's membership rules.

/**
 * Makes `tenantId` the session's selected organization (null: none) and remembers it as the user's
 * choice, where their next session starts.
 */
export async function chooseOrganization(
  ctx: ProtectedContext,
  sessionId: string,
  tenantId: string | null,
): Promise<void> {
  await selectTenantForSession(ctx.db, sessionId, tenantId);
  await rememberChosenOrganization(ctx.db, ctx.user.id, tenantId);
}

/** An organization as the API answers it: the organization with the caller's role in it. */
export const withRole = (m: Membership): Membership['tenant'] & { role: Role } => ({
  ...m.tenant,
  role: m.role,
});

/** The caller's organizations; an API key sees only the one it is bound to. */
export async function visibleOrganizations(ctx: ProtectedContext): Promise<Membership[]> {
  const { credential } = ctx;
  const all = await listMemberships(ctx.db, ctx.user.id);
  return credential.kind === 'apiKey' ? all.filter((m) => m.tenant.id === credential.tenantId) : all;
}
