export const DOCUMENT_TYPES = [
  { value: 'invoice', label: 'Invoice' },
  { value: 'quotation', label: 'Quotation' },
  { value: 'proforma', label: 'Proforma invoice' },
  { value: 'delivery_challan', label: 'Delivery challan' },
  { value: 'credit_note', label: 'Credit note' },
  { value: 'debit_note', label: 'Debit note' },
  { value: 'sales_return', label: 'Sales return' },
  { value: 'purchase_return', label: 'Purchase return' },
] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number]['value'];

export const DIRECTIONS = [
  { value: 'sale', label: 'Sale' },
  { value: 'purchase', label: 'Purchase' },
] as const;

export type Direction = (typeof DIRECTIONS)[number]['value'];

export const INVOICE_STATUSES = [
  'draft',
  'unpaid',
  'partial',
  'paid',
  'sent',
  'accepted',
  'declined',
  'converted',
  'cancelled',
] as const;

export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export function documentTypeLabel(value: string): string {
  return DOCUMENT_TYPES.find((type) => type.value === value)?.label ?? value;
}
