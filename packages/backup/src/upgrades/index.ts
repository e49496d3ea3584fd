import type { Row } from '../row-checks.ts';
import type { UpgradeStep } from './types.ts';
import { v1ToV2InvoiceIrn } from './v1-to-v2-invoice-irn.ts';

/** Every upgrade step, in order: step i turns schema version i+1 into i+2. */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [v1ToV2InvoiceIrn];

/** The steps from `from` up to `to`, or null when a step is missing. */
export function upgradePath(from: number, to: number): UpgradeStep[] | null {
  const path: UpgradeStep[] = [];
  for (let version = from; version < to; version += 1) {
    const step = UPGRADE_STEPS.find((s) => s.from === version && s.to === version + 1);
    if (!step) return null;
    path.push(step);
  }
  return path;
}

export type { UpgradeStep } from './types.ts';

/** The row upgrade of an archive already of this code's schema: rows go through unchanged. */
export const NO_ROW_UPGRADE = (_table: string, row: Row): Row => row;

/** One function applying every step to a row of `table`, in order. */
export function composeRowUpgrades(steps: readonly UpgradeStep[]): (table: string, row: Row) => Row {
  if (steps.length === 0) return NO_ROW_UPGRADE;
  return (table, row) => steps.reduce((current, step) => step.upgradeRow(table, current), row);
}
