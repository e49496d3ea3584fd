import { sql } from 'drizzle-orm';
import { loginAttempts, queryRows, type Db } from '@hisaabo/db';

/**
 * Password guessing is limited in the database, so the limit holds across restarts and across every
 * server process: an account locks after `perAccount` failures in the window (a success resets it),
 * a client address after `perIp` failures in the window whatever the accounts tried.
 */
export const LOGIN_LIMITS = { windowMinutes: 15, perAccount: 5, perIp: 20 } as const;

export type LoginBlock = 'account' | 'ip';

export async function loginBlocked(db: Db, email: string, ip: string): Promise<LoginBlock | null> {
  const window = sql`now() - make_interval(mins => ${LOGIN_LIMITS.windowMinutes})`;
  const [row] = await queryRows<{ account: number | string; ip: number | string }>(
    db,
    sql`select
      (select count(*) from ${loginAttempts}
         where email = ${email} and not succeeded and created_at > greatest(${window},
           coalesce((select max(created_at) from ${loginAttempts} where email = ${email} and succeeded),
                    '-infinity'::timestamptz))) as account,
      (select count(*) from ${loginAttempts}
         where ip = ${ip} and not succeeded and created_at > ${window}) as ip`,
  );
  if (Number(row?.account ?? 0) >= LOGIN_LIMITS.perAccount) return 'account';
  if (Number(row?.ip ?? 0) >= LOGIN_LIMITS.perIp) return 'ip';
  return null;
}

export async function recordLoginAttempt(
  db: Db,
  email: string,
  ip: string,
  succeeded: boolean,
): Promise<void> {
  await db.insert(loginAttempts).values({ email, ip, succeeded });
  // Attempts older than a day no longer count for anything; trim them now and then.
  if (Math.random() < 0.02) {
    await db.delete(loginAttempts).where(sql`created_at < now() - interval '1 day'`);
  }
}
