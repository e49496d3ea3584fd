import { describe, expect, it } from 'vitest';
import { NO_ROW_UPGRADE, UPGRADE_STEPS, composeRowUpgrades, upgradePath } from '../src/upgrades/index.ts';
import { v1ToV2InvoiceIrn } from '../src/upgrades/v1-to-v2-invoice-irn.ts';

// The upgrade registry without a database: which steps lead from an archive's schema version to this
// code's, and what a step does to rows (upgrades.test.ts restores a real schema-1 archive).

describe('upgrade registry', () => {
  it('finds the steps from one version to another, in order, and none for the same version', () => {
    expect(UPGRADE_STEPS).toEqual([v1ToV2InvoiceIrn]);
    expect(upgradePath(1, 2)).toEqual([v1ToV2InvoiceIrn]);
    expect(upgradePath(2, 2)).toEqual([]);
  });

  it('has no path where a step is missing', () => {
    expect(upgradePath(2, 3)).toBeNull();
    expect(upgradePath(0, 2)).toBeNull();
    expect(upgradePath(1, 3)).toBeNull();
  });

  it('applies the composed steps to rows of the tables they change only', () => {
    const upgrade = composeRowUpgrades([v1ToV2InvoiceIrn]);
    expect(upgrade('invoices', { id: 'a' })).toEqual({ id: 'a', irn: null });
    expect(upgrade('payments', { id: 'b' })).toEqual({ id: 'b' });
    const same = { id: 'c' };
    expect(composeRowUpgrades([])('invoices', same)).toBe(same);
  });

  it('gives an archive of this schema the one identity the restore’s fast path looks for', () => {
    // line-work.ts takes the fast path (line-transcoder.ts) only for rows no step changes.
    expect(composeRowUpgrades([])).toBe(NO_ROW_UPGRADE);
    expect(composeRowUpgrades([v1ToV2InvoiceIrn])).not.toBe(NO_ROW_UPGRADE);
  });
});
