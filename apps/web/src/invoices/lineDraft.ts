/** One line of the invoice form, as typed (strings, sent to the server as they are). */
export interface LineDraft {
  key: string;
  itemId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxRate: string;
  taxInclusive: boolean;
}

let nextKey = 0;

export function emptyLine(): LineDraft {
  nextKey += 1;
  return {
    key: `line-${nextKey}`,
    itemId: '',
    description: '',
    quantity: '1',
    unitPrice: '0.00',
    discountPercent: '0',
    taxRate: '0',
    taxInclusive: false,
  };
}
