import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { sessions, users, type Db } from '@hisaabo/db';
import { SESSION_TTL_MS } from './cookies.ts';
import { hashToken, newSessionToken } from './tokens.ts';

export interface NewSession {
  sessionId: string;
  /** The bearer secret: returned to the client once, never stored. */
  token: string;
  expiresAt: string;
}

/** Where a session was opened from, shown to its owner in the list of sessions. */
export interface SessionOrigin {
  userAgent: string | null;
  ip: string;
}

/** The longest user agent kept: enough to tell browsers apart, not a place to store a novel. */
const USER_AGENT_MAX = 300;

export async function createSession(
  db: Db,
  userId: string,
  selectedTenantId: string | null,
  origin?: SessionOrigin,
): Promise<NewSession> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      tokenHash: hashToken(token),
      selectedTenantId,
      expiresAt,
      userAgent: origin?.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      ip: origin?.ip ?? null,
    })
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

export interface SessionSummary {
  id: string;
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

/** The user's live sessions, newest first. */
export function listLiveSessions(db: Db, userId: string): Promise<SessionSummary[]> {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.createdAt));
}

/** Signs out one of the user's own live sessions; false when they have no such session. */
export async function revokeOwnSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Signs out every session of the user; returns how many there were. */
export async function revokeAllSessions(db: Db, userId: string): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}
