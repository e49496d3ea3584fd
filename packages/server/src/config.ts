import { pgliteDirectoryIn } from '@hisaabo/db';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Server settings, all from the environment, validated once at start. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  HISAABO_DATA_DIR: z.string().default('data'),
  NODE_ENV: z.string().default('development'),
  /** debug | info | warn | error | silent */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (otherwise it is spoofable). */
  TRUST_PROXY: booleanFlag.default(false),
  /** Largest accepted tRPC/JSON request body, in bytes. */
  MAX_JSON_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Mark the session cookie `Secure`; on by default in production, where the server sits behind HTTPS. */
  SECURE_COOKIES: booleanFlag.optional(),
  /** Signs backup links; generated and kept in the data directory when unset (required in production). */
  HISAABO_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** Public origin (https://books.example.com): when set, signed backup links are absolute. */
  HISAABO_PUBLIC_URL: z.string().url().optional(),
  /** Largest compressed backup upload accepted (streamed and counted, never buffered: 10 GiB). */
  HISAABO_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 3),
  /** Largest decompressed backup archive a restore reads (a guard against gzip bombs: 50 GiB). */
  HISAABO_MAX_ARCHIVE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 ** 3),
  /** Where stored backups are written, a folder per organization (default: `<HISAABO_DATA_DIR>/backups`). */
  HISAABO_BACKUP_DIR: z.string().min(1).optional(),
  /** Stored backups written at the same time by one process, so interactive use stays fast. */
  HISAABO_BACKUP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** A command run after each stored backup (off-site copy); given the file in its environment. */
  HISAABO_BACKUP_HOOK: z.string().min(1).optional(),
  /** The hook is killed after this many seconds, and its run recorded as failed. */
  HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(600),
  /**
   * Seconds a backup download may go without the client reading, or an upload without the client
   * sending, before it is cut off (it then holds no connection, snapshot or file any longer).
   */
  HISAABO_IDLE_TRANSFER_TIMEOUT: z.coerce.number().positive().max(86_400).default(120),
  /** `off` stops this process from running the recurring-invoice and stored-backup schedulers. */
  HISAABO_SCHEDULER: z.enum(['on', 'off']).default('on'),
});

/** The settings plus the paths derived from them, so each path is spelled in one place. */
const configSchema = envSchema.transform((env) => ({
  ...env,
  /** The embedded database's folder, `<HISAABO_DATA_DIR>/pglite`, made absolute. */
  pgliteDir: pgliteDirectoryIn(env.HISAABO_DATA_DIR),
}));

export type ServerConfig = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

export function secureCookies(config: ServerConfig): boolean {
  return config.SECURE_COOKIES ?? config.NODE_ENV === 'production';
}
