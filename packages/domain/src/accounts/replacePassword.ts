import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { sessions, users, type Db } from '@hisaabo/db';
import { hashPassword } from './passwords.ts';

/**
 * Sets a user's password and signs out every session of theirs except `keepSessionId` (the one that
 * asked for the change, if any), in one transaction: whoever knew the old password is out at once.
 * API keys are not sessions and stay valid. Returns how many sessions were signed out.
 */
export async function replacePassword(
  db: Db,
  userId: string,
  newPassword: string,
  keepSessionId?: string,
): Promise<{ signedOutSessions: number }> {
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
        ),
      )
      .returning({ id: sessions.id });
    return { signedOutSessions: revoked.length };
  });
}

/** The account with this email (compared without case), if any. */
export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row;
}
