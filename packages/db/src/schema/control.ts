import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  type AnyPgColumn,
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
    /**
     * The organization the user last chose (created, selected or accepted): a new session starts
     * there, never in an organization the user did not choose. Null until they choose one.
     */
    lastTenantId: uuid('last_tenant_id').references((): AnyPgColumn => tenants.id, { onDelete: 'set null' }),
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

/**
 * Pending invitations: a membership exists only once the invitee accepts. Keyed by the lowercased
 * email, so an invitation waits for an address that has no account yet.
 */
export const tenantInvitations = pgTable(
  'tenant_invitations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.email] }), index('tenant_invitations_email_idx').on(t.email)],
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
    /** Where the session was opened, so its owner can tell their sessions apart. */
    userAgent: text('user_agent'),
    ip: text('ip'),
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

/**
 * Sign-in failures counted per key ('account:<email>' or 'ip:<address>') in a window that starts
 * with the first failure. Every attempt bumps its counters in one UPSERT before the password is
 * checked, so the limit holds however many requests or processes race.
 */
export const loginLimits = pgTable('login_limits', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: instant('window_started_at').notNull().default(sql`now()`),
});

/** `stored`: a download of a backup the server keeps (no quota); the backup's id is in the signed link. */
export const BACKUP_TOKEN_PURPOSES = ['export', 'import', 'stored'] as const;

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

/** `stored`: a backup the server wrote into its backup directory (scheduled, run now, or by the CLI). */
export const BACKUP_EVENT_KINDS = ['export', 'restore', 'stored'] as const;
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
    /** While `running`: the last time its process said it is alive (database clock); see liveness. */
    heartbeatAt: instant('heartbeat_at'),
    error: text('error'),
    /** Stored backups: whether the written file was read back and passed the checks of verify. */
    verified: boolean('verified'),
  },
  (t) => [index('backup_events_tenant_kind_idx').on(t.tenantId, t.kind, t.startedAt)],
);

export const BACKUP_FREQUENCIES = ['off', 'daily', 'weekly'] as const;

/** Automatic backups of one organization, set by its owners. */
export const backupSchedules = pgTable('backup_schedules', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  frequency: text('frequency', { enum: BACKUP_FREQUENCIES }).notNull(),
  /** Hour of the day, UTC, 0-23. */
  hour: integer('hour').notNull(),
  /** How many verified backups to keep, 1-90. */
  keep: integer('keep').notNull(),
  /** age public keys (age1…); when any, the stored files are encrypted to them. */
  recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
  /** When the schedule was last changed: slots before it are never run late. */
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
});

export const STORED_BACKUP_TRIGGERS = ['schedule', 'manual', 'cli'] as const;
export const STORED_BACKUP_STATUSES = ['running', 'verified', 'failed', 'deleted'] as const;

/**
 * Backups the server keeps in its backup directory. A row is written before the file; the file
 * counts (is listed, downloadable, kept by rotation) only once `status` is `verified`. The unique
 * (tenant, slot) is the claim that makes a scheduled slot run once whatever the number of servers.
 */
export const storedBackups = pgTable(
  'stored_backups',
  {
    id: idColumn().primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: STORED_BACKUP_TRIGGERS }).notNull(),
    /** The scheduled instant this run is for (scheduled runs only). */
    slot: instant('slot'),
    status: text('status', { enum: STORED_BACKUP_STATUSES }).notNull().default('running'),
    /** The file's name inside the organization's folder of the backup directory. */
    fileName: text('file_name').notNull(),
    encrypted: boolean('encrypted').notNull(),
    bytes: bigint('bytes', { mode: 'number' }),
    totalRows: bigint('total_rows', { mode: 'number' }),
    sha256: text('sha256'),
    eventId: uuid('event_id').references(() => backupEvents.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    finishedAt: instant('finished_at'),
    error: text('error'),
    /** The off-site hook's outcome: null (no hook), `succeeded`, or why it failed. */
    hookOutcome: text('hook_outcome'),
  },
  (t) => [
    uniqueIndex('stored_backups_tenant_slot_key').on(t.tenantId, t.slot),
    index('stored_backups_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/** Instance-wide settings such as this server's instance id (written into archives as the source). */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: createdAt(),
});
