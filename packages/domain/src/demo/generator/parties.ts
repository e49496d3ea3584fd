import { parties } from '@hisaabo/db';
import { toMoney } from '../../money.ts';
import { COMPANY_WORDS, FIRST_NAMES, LAST_NAMES, STATE_CODES } from '../catalog.ts';
import { type BusinessScope, type SeedContext, audit } from './context.ts';
import type { Party } from './types.ts';

/** Customers and suppliers (one in four), some with opening balances; more for a busier business. */
export function generateParties(
  ctx: SeedContext,
  scope: BusinessScope,
): { customers: Party[]; suppliers: Party[] } {
  const { rng } = ctx;
  const { businessId, created } = scope;
  const partyCount = Math.max(12, Math.min(2000, Math.round(scope.docCount / 150)));
  const customers: Party[] = [];
  const suppliers: Party[] = [];
  for (let p = 0; p < partyCount; p++) {
    const type = p % 4 === 3 ? 'supplier' : 'customer';
    const person = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const name = rng.chance(0.6)
      ? `${rng.pick(LAST_NAMES)} ${rng.pick(COMPANY_WORDS)} ${p + 1}`
      : `${person} ${p + 1}`;
    const id = ctx.newId();
    const opening = rng.chance(0.2) ? toMoney(rng.int(100, 50000) * (type === 'customer' ? 1 : -1)) : '0.00';
    const state = rng.pick(STATE_CODES);
    ctx.rows.push(parties, {
      tenantId: ctx.tenantId,
      id,
      businessId,
      type,
      name,
      contactPerson: person,
      email: `${person.toLowerCase().replace(/ /g, '.')}${p}@example.in`,
      phone: `+91 9${rng.int(100000000, 999999999)}`,
      gstin: rng.chance(0.5) ? `${state}ABCDE${String(1000 + p).slice(-4)}F1Z${p % 10}` : null,
      billingAddress: `${rng.int(1, 300)}, ${rng.pick(LAST_NAMES)} Nagar`,
      stateCode: state,
      openingBalance: opening,
      creditPeriodDays: rng.pick([0, 7, 15, 30, 45]),
      createdAt: created,
      updatedAt: created,
    });
    (type === 'customer' ? customers : suppliers).push({ id, type });
    audit(ctx, businessId, 'party', id, created, { name });
  }
  return { customers, suppliers };
}
