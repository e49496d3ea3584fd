import { businesses } from '@hisaabo/db';
import { BUSINESS_PROFILES } from '../catalog.ts';
import { type BusinessScope, type SeedContext, audit } from './context.ts';

export type BusinessProfile = (typeof BUSINESS_PROFILES)[number];

/** The business row of `scope` (one of the catalog's profiles), and its audit entry. */
export function generateBusiness(ctx: SeedContext, scope: BusinessScope): BusinessProfile {
  const { rng } = ctx;
  const { index, businessId, created } = scope;
  const profile = BUSINESS_PROFILES[index]!;
  ctx.rows.push(businesses, {
    tenantId: ctx.tenantId,
    id: businessId,
    name: profile.name,
    legalName: profile.legalName,
    gstin: `${profile.gstinPrefix}${1000 + index}A1Z${index}`,
    pan: `${profile.gstinPrefix.slice(2)}${1000 + index}A`,
    email: `accounts@${profile.name.toLowerCase().replace(/[^a-z]/g, '')}.example`,
    phone: `+91 98${String(rng.int(10000000, 99999999))}`,
    addressLine1: `${rng.int(1, 200)}, Main Bazaar`,
    city: profile.city,
    state: profile.state,
    stateCode: profile.stateCode,
    postalCode: `${rng.int(110001, 799999)}`,
    settings: { invoiceTerms: 'Payment due within the credit period.', showHsn: true },
    createdAt: created,
    updatedAt: created,
  });
  audit(ctx, businessId, 'business', businessId, created, { name: profile.name });
  return profile;
}

/** Business i's share of the documents: the first business is the largest. */
export function documentsPerBusiness(total: number): number[] {
  const businessCount = total >= 5000 ? 3 : 2;
  const shares = businessCount === 3 ? [0.55, 0.3, 0.15] : [0.65, 0.35];
  const perBusiness = shares.map((s) => Math.floor(total * s));
  perBusiness[0]! += total - perBusiness.reduce((a, b) => a + b, 0);
  return perBusiness;
}
