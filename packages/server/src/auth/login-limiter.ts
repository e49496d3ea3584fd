import { sql } from 'drizzle-orm';
import { loginLimits, queryRows, type Db } from '@hisaabo/db';

/**
 * Password guessing is limited in the database, so the limit holds across restarts and across every
 * server process: an account locks after `perAccount` failures in the window (a success resets it),
 * a client address after `perIp` failures in the window whatever the accounts tried. The window
 * starts with the first failure.
 */
export const LOGIN_LIMITS = { windowMinutes: 15, perAccount: 5, perIp: 20 } as const;

export interface LoginBlock {
  by: 'account' | 'ip';
  /** Whole minutes until the window that blocks ends (at least 1). */
  retryAfterMinutes: number;
}

const accountKey = (email: string) => `account:${email.toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

/**
 * Counts one attempt against the account and the address before any password is checked, in one
 * UPSERT that locks both counters: however many attempts race (a tRPC batch, parallel requests,
 * several processes), each gets its own number, so no more than the limit are ever checked. Returns
 * the block when this attempt is past a limit; the password must then not be checked at all.
 * The account's row is always locked before the address's, so concurrent attempts cannot deadlock.
 */
export async function claimLoginAttempt(db: Db, email: string, ip: string): Promise<LoginBlock | null> {
  const window = sql`make_interval(mins => ${LOGIN_LIMITS.windowMinutes})`;
  const rows = await queryRows<{ key: string; failures: number | string; seconds_left: number | string }>(
    db,
    sql`insert into ${loginLimits} as l (key, failures, window_started_at)
      values (${accountKey(email)}, 1, now()), (${ipKey(ip)}, 1, now())
      on conflict (key) do update set
        failures = case when l.window_started_at <= now() - ${window} then 1 else l.failures + 1 end,
        window_started_at = case when l.window_started_at <= now() - ${window} then now()
                                 else l.window_started_at end
      returning key, failures,
        extract(epoch from (window_started_at + ${window} - now())) as seconds_left`,
  );
  // Counters whose window ended long ago count for nothing; trim them now and then.
  if (Math.random() < 0.02) {
    await db.delete(loginLimits).where(sql`window_started_at < now() - interval '1 day'`);
  }
  for (const row of rows) {
    const account = row.key.startsWith('account:');
    const limit = account ? LOGIN_LIMITS.perAccount : LOGIN_LIMITS.perIp;
    if (Number(row.failures) > limit) {
      return {
        by: account ? 'account' : 'ip',
        retryAfterMinutes: Math.max(1, Math.ceil(Number(row.seconds_left) / 60)),
      };
    }
  }
  return null;
}

/** The attempt claimed for this account succeeded: the account starts afresh, the address gets its count back. */
export async function recordLoginSuccess(db: Db, email: string, ip: string): Promise<void> {
  await db.execute(
    sql`update ${loginLimits} set failures = case when key = ${accountKey(email)} then 0
                                             else greatest(failures - 1, 0) end
        where key in (${accountKey(email)}, ${ipKey(ip)})`,
  );
}

export function loginBlockedMessage(block: LoginBlock): string {
  const minutes = block.retryAfterMinutes === 1 ? '1 minute' : `${block.retryAfterMinutes} minutes`;
  return `Too many failed sign-in attempts; try again in ${minutes}`;
}
