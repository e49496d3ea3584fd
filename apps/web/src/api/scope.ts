/**
 * The organization and business the app is working in. Kept outside React as well, because the
 * tRPC link reads it on every request to send the x-tenant-id and x-business-id headers.
 */
export interface Scope {
  tenantId: string | null;
  businessId: string | null;
}

const STORAGE_KEY = 'hisaabo.scope';

function load(): Scope {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Scope>;
    return { tenantId: parsed.tenantId ?? null, businessId: parsed.businessId ?? null };
  } catch {
    return { tenantId: null, businessId: null };
  }
}

let current: Scope = load();

export function getScope(): Scope {
  return current;
}

export function setScope(next: Scope): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
}
