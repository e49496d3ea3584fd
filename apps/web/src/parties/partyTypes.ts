export type PartyType = 'customer' | 'supplier' | 'both';

export const PARTY_TYPE_OPTIONS = [
  { value: 'customer', label: 'Customer' },
  { value: 'supplier', label: 'Supplier' },
  { value: 'both', label: 'Customer and supplier' },
] as const;

export const PARTY_TYPE_FILTERS = [{ value: '', label: 'All' }, ...PARTY_TYPE_OPTIONS] as const;
