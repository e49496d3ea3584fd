import { describe, expect, it } from 'vitest';
import { dueSlot, latestSlot } from '../../src/backup/stored/schedule.ts';
import { scheduleHealth } from '../../src/backup/stored/health.ts';
import type { StoredBackupEntry } from '../../src/backup/stored/store.ts';

describe('schedule slots', () => {
  it('daily: today at the hour once it has passed, else yesterday', () => {
    const daily = { frequency: 'daily' as const, hour: 3 };
    expect(latestSlot(daily, new Date('2026-03-10T02:59:59Z'))?.toISOString()).toBe(
      '2026-03-09T03:00:00.000Z',
    );
    expect(latestSlot(daily, new Date('2026-03-10T03:00:00Z'))?.toISOString()).toBe(
      '2026-03-10T03:00:00.000Z',
    );
  });

  it('weekly: the latest Monday at the hour', () => {
    const weekly = { frequency: 'weekly' as const, hour: 22 };
    // 2026-03-09 is a Monday.
    expect(latestSlot(weekly, new Date('2026-03-15T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T22:00:00.000Z',
    );
    expect(latestSlot(weekly, new Date('2026-03-09T21:00:00Z'))?.toISOString()).toBe(
      '2026-03-02T22:00:00.000Z',
    );
  });

  it('off has no slot; a slot that passed before the schedule was set is not run late', () => {
    expect(latestSlot({ frequency: 'off', hour: 1 }, new Date())).toBeNull();
    const schedule = {
      frequency: 'daily' as const,
      hour: 2,
      keep: 7,
      recipients: [],
      updatedAt: '2026-03-10T10:00:00.000000Z',
    };
    expect(dueSlot(schedule, new Date('2026-03-10T11:00:00Z'))).toBeNull();
    expect(dueSlot(schedule, new Date('2026-03-11T02:00:00Z'))?.toISOString()).toBe(
      '2026-03-11T02:00:00.000Z',
    );
  });
});

describe('schedule health', () => {
  const run = (over: Partial<StoredBackupEntry>): StoredBackupEntry => ({
    id: 'x',
    trigger: 'schedule',
    status: 'verified',
    fileName: 'f',
    encrypted: false,
    bytes: 1,
    totalRows: 1,
    sha256: null,
    createdAt: '2026-03-10T02:00:00.000000Z',
    finishedAt: '2026-03-10T02:00:01.000000Z',
    error: null,
    hookOutcome: null,
    ...over,
  });
  const schedule = {
    frequency: 'daily' as const,
    hour: 2,
    keep: 7,
    recipients: [],
    updatedAt: '2026-03-01T00:00:00.000000Z',
  };

  it('warns when the last automatic run failed', () => {
    const health = scheduleHealth(
      schedule,
      [run({ status: 'failed', error: 'the disk is full' }), run({})],
      new Date('2026-03-10T03:00:00Z'),
    );
    expect(health.warning).toBe('The last automatic backup failed: the disk is full');
  });

  it('warns when none succeeded within twice the interval, and not before', () => {
    expect(scheduleHealth(schedule, [run({})], new Date('2026-03-11T23:00:00Z')).warning).toBeNull();
    expect(scheduleHealth(schedule, [run({})], new Date('2026-03-12T03:00:00Z')).warning).toMatch(
      /^No automatic backup succeeded in the last 48 hours/,
    );
    // A run someone started by hand does not hide a silent schedule.
    expect(
      scheduleHealth(
        schedule,
        [run({ trigger: 'manual', finishedAt: '2026-03-12T02:00:00.000000Z' })],
        new Date('2026-03-12T03:00:00Z'),
      ).warning,
    ).toMatch(/^No automatic backup/);
  });
});
