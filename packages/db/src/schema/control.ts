import { sql } from 'drizzle-orm';
import {
  boolean,
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, idColumn, instant } from './columns.ts';

// Control tables: accounts, organizations and bookkeeping. They are not organization data and are
// never written to a backup archive.

export const users = pgTable(
  'users',
  {
    id: idColumn().primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const TENANT_STATUSES = ['active', 'suspended', 'deleted'] as const;

export const tenants = pgTable(
  'tenants',
  {
    id: idColumn().primaryKey(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    status: text('status', { enum: TENANT_STATUSES }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tenants_slug_key').on(t.slug)],
);

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const tenantMembers = pgTable(
  'tenant_members',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('tenant_members_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: idColumn().primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    selectedTenantId: uuid('selected_tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: idColumn().primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, shown in lists so a user can tell keys apart. */
    keyPrefix: text('key_prefix').notNull(),
    createdAt: createdAt(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_key_hash_key').on(t.keyHash), index('api_keys_user_idx').on(t.userId)],
);

/** Failed logins, per account and per client address, for slowing down password guessing. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: idColumn().primaryKey(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('login_attempts_email_idx').on(t.email, t.createdAt),
    index('login_attempts_ip_idx').on(t.ip, t.createdAt),
  ],
);

export const BACKUP_TOKEN_PURPOSES = ['export', 'import'] as const;

/** Signed backup URLs issued; `used_at` makes each single-use across processes and restarts. */
export const backupTokens = pgTable(
  'backup_tokens',
  {
    id: idColumn().primaryKey(),
    purpose: text('purpose', { enum: BACKUP_TOKEN_PURPOSES }).notNull(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    issuedAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [index('backup_tokens_tenant_idx').on(t.tenantId)],
);

export const BACKUP_EVENT_KINDS = ['export', 'restore'] as const;
/**
 * `cancelled`: a download the client stopped after its first byte (it counts against the export
 * limit); `failed`: the server's own failure, or a refusal (never counted).
 */
export const BACKUP_EVENT_OUTCOMES = ['running', 'succeeded', 'cancelled', 'failed'] as const;

/** Every export and restore: the audit trail owners can list, and the durable export rate limit. */
export const backupEvents = pgTable(
  'backup_events',
  {
    id: idColumn().primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: BACKUP_EVENT_KINDS }).notNull(),
    outcome: text('outcome', { enum: BACKUP_EVENT_OUTCOMES }).notNull().default('running'),
    startedAt: createdAt(),
    finishedAt: instant('finished_at'),
    bytes: bigint('bytes', { mode: 'number' }),
    rows: jsonb('rows').$type<Record<string, number>>(),
    durationMs: integer('duration_ms'),
    error: text('error'),
  },
  (t) => [index('backup_events_tenant_kind_idx').on(t.tenantId, t.kind, t.startedAt)],
);

/** Instance-wide settings such as this server's instance id (written into archives as the source). */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: createdAt(),
});
