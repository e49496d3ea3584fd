import { initTRPC, TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { businesses, jsonValueProblem, type Role } from '@hisaabo/db';
import {
  canWrite,
  DomainError,
  findMembership,
  looksLikeUuid,
  type Membership,
  requireRole,
  type TenantInfo,
} from '@hisaabo/domain';
import type { Context } from './context.ts';
import { formatError } from './errors.ts';

// No transformer: requests and responses are plain JSON, so curl and any HTTP client can call the API.
const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter: ({ shape, error, ctx }) => formatError({ shape, error, requestId: ctx?.requestId }),
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/**
 * A refused business rule (a DomainError, from the domain or from a role check) answers with its own
 * code and message (403 forbidden, 404 not found, 400 bad input, 409 conflict, 412 precondition)
 * instead of a hidden internal error. The outermost middleware of every procedure, so it sees what
 * the access checks after it throw too.
 */
const domainErrors = middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/**
 * Every procedure's input first: a string with a lone UTF-16 surrogate (JSON allows the escape
 * "\ud800", UTF-8 has no form for it, so the database would store U+FFFD instead) or a value nested
 * deeper than MAX_JSON_DEPTH is refused with 400, so what is stored is exactly what was sent, and
 * whatever is stored can be exported and restored.
 */
const exactInput = t.procedure.use(domainErrors).use(async ({ getRawInput, next }) => {
  // Input that cannot be read is left to the procedure, which knows whether it takes any.
  const raw = await getRawInput().catch(() => undefined);
  const problem = jsonValueProblem(raw);
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: `input: ${problem}` });
  return next();
});

/** Anyone, signed in or not. */
export const publicProcedure = exactInput;

/** A signed-in user (session cookie, session Bearer token or API key). */
export const protectedProcedure = exactInput.use(({ ctx, next }) => {
  const auth = ctx.authentication;
  if (auth.status !== 'authenticated') {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message:
        auth.status === 'invalid'
          ? 'Your session or API key is invalid, expired or revoked'
          : 'Please sign in',
    });
  }
  return next({ ctx: { user: auth.user, credential: auth.credential } });
});

export type ProtectedContext = Context & {
  user: NonNullable<Context['user']>;
  credential: NonNullable<Context['credential']>;
};

/** The caller's session id; FORBIDDEN for an API key, which acts for one organization, not for the account. */
export function requireSession(ctx: ProtectedContext, action: string): string {
  if (ctx.credential.kind !== 'session') {
    throw new TRPCError({ code: 'FORBIDDEN', message: `An API key cannot ${action}; sign in instead` });
  }
  return ctx.credential.sessionId;
}

/**
 * The caller's membership in the organization `ref` (id or slug), for procedures that name the
 * organization in their input. Throws FORBIDDEN when the organization does not exist, the caller
 * is not a member, it is not active, or an API key bound to another organization is used; and when
 * `roles` is given and the caller's role is not among them.
 */
export async function requireTenantAccess(
  ctx: ProtectedContext,
  ref: string,
  roles?: readonly Role[],
): Promise<Membership> {
  const membership = await findMembership(ctx.db, ctx.user.id, ref);
  if (!membership) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Organization "${ref}" does not exist or you are not a member of it`,
    });
  }
  if (ctx.credential.kind === 'apiKey' && ctx.credential.tenantId !== membership.tenant.id) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This API key belongs to another organization' });
  }
  if (membership.tenant.status !== 'active') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Organization "${membership.tenant.slug}" is suspended`,
    });
  }
  if (roles) requireRole(membership.role, roles);
  return membership;
}

/** The organization a tenant procedure acts on: the x-tenant-id header, else the key's or session's. */
function tenantRef(ctx: ProtectedContext): string | undefined {
  const header = ctx.req.headers.get('x-tenant-id')?.trim();
  if (header) return header;
  return ctx.credential.kind === 'apiKey'
    ? ctx.credential.tenantId
    : (ctx.credential.selectedTenantId ?? undefined);
}

/**
 * A member of an active organization. The organization comes from the `x-tenant-id` header (id or
 * slug), else the API key's organization, else the session's selected one. Viewers may call queries
 * only: every mutation through this procedure (and those built on it) is refused to them.
 */
export const tenantProcedure = protectedProcedure.use(async ({ ctx, type, next }) => {
  const ref = tenantRef(ctx);
  if (!ref) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'No organization chosen: send the x-tenant-id header (id or slug) or call tenant.select',
    });
  }
  const { tenant, role } = await requireTenantAccess(ctx, ref);
  if (type === 'mutation' && !canWrite(role)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Viewers can read but not make changes' });
  }
  return next({ ctx: { tenant, role } });
});

export type TenantContext = ProtectedContext & { tenant: TenantInfo; role: Role };

/** A tenant procedure whose caller must have one of `roles`. */
export function tenantProcedureWithRole(...roles: Role[]) {
  return tenantProcedure.use(({ ctx, next }) => {
    requireRole(ctx.role, roles);
    return next();
  });
}

/** A tenant procedure plus an `x-business-id` header naming a business of that organization. */
export const businessProcedure = tenantProcedure.use(async ({ ctx, next }) => {
  const businessId = ctx.req.headers.get('x-business-id')?.trim();
  if (!businessId) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Send the x-business-id header naming a business' });
  }
  const found =
    looksLikeUuid(businessId) &&
    (
      await ctx.db
        .select({ id: businesses.id })
        .from(businesses)
        .where(and(eq(businesses.tenantId, ctx.tenant.id), eq(businesses.id, businessId.toLowerCase())))
        .limit(1)
    ).length > 0;
  if (!found) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `Business ${businessId} not found in this organization`,
    });
  }
  return next({ ctx: { businessId: businessId.toLowerCase() } });
});

export type BusinessContext = TenantContext & { businessId: string };

/** A business procedure whose caller must have one of `roles`. */
export function businessProcedureWithRole(...roles: Role[]) {
  return businessProcedure.use(({ ctx, next }) => {
    requireRole(ctx.role, roles);
    return next();
  });
}

/** Who acts where, as the domain wants it. */
export const actor = (ctx: BusinessContext) => ({
  tenantId: ctx.tenant.id,
  businessId: ctx.businessId,
  userId: ctx.user.id,
});

export type { Context, Membership, TenantInfo };
