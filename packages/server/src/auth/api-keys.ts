import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { apiKeys, users, type Db } from '@hisaabo/db';
import { hashToken, newApiKey } from './tokens.ts';

const SHOWN_PREFIX_LENGTH = 12;

export interface ApiKeySummary {
  id: string;
  tenantId: string;
  name: string;
  keyPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const summaryColumns = {
  id: apiKeys.id,
  tenantId: apiKeys.tenantId,
  name: apiKeys.name,
  keyPrefix: apiKeys.keyPrefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export async function createApiKey(
  db: Db,
  input: { userId: string; tenantId: string; name: string },
): Promise<ApiKeySummary & { key: string }> {
  const key = newApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ ...input, keyHash: hashToken(key), keyPrefix: key.slice(0, SHOWN_PREFIX_LENGTH) })
    .returning(summaryColumns);
  return { ...row!, key };
}

export function listApiKeys(db: Db, userId: string, tenantId: string): Promise<ApiKeySummary[]> {
  return db
    .select(summaryColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), eq(apiKeys.tenantId, tenantId)))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revokes one of the user's own keys; false when there is no such live key. */
export async function revokeApiKey(db: Db, userId: string, id: string): Promise<ApiKeySummary | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning(summaryColumns);
  return row;
}

/** The live key for a secret, with its user; records the use (at most once a minute, to spare writes). */
export async function findApiKey(db: Db, key: string) {
  const [row] = await db
    .select({
      apiKeyId: apiKeys.id,
      tenantId: apiKeys.tenantId,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (row) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.apiKeyId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      );
  }
  return row;
}
