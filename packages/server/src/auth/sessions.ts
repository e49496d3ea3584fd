import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { sessions, users, type Db } from '@hisaabo/db';
import { SESSION_TTL_MS } from './cookies.ts';
import { hashToken, newSessionToken } from './tokens.ts';

export interface NewSession {
  sessionId: string;
  /** The bearer secret: returned to the client once, never stored. */
  token: string;
  expiresAt: string;
}

export async function createSession(
  db: Db,
  userId: string,
  selectedTenantId: string | null,
): Promise<NewSession> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
  const [row] = await db
    .insert(sessions)
    .values({ userId, tokenHash: hashToken(token), selectedTenantId, expiresAt })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  return { sessionId: row!.id, token, expiresAt: row!.expiresAt };
}

/** The live (unexpired, unrevoked) session for a token, with its user. */
export async function findSession(db: Db, token: string) {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      selectedTenantId: sessions.selectedTenantId,
      expiresAt: sessions.expiresAt,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return row;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function selectTenantForSession(
  db: Db,
  sessionId: string,
  tenantId: string | null,
): Promise<void> {
  await db.update(sessions).set({ selectedTenantId: tenantId }).where(eq(sessions.id, sessionId));
}
