import { eq } from 'drizzle-orm';
import { Encrypter } from 'age-encryption';
import { z } from 'zod';
import { BACKUP_FREQUENCIES, backupSchedules, type Db } from '@hisaabo/db';

export type BackupFrequency = (typeof BACKUP_FREQUENCIES)[number];

/** An age public key this server can encrypt to; anything else is refused when the schedule is set. */
export function isAgeRecipient(value: string): boolean {
  try {
    new Encrypter().addRecipient(value);
    return value.startsWith('age1');
  } catch {
    return false;
  }
}

export const recipientsInput = z
  .array(
    z
      .string()
      .trim()
      .max(200)
      .refine(isAgeRecipient, { message: 'Not an age public key: expected age1… (from `age-keygen -y`)' }),
  )
  .max(20)
  .refine((keys) => new Set(keys).size === keys.length, { message: 'A recipient is listed twice' });

export const keepInput = z.number().int().min(1, 'Keep at least 1').max(90, 'Keep at most 90');

export const scheduleFields = {
  frequency: z.enum(BACKUP_FREQUENCIES),
  /** Hour of the day in UTC. */
  hour: z.number().int().min(0).max(23),
  keep: keepInput,
  recipients: recipientsInput,
};

export interface BackupSchedule {
  frequency: BackupFrequency;
  hour: number;
  keep: number;
  recipients: string[];
  /** When it was last set (ISO-8601); null when it never was. */
  updatedAt: string | null;
}

/** Before an owner sets anything: off, with the values the form starts from. */
export const DEFAULT_SCHEDULE: BackupSchedule = {
  frequency: 'off',
  hour: 2,
  keep: 7,
  recipients: [],
  updatedAt: null,
};

export async function readSchedule(db: Db, tenantId: string): Promise<BackupSchedule> {
  const [row] = await db.select().from(backupSchedules).where(eq(backupSchedules.tenantId, tenantId));
  if (!row) return DEFAULT_SCHEDULE;
  return {
    frequency: row.frequency,
    hour: row.hour,
    keep: row.keep,
    recipients: row.recipients,
    updatedAt: row.updatedAt,
  };
}

export async function writeSchedule(
  db: Db,
  tenantId: string,
  schedule: Omit<BackupSchedule, 'updatedAt'>,
): Promise<BackupSchedule> {
  const values = { ...schedule, updatedAt: new Date().toISOString() };
  await db
    .insert(backupSchedules)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: backupSchedules.tenantId, set: values });
  return readSchedule(db, tenantId);
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** Weekly backups run on Mondays (UTC), at the schedule's hour. */
const WEEKLY_DAY = 1;

export function intervalMs(frequency: Exclude<BackupFrequency, 'off'>): number {
  return frequency === 'daily' ? DAY_MS : 7 * DAY_MS;
}

/** The latest scheduled instant at or before `now`, or null when the schedule is off. */
export function latestSlot(schedule: Pick<BackupSchedule, 'frequency' | 'hour'>, now: Date): Date | null {
  if (schedule.frequency === 'off') return null;
  let slot = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), schedule.hour);
  if (slot > now.getTime()) slot -= DAY_MS;
  if (schedule.frequency === 'weekly') {
    const back = (new Date(slot).getUTCDay() - WEEKLY_DAY + 7) % 7;
    slot -= back * DAY_MS;
  }
  return new Date(slot);
}

/**
 * The slot to run now, if any: the latest one, unless it passed before the schedule was set (a
 * schedule turned on at 10:00 for 02:00 first runs tomorrow, not late today). A slot missed while
 * every server was down runs when one comes back; older missed slots are not made up.
 */
export function dueSlot(schedule: BackupSchedule, now: Date): Date | null {
  const slot = latestSlot(schedule, now);
  if (!slot) return null;
  if (schedule.updatedAt && slot.getTime() < Date.parse(schedule.updatedAt)) return null;
  return slot;
}
